#include "stripe_fake/checkout.h"

#include <chrono>

#include <boost/json/array.hpp>

#include "stripe_fake/amounts.h"
#include "stripe_fake/cards.h"
#include "stripe_fake/catalog.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/invoices.h"
#include "stripe_fake/params.h"
#include "stripe_fake/payments.h"
#include "stripe_fake/subscriptions.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

constexpr std::int64_t kMinLifetime = 30 * 60;
constexpr std::int64_t kMaxLifetime = 24 * 3600;

struct SessionLine {
  std::string price;
  std::int64_t quantity = 1;
  std::vector<std::string> tax_rates;
};

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

json::object TaxRateObject(Core& core, const std::string& id) {
  const json::object* rate = core.store.Find(id, "tax_rate");
  return rate != nullptr ? *rate : json::object();
}

std::vector<SessionLine> LinesOf(Core& core, const std::string& session_id) {
  std::vector<SessionLine> lines;
  for (const json::value& value : core.store.Private(session_id).at("lines").as_array()) {
    const json::object& line = value.as_object();
    SessionLine session_line;
    session_line.price = Text(line, "price");
    session_line.quantity = Number(line, "quantity", 1);
    for (const json::value& rate : line.at("tax_rates").as_array()) {
      session_line.tax_rates.emplace_back(rate.as_string());
    }
    lines.push_back(std::move(session_line));
  }
  return lines;
}

bool IsRecurring(Core& core, const std::string& price_id) {
  const json::object* price = core.store.Find(price_id, "price");
  return price != nullptr && Text(*price, "type") == "recurring";
}

// Amounts of the lines with the session's coupon (the first invoice's amounts).
Totals SessionTotals(Core& core, const std::vector<SessionLine>& lines, const std::string& coupon) {
  std::vector<AmountLine> amount_lines;
  for (const SessionLine& line : lines) {
    const json::object& price = *core.store.Find(line.price, "price");
    AmountLine amount_line;
    amount_line.amount = Number(price, "unit_amount") * line.quantity;
    amount_line.discountable =
        !coupon.empty() && CouponAppliesTo(core, coupon, Text(price, "product"));
    for (const std::string& rate : line.tax_rates) {
      amount_line.tax_basis_points.push_back(TaxRateBasisPoints(core, rate));
    }
    amount_lines.push_back(std::move(amount_line));
  }
  const CouponTerms terms = CouponTermsOf(core, coupon);
  return ComputeTotals(amount_lines, coupon.empty() ? nullptr : &terms);
}

json::object CustomerDetails(Core& core, const std::string& customer_id, const std::string& name) {
  json::object details;
  const json::object* customer = core.store.Find(customer_id, "customer");
  details["address"] = customer != nullptr ? customer->at("address") : json::value(nullptr);
  details["email"] = customer != nullptr ? customer->at("email") : json::value(nullptr);
  details["name"] =
      customer != nullptr && customer->at("name").is_string() ? customer->at("name") : OrNull(name);
  details["phone"] = nullptr;
  details["tax_exempt"] = customer != nullptr ? customer->at("tax_exempt") : json::value("none");
  details["tax_ids"] = json::array();
  return details;
}

void Complete(Core& core, const std::string& session_id, const std::string& customer,
              const std::string& name, bool paid, std::int64_t now) {
  json::object& session = *core.store.Find(session_id, "checkout.session");
  session["status"] = "complete";
  session["payment_status"] =
      paid ? (Number(session, "amount_total") == 0 ? "no_payment_required" : "paid") : "unpaid";
  session["url"] = nullptr;
  session["customer"] = customer;
  session["customer_details"] = CustomerDetails(core, customer, name);
  const std::string coupon = Text(core.store.Private(session_id), "coupon");
  if (json::object* coupon_object = core.store.Find(coupon, "coupon")) {
    const std::int64_t redeemed = Number(*coupon_object, "times_redeemed") + 1;
    (*coupon_object)["times_redeemed"] = redeemed;
    const std::int64_t max = Number(*coupon_object, "max_redemptions", 0);
    if (max > 0 && redeemed >= max) (*coupon_object)["valid"] = false;
  }
  core.events.Emit("checkout.session.completed", session, now);
}

std::string EnsureCustomer(Core& core, json::object& session, const PaymentForm& form,
                           std::int64_t now) {
  std::string existing = Text(session, "customer");
  if (!existing.empty()) return existing;
  json::object customer;
  std::string id = NewId("cus_");
  customer["id"] = id;
  customer["object"] = "customer";
  customer["address"] = nullptr;
  customer["balance"] = 0;
  customer["created"] = now;
  customer["currency"] = nullptr;
  customer["default_source"] = nullptr;
  customer["delinquent"] = false;
  customer["description"] = nullptr;
  customer["discount"] = nullptr;
  const std::string email = form.email.empty() ? Text(session, "customer_email") : form.email;
  customer["email"] = OrNull(email);
  customer["invoice_prefix"] = NewInvoicePrefix();
  json::object settings;
  settings["custom_fields"] = nullptr;
  settings["default_payment_method"] = nullptr;
  settings["footer"] = nullptr;
  settings["rendering_options"] = nullptr;
  customer["invoice_settings"] = std::move(settings);
  customer["livemode"] = false;
  customer["metadata"] = json::object();
  customer["name"] = OrNull(form.name);
  customer["next_invoice_sequence"] = 1;
  customer["phone"] = nullptr;
  customer["preferred_locales"] = json::array();
  customer["shipping"] = nullptr;
  customer["tax_exempt"] = "none";
  customer["test_clock"] = nullptr;
  json::object& stored = core.store.Insert("customer", std::move(customer));
  core.events.Emit("customer.created", stored, now);
  session["customer"] = id;
  return id;
}

void SetDefaultPaymentMethod(Core& core, const std::string& customer_id, const std::string& method,
                             std::int64_t now) {
  json::object& customer = *core.store.Find(customer_id, "customer");
  const json::object before = customer;
  customer.at("invoice_settings").as_object()["default_payment_method"] = method;
  core.events.EmitUpdated("customer.updated", before, customer, now);
}

// Subscription mode: the subscription, its first invoice (recurring lines, then one-time lines,
// the coupon), finalized and charged.
PaymentAttempt StartSubscription(Core& core, const std::string& session_id,
                                 const std::string& customer, const std::string& method,
                                 std::int64_t now) {
  json::object& hidden = core.store.Private(session_id);
  const std::vector<SessionLine> lines = LinesOf(core, session_id);
  const std::string coupon = Text(hidden, "coupon");
  NewSubscription request;
  request.customer = customer;
  request.default_payment_method = method;
  request.coupon = coupon;
  request.checkout_session = session_id;
  request.now = now;
  if (const json::value* metadata = hidden.if_contains("subscription_metadata")) {
    request.metadata = metadata->as_object();
  }
  for (const SessionLine& line : lines) {
    if (IsRecurring(core, line.price)) {
      request.items.push_back(NewSubscriptionItem{line.price, line.quantity, line.tax_rates});
    }
  }
  const std::string subscription_id = CreateSubscription(core, request);
  const json::object& subscription = *core.store.Find(subscription_id, "subscription");
  InvoiceDraft draft;
  draft.customer = customer;
  draft.subscription = subscription_id;
  draft.billing_reason = "subscription_create";
  draft.period_start = now;
  draft.period_end = now;
  draft.now = now;
  draft.coupon = coupon;
  if (!coupon.empty()) {
    if (subscription.at("discount").is_object()) {
      draft.discount = Text(subscription.at("discount").as_object(), "id");
    } else {
      draft.discount =
          Text(CreateDiscount(core, coupon, customer, subscription_id, session_id, now), "id");
    }
  }
  const std::int64_t period_end = Number(subscription, "current_period_end");
  std::size_t item_index = 0;
  const json::array& items = subscription.at("items").as_object().at("data").as_array();
  for (const SessionLine& line : lines) {
    const json::object& price = *core.store.Find(line.price, "price");
    const json::object* product = core.store.Find(Text(price, "product"), "product");
    const std::string product_name = product != nullptr ? Text(*product, "name") : "";
    InvoiceLineDraft invoice_line;
    invoice_line.price = line.price;
    invoice_line.quantity = line.quantity;
    invoice_line.amount = Number(price, "unit_amount") * line.quantity;
    invoice_line.tax_rates = line.tax_rates;
    invoice_line.description = std::to_string(line.quantity) + " × " + product_name;
    if (IsRecurring(core, line.price)) {
      invoice_line.period_start = now;
      invoice_line.period_end = period_end;
      invoice_line.subscription_item = Text(items[item_index++].as_object(), "id");
    } else {
      invoice_line.type = "invoiceitem";
      invoice_line.period_start = now;
      invoice_line.period_end = now;
      invoice_line.invoice_item =
          CreatePendingItem(core, customer, subscription_id, invoice_line, now);
    }
    draft.lines.push_back(std::move(invoice_line));
  }
  const std::string invoice_id = CreateInvoice(core, draft);
  if (!coupon.empty()) UseDiscount(core, subscription_id);
  {
    json::object& current = *core.store.Find(subscription_id, "subscription");
    const json::object before = current;
    current["latest_invoice"] = invoice_id;
    core.events.EmitUpdated("customer.subscription.updated", before, current, now);
  }
  json::object& session = *core.store.Find(session_id, "checkout.session");
  session["subscription"] = subscription_id;
  session["invoice"] = invoice_id;
  FinalizeInvoice(core, invoice_id, now);
  PaymentAttempt attempt;
  if (Text(*core.store.Find(invoice_id, "invoice"), "status") == "paid") {
    attempt.status = PaymentStatus::kSucceeded;
    return attempt;
  }
  attempt = PayInvoice(core, invoice_id, method, false, now);
  if (attempt.status == PaymentStatus::kProcessing) {
    core.store.Private(attempt.payment_intent)["checkout_session"] = session_id;
  }
  return attempt;
}

}  // namespace

std::string SuccessUrl(const json::object& session) {
  return Replace(Text(session, "success_url"), "{CHECKOUT_SESSION_ID}", Text(session, "id"));
}

ApiResult CreateCheckoutSession(Core& core, const json::object& params) {
  const std::string mode = Str(params, "mode").value_or("");
  if (mode.empty()) return tl::unexpected(ParameterMissing("mode"));
  const std::string customer = Str(params, "customer").value_or("");
  if (!customer.empty() && (core.store.Find(customer, "customer") == nullptr ||
                            core.store.Private(customer).contains("deleted"))) {
    return tl::unexpected(NoSuch("customer", customer, "customer"));
  }
  const std::int64_t now = customer.empty() ? WallSeconds() : NowForCustomer(core.store, customer);
  const std::optional<std::string> success_url = Str(params, "success_url");
  if (!success_url) return tl::unexpected(ParameterMissing("success_url"));
  const std::vector<const json::object*> line_params = Objects(params, "line_items");
  if (line_params.empty()) return tl::unexpected(ParameterMissing("line_items"));

  // Resolve every reference before creating anything.
  for (std::size_t i = 0; i < line_params.size(); ++i) {
    const std::string param = "line_items[" + std::to_string(i) + "]";
    const json::object& line = *line_params[i];
    const std::optional<std::string> price = Str(line, "price");
    if (price && core.store.Find(*price, "price") == nullptr) {
      return tl::unexpected(NoSuch("price", *price, param + "[price]"));
    }
    if (!price && At(line, "price_data") == nullptr) {
      return tl::unexpected(ParameterMissing(param + "[price]"));
    }
    if (!Int(line, "quantity")) return tl::unexpected(ParameterMissing(param + "[quantity]"));
    if (*Int(line, "quantity") < 1) {
      return tl::unexpected(
          InvalidParam(param + "[quantity]", "This value must be greater than or equal to 1."));
    }
    for (const std::string& rate : StrList(line, "tax_rates")) {
      const json::object* tax_rate = core.store.Find(rate, "tax_rate");
      if (tax_rate == nullptr)
        return tl::unexpected(NoSuch("tax_rate", rate, param + "[tax_rates]"));
    }
  }
  std::string coupon;
  if (const std::optional<std::string> id = Str(params, "discounts.0.coupon")) {
    coupon = *id;
    STRIPE_FAKE_CHECK(CheckCouponRedeemable(core, coupon, "discounts[0][coupon]"));
  }
  std::int64_t expires_at = now + kMaxLifetime;
  if (const std::optional<std::int64_t> requested = Int(params, "expires_at")) {
    if (*requested < now + kMinLifetime - 5 || *requested > now + kMaxLifetime + 5) {
      return tl::unexpected(
          InvalidParam("expires_at",
                       "The `expires_at` timestamp must be at least 30 minutes and at most 24 "
                       "hours after the Checkout Session is created."));
    }
    expires_at = *requested;
  }

  std::vector<SessionLine> lines;
  bool has_recurring = false;
  std::string interval;
  for (std::size_t i = 0; i < line_params.size(); ++i) {
    const json::object& line = *line_params[i];
    SessionLine session_line;
    if (const std::optional<std::string> price = Str(line, "price")) {
      session_line.price = *price;
    } else {
      STRIPE_FAKE_TRY(session_line.price,
                      CreatePrice(core, At(line, "price_data")->as_object(),
                                  "line_items[" + std::to_string(i) + "][price_data]", now));
    }
    session_line.quantity = *Int(line, "quantity");
    session_line.tax_rates = StrList(line, "tax_rates");
    const json::object& price = *core.store.Find(session_line.price, "price");
    if (Text(price, "type") == "recurring") {
      has_recurring = true;
      const std::string line_interval(At(price, "recurring.interval")->as_string());
      if (!interval.empty() && interval != line_interval) {
        return tl::unexpected(
            InvalidParam("line_items",
                         "Checkout does not support multiple prices with different billing "
                         "intervals."));
      }
      interval = line_interval;
    }
    lines.push_back(std::move(session_line));
  }
  if (mode == "subscription" && !has_recurring) {
    return tl::unexpected(
        InvalidParam("line_items",
                     "You must provide at least one recurring price in `subscription` mode "
                     "when using prices."));
  }
  if (mode == "payment" && has_recurring) {
    return tl::unexpected(
        InvalidParam("line_items",
                     "You specified `payment` mode but passed a recurring price. Either "
                     "switch to `subscription` mode or use only one-time prices."));
  }

  const std::string id = "cs_test_" + RandomAlphanumeric(58);
  const Totals totals = SessionTotals(core, lines, coupon);
  json::array items;
  json::object discount;
  if (!coupon.empty()) {
    discount = CreateDiscount(core, coupon, customer, "", id, now);
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json::object& price = *core.store.Find(lines[i].price, "price");
    const json::object* product = core.store.Find(Text(price, "product"), "product");
    const LineTotals& line = totals.lines[i];
    json::object item;
    item["id"] = NewId("li_");
    item["object"] = "item";
    item["amount_discount"] = line.discount;
    item["amount_subtotal"] = line.amount;
    item["amount_tax"] = line.tax;
    item["amount_total"] = line.total;
    item["currency"] = "eur";
    item["description"] = product != nullptr ? product->at("name") : json::value("");
    json::array discounts;
    if (line.discount != 0) {
      json::object entry;
      entry["amount"] = line.discount;
      entry["discount"] = discount;
      discounts.push_back(std::move(entry));
    }
    item["discounts"] = std::move(discounts);
    item["price"] = price;
    item["quantity"] = lines[i].quantity;
    json::array taxes;
    for (std::size_t r = 0; r < lines[i].tax_rates.size(); ++r) {
      json::object tax;
      tax["amount"] = line.taxes[r];
      tax["rate"] = TaxRateObject(core, lines[i].tax_rates[r]);
      tax["taxability_reason"] = nullptr;
      tax["taxable_amount"] = line.amount - line.discount;
      taxes.push_back(std::move(tax));
    }
    item["taxes"] = std::move(taxes);
    items.push_back(std::move(item));
  }

  json::object session;
  session["id"] = id;
  session["object"] = "checkout.session";
  session["after_expiration"] = nullptr;
  session["allow_promotion_codes"] = nullptr;
  session["amount_subtotal"] = totals.subtotal;
  session["amount_total"] = totals.total;
  json::object automatic_tax;
  automatic_tax["enabled"] = false;
  automatic_tax["liability"] = nullptr;
  automatic_tax["status"] = nullptr;
  session["automatic_tax"] = std::move(automatic_tax);
  session["billing_address_collection"] = nullptr;
  session["cancel_url"] =
      Str(params, "cancel_url") ? json::value(*Str(params, "cancel_url")) : json::value(nullptr);
  session["client_reference_id"] = OrNull(Str(params, "client_reference_id").value_or(""));
  session["client_secret"] = nullptr;
  session["created"] = now;
  session["currency"] = "eur";
  session["customer"] = OrNull(customer);
  session["customer_creation"] =
      customer.empty() ? json::value("if_required") : json::value(nullptr);
  session["customer_details"] =
      customer.empty() ? json::value(nullptr) : json::value(CustomerDetails(core, customer, ""));
  session["customer_email"] = OrNull(Str(params, "customer_email").value_or(""));
  session["expires_at"] = expires_at;
  session["invoice"] = nullptr;
  session["invoice_creation"] = nullptr;
  session["livemode"] = false;
  session["locale"] = OrNull(Str(params, "locale").value_or(""));
  json::object metadata;
  ApplyMetadata(metadata, At(params, "metadata"));
  session["metadata"] = std::move(metadata);
  session["mode"] = mode;
  session["payment_intent"] = nullptr;
  session["payment_link"] = nullptr;
  session["payment_method_collection"] =
      mode == "subscription" ? json::value("always") : json::value(nullptr);
  std::vector<std::string> method_types = StrList(params, "payment_method_types");
  if (method_types.empty()) method_types.emplace_back("card");
  json::array types;
  for (const std::string& type : method_types) types.push_back(json::value(type));
  session["payment_method_types"] = std::move(types);
  session["payment_status"] = totals.total == 0 ? "no_payment_required" : "unpaid";
  session["recovered_from"] = nullptr;
  session["setup_intent"] = nullptr;
  session["shipping_address_collection"] = nullptr;
  session["shipping_cost"] = nullptr;
  session["shipping_details"] = nullptr;
  session["shipping_options"] = json::array();
  session["status"] = "open";
  session["submit_type"] = nullptr;
  session["subscription"] = nullptr;
  session["success_url"] = *success_url;
  json::object total_details;
  total_details["amount_discount"] = totals.discount;
  total_details["amount_shipping"] = 0;
  total_details["amount_tax"] = totals.tax;
  session["total_details"] = std::move(total_details);
  session["ui_mode"] = "hosted";
  session["url"] = core.public_url + "/c/pay/" + id;

  json::object& hidden = core.store.Private(id);
  json::array stored_lines;
  for (const SessionLine& line : lines) {
    json::object entry;
    entry["price"] = line.price;
    entry["quantity"] = line.quantity;
    json::array rates;
    for (const std::string& rate : line.tax_rates) rates.push_back(json::value(rate));
    entry["tax_rates"] = std::move(rates);
    stored_lines.push_back(std::move(entry));
  }
  hidden["lines"] = std::move(stored_lines);
  hidden["line_items"] = std::move(items);
  hidden["coupon"] = coupon;
  json::object subscription_metadata;
  ApplyMetadata(subscription_metadata, At(params, "subscription_data.metadata"));
  hidden["subscription_metadata"] = std::move(subscription_metadata);
  // The session's lifetime on the wall clock, compressed by the time factor.
  hidden["expires_at_ms"] =
      WallMilliseconds() + (expires_at - now) * 1000 / std::max<std::int64_t>(1, core.time_factor);
  return core.store.Insert("checkout.session", std::move(session));
}

json::array SessionLineItems(Core& core, const std::string& session_id) {
  return core.store.Private(session_id).at("line_items").as_array();
}

ApiResult ExpireCheckoutSession(Core& core, const std::string& session_id) {
  json::object* session = core.store.Find(session_id, "checkout.session");
  if (session == nullptr) return tl::unexpected(NoSuch("checkout.session", session_id));
  const std::string status = Text(*session, "status");
  if (status != "open") {
    return tl::unexpected(InvalidState(
        "Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout "
        "Session has a status of \"" +
        status + "\"."));
  }
  const std::int64_t now = Text(*session, "customer").empty()
                               ? WallSeconds()
                               : NowForCustomer(core.store, Text(*session, "customer"));
  (*session)["status"] = "expired";
  (*session)["url"] = nullptr;
  core.events.Emit("checkout.session.expired", *session, now);
  return *session;
}

void ExpireDueSessions(Core& core, std::int64_t now_ms) {
  std::vector<std::string> due;
  for (const std::string& id : core.store.Ids("checkout.session")) {
    const json::object& session = *core.store.Find(id, "checkout.session");
    if (Text(session, "status") != "open") continue;
    if (Number(core.store.Private(id), "expires_at_ms") <= now_ms) due.push_back(id);
  }
  for (const std::string& id : due) (void)ExpireCheckoutSession(core, id);
}

PageOutcome PayCheckoutSession(Core& core, const std::string& session_id, const PaymentForm& form) {
  PageOutcome outcome;
  json::object* found = core.store.Find(session_id, "checkout.session");
  if (found == nullptr || Text(*found, "status") != "open") {
    outcome.kind = PageOutcome::Kind::kNotOpen;
    outcome.message = "This checkout session is no longer open.";
    return outcome;
  }
  bool method_allowed = false;
  for (const json::value& type : found->at("payment_method_types").as_array()) {
    method_allowed = method_allowed || type.as_string() == form.method;
  }
  if (!method_allowed) {
    outcome.message = "This payment method is not available for this payment.";
    return outcome;
  }
  const std::int64_t wall = WallSeconds();
  const auto today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  Behaviour behaviour = Behaviour::kSucceeds;
  CardDetails card;
  std::string iban;
  if (form.method == "card") {
    const CardCheck check =
        CheckCard(form.card_number, form.expiry, form.cvc, static_cast<int>(today.year()),
                  static_cast<int>(static_cast<unsigned>(today.month())));
    if (!check.behaviour) {
      outcome.message = check.message;
      return outcome;
    }
    behaviour = *check.behaviour;
    card.number = check.number;
    const auto slash = form.expiry.find('/');
    card.exp_month = std::atoi(form.expiry.substr(0, slash).c_str());
    card.exp_year = std::atoi(form.expiry.substr(slash + 1).c_str());
    if (card.exp_year < 100) card.exp_year += 2000;
    card.name = form.name;
  } else {
    const IbanCheck check = CheckIban(form.iban);
    if (!check.behaviour) {
      outcome.message = check.message;
      return outcome;
    }
    behaviour = *check.behaviour;
    iban = check.iban;
  }

  const std::string customer = EnsureCustomer(core, *found, form, wall);
  const std::int64_t now = NowForCustomer(core.store, customer);
  const std::string method =
      form.method == "card"
          ? CreateCardPaymentMethod(core, customer, card, behaviour, now)
          : CreateSepaPaymentMethod(core, customer, iban, form.name, behaviour, now);
  json::object& session = *core.store.Find(session_id, "checkout.session");
  const std::string mode = Text(session, "mode");
  const std::int64_t amount = Number(session, "amount_total");

  PaymentAttempt attempt;
  const bool declines =
      behaviour == Behaviour::kGenericDecline || behaviour == Behaviour::kInsufficientFunds;
  if (mode == "payment" || declines) {
    ChargeRequest request;
    request.customer = customer;
    request.payment_method = method;
    request.amount = amount;
    request.payment_intent = Text(session, "payment_intent");
    request.now = now;
    attempt = ChargePaymentMethod(core, request);
    if (mode == "payment") session["payment_intent"] = attempt.payment_intent;
    if (attempt.status == PaymentStatus::kFailed) {
      outcome.kind = PageOutcome::Kind::kDeclined;
      outcome.message = attempt.error.message;
      return outcome;
    }
    if (attempt.status == PaymentStatus::kProcessing) {
      core.store.Private(attempt.payment_intent)["checkout_session"] = session_id;
    }
  } else {
    SetDefaultPaymentMethod(core, customer, method, now);
    attempt = StartSubscription(core, session_id, customer, method, now);
  }
  const bool paid = attempt.status == PaymentStatus::kSucceeded;
  Complete(core, session_id, customer, form.name, paid, now);
  outcome.kind = paid ? PageOutcome::Kind::kPaid : PageOutcome::Kind::kProcessing;
  outcome.redirect = SuccessUrl(*core.store.Find(session_id, "checkout.session"));
  return outcome;
}

void SettleSessionPayment(Core& core, const std::string& payment_intent) {
  const json::object* intent = core.store.Find(payment_intent, "payment_intent");
  if (intent == nullptr) return;
  const std::string customer = Text(*intent, "customer");
  const std::int64_t now = NowForCustomer(core.store, customer);
  const bool succeeded = SettleSepaDebit(core, payment_intent, now);
  const std::string invoice_id =
      Text(*core.store.Find(payment_intent, "payment_intent"), "invoice");
  if (!invoice_id.empty()) {
    if (succeeded) {
      MarkInvoicePaid(core, invoice_id, now);
    } else {
      RecordFailedAttempt(core, invoice_id, now);
      // A SEPA debit is not retried on the card dunning schedule.
      (*core.store.Find(invoice_id, "invoice"))["next_payment_attempt"] = nullptr;
    }
    AfterInvoicePayment(core, invoice_id, succeeded, now);
  }
  const std::string session_id = Text(core.store.Private(payment_intent), "checkout_session");
  json::object* session = core.store.Find(session_id, "checkout.session");
  if (session == nullptr) return;
  if (succeeded) (*session)["payment_status"] = "paid";
  core.events.Emit(succeeded ? "checkout.session.async_payment_succeeded"
                             : "checkout.session.async_payment_failed",
                   *session, now);
}

}  // namespace codezero::stripe_fake
