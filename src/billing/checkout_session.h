// Starting a checkout at Stripe for an order made from a priced quote (docs/stripe.md, "What a
// checkout sends"): the company's customer brought up to date (name, address, language, tax
// status, tax ID, the invoice note of the treatment), the tax rate, a product per line and a
// one-off coupon for the discount, then the Checkout Session, whose total must be the quote's
// to the cent: a session with any other total is expired at once and the checkout fails. Every
// call is keyed by the order, so a repeat after a lost answer replays the same session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "billing/stripe_objects.h"
#include "common/error.h"
#include "db/pool.h"
#include "domain/catalog.h"
#include "domain/pricing.h"
#include "stripe/client.h"
#include "stripe/requests.h"

namespace codezero::billing {

// Who pays: the company as the invoice names it, and the owner who orders.
struct CheckoutPayer {
  std::string company_id;
  std::string name;
  std::string country;
  std::string line1;
  std::string line2;
  std::string postal_code;
  std::string city;
  std::optional<stripe::CustomerRequest::TaxId> tax_id;  // checked, of a type Stripe knows
  std::string email;
};

struct CheckoutSessionInput {
  std::string order_id;
  std::int64_t order_created_at = 0;  // Unix seconds
  const domain::PricedQuote* quote = nullptr;
  const domain::Catalog* catalog = nullptr;  // the quote's version: product names
  CheckoutPayer payer;
  std::optional<std::string> success_url;  // default: the website's checkout pages
  std::optional<std::string> cancel_url;
  std::string public_web_url;
  std::int64_t now = 0;  // Unix seconds
};

struct OpenedSession {
  std::string id;
  std::string url;
  std::int64_t expires_at = 0;
};

// REQUIRES: `input.quote` and `input.catalog` point to objects that outlive the call.
[[nodiscard]] boost::asio::awaitable<Result<OpenedSession>> OpenCheckoutSession(
    stripe::Client& stripe, StripeObjects& objects, CheckoutSessionInput input);

// When an order's session expires: a day after the order was made, not after this attempt,
// so that every attempt at one order sends Stripe the same parameters and a session created
// for an attempt whose answer was lost is replayed rather than made twice (or refused as an
// idempotency_error). An attempt so late that this leaves under half an hour gets a later
// expiry, and with it a new session.
[[nodiscard]] std::int64_t SessionExpiresAt(std::int64_t order_created_at, std::int64_t now);

// Stripe's `tax_exempt` for a treatment: reverse for a reverse charge, exempt for not taxable.
[[nodiscard]] std::string TaxExemptOf(domain::TaxTreatment treatment);

}  // namespace codezero::billing
