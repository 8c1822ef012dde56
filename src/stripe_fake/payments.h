// Payment methods (pm_), payment intents (pi_), charges (ch_) and refunds (re_): what a
// payment attempt creates and the events it emits (charge.succeeded|failed|pending,
// payment_intent.succeeded|payment_failed|processing, charge.refunded).
#pragma once

#include <cstdint>
#include <string>

#include "stripe_fake/cards.h"
#include "stripe_fake/core.h"
#include "stripe_fake/errors.h"

namespace codezero::stripe_fake {

struct CardDetails {
  std::string number;  // digits
  int exp_month = 0;
  int exp_year = 0;
  std::string name;
};

// A card (or, with `iban`, a sepa_debit) payment method attached to `customer`.
std::string CreateCardPaymentMethod(Core& core, const std::string& customer,
                                    const CardDetails& card, Behaviour behaviour, std::int64_t now);
std::string CreateSepaPaymentMethod(Core& core, const std::string& customer,
                                    const std::string& iban, const std::string& name,
                                    Behaviour behaviour, std::int64_t now);

enum class PaymentStatus { kSucceeded, kFailed, kProcessing };

struct PaymentAttempt {
  PaymentStatus status = PaymentStatus::kFailed;
  std::string payment_intent;
  std::string charge;
  StripeError error;  // kFailed: the card error
};

struct ChargeRequest {
  std::string customer;
  std::string payment_method;
  std::int64_t amount = 0;
  std::string invoice;         // "" for none
  std::string payment_intent;  // an existing intent to reuse, "" for a new one
  bool off_session = false;    // renewals and API-initiated charges
  std::string description;
  std::int64_t now = 0;
};

// Charges `payment_method`: a card succeeds or fails at once, a SEPA debit is left processing
// (settled later by SettleSepaDebit).
PaymentAttempt ChargePaymentMethod(Core& core, const ChargeRequest& request);

// A SEPA debit's outcome arrives: the charge and intent succeed or fail. Returns whether it
// succeeded.
bool SettleSepaDebit(Core& core, const std::string& payment_intent, std::int64_t now);

// The failure a card error reports.
[[nodiscard]] StripeError CardError(std::string code, std::string decline_code,
                                    std::string message);

// POST /v1/refunds: `amount` 0 refunds what is left.
[[nodiscard]] ApiResult CreateRefund(Core& core, std::string charge_id,
                                     const std::string& payment_intent_id, std::int64_t amount,
                                     const std::string& reason, const boost::json::value* metadata);

}  // namespace codezero::stripe_fake
