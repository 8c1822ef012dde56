#include "stripe_fake/payments.h"

#include <boost/json/array.hpp>

#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/params.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

json::object NewPaymentMethod(const std::string& customer, const std::string& type,
                              const std::string& name, std::int64_t now) {
  json::object method;
  method["id"] = NewId("pm_");
  method["object"] = "payment_method";
  json::object billing;
  json::object address;
  for (const char* field : {"city", "country", "line1", "line2", "postal_code", "state"}) {
    address[field] = nullptr;
  }
  billing["address"] = std::move(address);
  billing["email"] = nullptr;
  billing["name"] = OrNull(name);
  billing["phone"] = nullptr;
  method["billing_details"] = std::move(billing);
  method["created"] = now;
  method["customer"] = OrNull(customer);
  method["livemode"] = false;
  method["metadata"] = json::object();
  method["type"] = type;
  return method;
}

json::object PaymentMethodDetails(Core& core, const std::string& payment_method) {
  json::object details;
  const json::object* method = core.store.Find(payment_method, "payment_method");
  if (method == nullptr) return details;
  const std::string type = Text(*method, "type");
  details["type"] = type;
  if (const json::value* specific = method->if_contains(type)) details[type] = *specific;
  return details;
}

std::string NewPaymentIntent(Core& core, const ChargeRequest& request) {
  json::object intent;
  std::string id = NewId("pi_");
  intent["id"] = id;
  intent["object"] = "payment_intent";
  intent["amount"] = request.amount;
  intent["amount_capturable"] = 0;
  intent["amount_received"] = 0;
  intent["automatic_payment_methods"] = nullptr;
  intent["canceled_at"] = nullptr;
  intent["cancellation_reason"] = nullptr;
  intent["capture_method"] = "automatic";
  intent["client_secret"] = id + "_secret_" + RandomAlphanumeric(25);
  intent["confirmation_method"] = "automatic";
  intent["created"] = request.now;
  intent["currency"] = "eur";
  intent["customer"] = OrNull(request.customer);
  intent["description"] = OrNull(request.description);
  intent["invoice"] = OrNull(request.invoice);
  intent["last_payment_error"] = nullptr;
  intent["latest_charge"] = nullptr;
  intent["livemode"] = false;
  intent["metadata"] = json::object();
  intent["payment_method"] = nullptr;
  json::array types;
  const json::object* method = core.store.Find(request.payment_method, "payment_method");
  types.push_back(json::value(method != nullptr ? Text(*method, "type") : "card"));
  intent["payment_method_types"] = std::move(types);
  intent["status"] = "requires_payment_method";
  core.store.Insert("payment_intent", std::move(intent));
  return id;
}

}  // namespace

std::string CreateCardPaymentMethod(Core& core, const std::string& customer,
                                    const CardDetails& card, Behaviour behaviour,
                                    std::int64_t now) {
  json::object method = NewPaymentMethod(customer, "card", card.name, now);
  json::object details;
  details["brand"] = "visa";
  json::object checks;
  checks["address_line1_check"] = nullptr;
  checks["address_postal_code_check"] = nullptr;
  checks["cvc_check"] = "pass";
  details["checks"] = std::move(checks);
  details["country"] = "US";
  details["exp_month"] = card.exp_month;
  details["exp_year"] = card.exp_year;
  details["fingerprint"] = RandomAlphanumeric(16);
  details["funding"] = "credit";
  details["last4"] = card.number.substr(card.number.size() - 4);
  method["card"] = std::move(details);
  std::string id(method.at("id").as_string());
  json::object& stored = core.store.Insert("payment_method", std::move(method));
  core.store.Private(id)["behaviour"] = ToString(behaviour);
  if (!customer.empty()) core.events.Emit("payment_method.attached", stored, now);
  return id;
}

std::string CreateSepaPaymentMethod(Core& core, const std::string& customer,
                                    const std::string& iban, const std::string& name,
                                    Behaviour behaviour, std::int64_t now) {
  json::object method = NewPaymentMethod(customer, "sepa_debit", name, now);
  json::object details;
  details["bank_code"] = iban.substr(4, 8);
  details["branch_code"] = "";
  details["country"] = iban.substr(0, 2);
  details["fingerprint"] = RandomAlphanumeric(16);
  details["last4"] = iban.substr(iban.size() - 4);
  method["sepa_debit"] = std::move(details);
  std::string id(method.at("id").as_string());
  json::object& stored = core.store.Insert("payment_method", std::move(method));
  core.store.Private(id)["behaviour"] = ToString(behaviour);
  if (!customer.empty()) core.events.Emit("payment_method.attached", stored, now);
  return id;
}

StripeError CardError(std::string code, std::string decline_code, std::string message) {
  return StripeError{.status = 402,
                     .type = "card_error",
                     .code = std::move(code),
                     .message = std::move(message),
                     .decline_code = std::move(decline_code)};
}

PaymentAttempt ChargePaymentMethod(Core& core, const ChargeRequest& request) {
  PaymentAttempt attempt;
  attempt.payment_intent =
      request.payment_intent.empty() ? NewPaymentIntent(core, request) : request.payment_intent;
  const Behaviour behaviour =
      BehaviourFromString(Text(core.store.Private(request.payment_method), "behaviour"));
  switch (behaviour) {
    case Behaviour::kSucceeds:
      attempt.status = PaymentStatus::kSucceeded;
      break;
    case Behaviour::kFailsOffSession:
      attempt.status = request.off_session ? PaymentStatus::kFailed : PaymentStatus::kSucceeded;
      if (request.off_session) {
        attempt.error = CardError("card_declined", "generic_decline", "Your card was declined.");
      }
      break;
    case Behaviour::kGenericDecline:
      attempt.error = CardError("card_declined", "generic_decline", "Your card was declined.");
      break;
    case Behaviour::kInsufficientFunds:
      attempt.error =
          CardError("card_declined", "insufficient_funds", "Your card has insufficient funds.");
      break;
    case Behaviour::kSepaSucceeds:
    case Behaviour::kSepaFails:
      attempt.status = PaymentStatus::kProcessing;
      break;
  }
  const bool succeeded = attempt.status == PaymentStatus::kSucceeded;
  const bool processing = attempt.status == PaymentStatus::kProcessing;

  json::object charge;
  const std::string charge_id = NewId("ch_");
  attempt.charge = charge_id;
  charge["id"] = charge_id;
  charge["object"] = "charge";
  charge["amount"] = request.amount;
  charge["amount_captured"] = succeeded ? request.amount : 0;
  charge["amount_refunded"] = 0;
  charge["balance_transaction"] = succeeded ? json::value(NewId("txn_")) : json::value(nullptr);
  charge["billing_details"] =
      core.store.Find(request.payment_method, "payment_method")->at("billing_details");
  charge["captured"] = succeeded;
  charge["created"] = request.now;
  charge["currency"] = "eur";
  charge["customer"] = OrNull(request.customer);
  charge["description"] = OrNull(request.description);
  charge["disputed"] = false;
  charge["failure_code"] =
      succeeded || processing ? json::value(nullptr) : json::value(attempt.error.code);
  charge["failure_message"] =
      succeeded || processing ? json::value(nullptr) : json::value(attempt.error.message);
  charge["invoice"] = OrNull(request.invoice);
  charge["livemode"] = false;
  charge["metadata"] = json::object();
  json::object outcome;
  outcome["network_status"] =
      succeeded || processing ? "approved_by_network" : "declined_by_network";
  outcome["reason"] =
      succeeded || processing ? json::value(nullptr) : json::value(attempt.error.decline_code);
  outcome["risk_level"] = "normal";
  outcome["seller_message"] =
      succeeded ? "Payment complete."
                : "The bank did not return any further details with this decline.";
  outcome["type"] = succeeded || processing ? "authorized" : "issuer_declined";
  charge["outcome"] = std::move(outcome);
  charge["paid"] = succeeded;
  charge["payment_intent"] = attempt.payment_intent;
  charge["payment_method"] = request.payment_method;
  charge["payment_method_details"] = PaymentMethodDetails(core, request.payment_method);
  charge["receipt_url"] = core.public_url + "/receipts/" + charge_id;
  charge["refunded"] = false;
  charge["status"] = succeeded ? "succeeded" : processing ? "pending" : "failed";
  json::object& stored_charge = core.store.Insert("charge", std::move(charge));

  json::object& intent = *core.store.Find(attempt.payment_intent, "payment_intent");
  intent["amount"] = request.amount;
  intent["latest_charge"] = charge_id;
  intent["payment_method"] = request.payment_method;
  if (!request.invoice.empty()) intent["invoice"] = request.invoice;
  if (succeeded) {
    intent["status"] = "succeeded";
    intent["amount_received"] = request.amount;
    intent["last_payment_error"] = nullptr;
    core.events.Emit("charge.succeeded", stored_charge, request.now);
    core.events.Emit("payment_intent.succeeded", intent, request.now);
  } else if (processing) {
    intent["status"] = "processing";
    core.store.Private(attempt.payment_intent)["settles_as"] =
        behaviour == Behaviour::kSepaSucceeds ? "succeeded" : "failed";
    core.events.Emit("charge.pending", stored_charge, request.now);
    core.events.Emit("payment_intent.processing", intent, request.now);
    core.store.jobs().push_back(
        ScheduledJob{"sepa_settle", attempt.payment_intent,
                     WallMilliseconds() + core.sepa_delay_seconds * 1000 / core.time_factor});
  } else {
    intent["status"] = "requires_payment_method";
    json::object error;
    error["charge"] = charge_id;
    error["code"] = attempt.error.code;
    error["decline_code"] = attempt.error.decline_code;
    error["message"] = attempt.error.message;
    error["payment_method"] = *core.store.Find(request.payment_method, "payment_method");
    error["type"] = "card_error";
    intent["last_payment_error"] = std::move(error);
    attempt.error.payment_intent = attempt.payment_intent;
    core.events.Emit("charge.failed", stored_charge, request.now);
    core.events.Emit("payment_intent.payment_failed", intent, request.now);
  }
  return attempt;
}

bool SettleSepaDebit(Core& core, const std::string& payment_intent, std::int64_t now) {
  json::object* intent = core.store.Find(payment_intent, "payment_intent");
  if (intent == nullptr || Text(*intent, "status") != "processing") return false;
  const bool succeeded = Text(core.store.Private(payment_intent), "settles_as") == "succeeded";
  json::object& charge = *core.store.Find(Text(*intent, "latest_charge"), "charge");
  const std::int64_t amount = Number(*intent, "amount");
  if (succeeded) {
    charge["status"] = "succeeded";
    charge["paid"] = true;
    charge["captured"] = true;
    charge["amount_captured"] = amount;
    charge["balance_transaction"] = NewId("txn_");
    (*intent)["status"] = "succeeded";
    (*intent)["amount_received"] = amount;
    core.events.Emit("charge.succeeded", charge, now);
    core.events.Emit("payment_intent.succeeded", *intent, now);
  } else {
    charge["status"] = "failed";
    charge["failure_code"] = "insufficient_funds";
    charge["failure_message"] = "The account has insufficient funds to cover this payment.";
    (*intent)["status"] = "requires_payment_method";
    json::object error;
    error["charge"] = Text(charge, "id");
    error["code"] = "insufficient_funds";
    error["message"] = "The account has insufficient funds to cover this payment.";
    error["type"] = "card_error";
    (*intent)["last_payment_error"] = std::move(error);
    core.events.Emit("charge.failed", charge, now);
    core.events.Emit("payment_intent.payment_failed", *intent, now);
  }
  return succeeded;
}

ApiResult CreateRefund(Core& core, std::string charge_id, const std::string& payment_intent_id,
                       std::int64_t amount, const std::string& reason,
                       const json::value* metadata) {
  if (charge_id.empty() && payment_intent_id.empty()) {
    return tl::unexpected(StripeError{.code = "parameter_missing",
                                      .message =
                                          "One of the following params should be provided for this "
                                          "request: payment_intent or charge.",
                                      .param = "charge"});
  }
  if (charge_id.empty()) {
    const json::object* intent = core.store.Find(payment_intent_id, "payment_intent");
    if (intent == nullptr) {
      return tl::unexpected(NoSuch("payment_intent", payment_intent_id, "payment_intent"));
    }
    charge_id = Text(*intent, "latest_charge");
    if (charge_id.empty() || Text(*intent, "status") != "succeeded") {
      return tl::unexpected(
          InvalidParam("payment_intent", "This PaymentIntent (" + payment_intent_id +
                                             ") does not have a successful charge to refund."));
    }
  }
  json::object* charge = core.store.Find(charge_id, "charge");
  if (charge == nullptr) return tl::unexpected(NoSuch("charge", charge_id, "charge"));
  if (Text(*charge, "status") != "succeeded") {
    return tl::unexpected(InvalidParam("charge", "This charge (" + charge_id +
                                                     ") has not succeeded and cannot be "
                                                     "refunded."));
  }
  const std::int64_t refundable = Number(*charge, "amount") - Number(*charge, "amount_refunded");
  if (refundable <= 0) {
    StripeError error =
        InvalidParam("charge", "Charge " + charge_id + " has already been refunded.");
    error.code = "charge_already_refunded";
    return tl::unexpected(std::move(error));
  }
  if (amount == 0) amount = refundable;
  if (amount < 0 || amount > refundable) {
    StripeError error =
        InvalidParam("amount", "Refund amount (" + std::to_string(amount) +
                                   ") is greater than unrefunded amount on charge (" +
                                   std::to_string(refundable) + ")");
    error.code = "amount_too_large";
    return tl::unexpected(std::move(error));
  }
  const std::string customer = Text(*charge, "customer");
  const std::int64_t now = NowForCustomer(core.store, customer);
  json::object refund;
  refund["id"] = NewId("re_");
  refund["object"] = "refund";
  refund["amount"] = amount;
  refund["balance_transaction"] = NewId("txn_");
  refund["charge"] = charge_id;
  refund["created"] = now;
  refund["currency"] = "eur";
  refund["destination_details"] = nullptr;
  json::object meta;
  ApplyMetadata(meta, metadata);
  refund["metadata"] = std::move(meta);
  refund["payment_intent"] = (*charge)["payment_intent"];
  refund["reason"] = OrNull(reason);
  refund["receipt_number"] = nullptr;
  refund["status"] = "succeeded";
  json::object& stored = core.store.Insert("refund", std::move(refund));
  const json::object before = *charge;
  (*charge)["amount_refunded"] = Number(*charge, "amount_refunded") + amount;
  (*charge)["refunded"] = Number(*charge, "amount_refunded") == Number(*charge, "amount");
  core.events.Emit("refund.created", stored, now);
  json::object previous;
  previous["amount_refunded"] = before.at("amount_refunded");
  previous["refunded"] = before.at("refunded");
  core.events.Emit("charge.refunded", *charge, now, &previous);
  return stored;
}

}  // namespace codezero::stripe_fake
