// Stripe-style identifiers: a prefix and 24 random alphanumerics (`cus_4fQ...`). Ids double as
// capability URLs for the hosted pages, so they come from the operating system's CSPRNG.
#pragma once

#include <string>
#include <string_view>

namespace codezero::stripe_fake {

[[nodiscard]] std::string RandomAlphanumeric(std::size_t length);

// `prefix` + 24 alphanumerics: NewId("cus_").
[[nodiscard]] std::string NewId(std::string_view prefix);

// A request id as Stripe sends it in `Request-Id`: "req_" + 14 alphanumerics.
[[nodiscard]] std::string NewStripeRequestId();

// A customer's invoice prefix: 8 upper-case letters and digits.
[[nodiscard]] std::string NewInvoicePrefix();

}  // namespace codezero::stripe_fake
