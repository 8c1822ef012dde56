// Checkout Sessions: creation from `line_items` (prices inline or by id, quantities, tax rates)
// and a coupon, the amounts shown on the hosted page, and what paying it does: a payment
// intent and charge (payment mode), or the subscription with its first, paid invoice
// (subscription mode); a SEPA debit completes the session at once, unpaid, and settles later.
#pragma once

#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "stripe_fake/core.h"
#include "stripe_fake/errors.h"

namespace codezero::stripe_fake {

// POST /v1/checkout/sessions. REQUIRES: `params` validated against the endpoint's spec.
[[nodiscard]] ApiResult CreateCheckoutSession(Core& core, const boost::json::object& params);

// The session's line items as GET .../line_items lists them (newest first is not used here:
// Stripe lists them in the order given).
[[nodiscard]] boost::json::array SessionLineItems(Core& core, const std::string& session_id);

// Expires an open session (checkout.session.expired).
[[nodiscard]] ApiResult ExpireCheckoutSession(Core& core, const std::string& session_id);

// Sessions whose expires_at passed (measured on the wall clock divided by the time factor).
void ExpireDueSessions(Core& core, std::int64_t now_ms);

struct PaymentForm {
  std::string method;  // "card" or "sepa_debit"
  std::string card_number;
  std::string expiry;
  std::string cvc;
  std::string name;
  std::string iban;
  std::string email;
};

struct PageOutcome {
  enum class Kind { kPaid, kProcessing, kDeclined, kInvalid, kNotOpen } kind = Kind::kInvalid;
  std::string message;   // shown on the page again (decline or invalid input)
  std::string redirect;  // kPaid / kProcessing: the success URL
};

// What the hosted page's form does.
[[nodiscard]] PageOutcome PayCheckoutSession(Core& core, const std::string& session_id,
                                             const PaymentForm& form);

// The SEPA debit behind `payment_intent` settles: invoice, subscription and session follow.
void SettleSessionPayment(Core& core, const std::string& payment_intent);

// The success URL with {CHECKOUT_SESSION_ID} replaced.
[[nodiscard]] std::string SuccessUrl(const boost::json::object& session);

}  // namespace codezero::stripe_fake
