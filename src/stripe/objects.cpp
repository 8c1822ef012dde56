#include "stripe/objects.h"

namespace codezero::stripe {
namespace {

namespace json = boost::json;

std::optional<std::int64_t> PositiveTime(const json::object& object, std::string_view name) {
  const auto value = IntOf(object, name);
  if (!value || *value <= 0) return std::nullopt;
  return value;
}

std::vector<SubscriptionItem> ItemsOf(const json::object& subscription) {
  std::vector<SubscriptionItem> items;
  const auto* list = subscription.if_contains("items");
  if (list == nullptr || !list->is_object()) return items;
  const auto* data = list->as_object().if_contains("data");
  if (data == nullptr || !data->is_array()) return items;
  for (const json::value& entry : data->as_array()) {
    if (!entry.is_object()) continue;
    SubscriptionItem item;
    item.id = StringOf(entry.as_object(), "id");
    if (const auto* price = entry.as_object().if_contains("price"); price && price->is_object()) {
      item.product = StringOf(price->as_object(), "product");
    }
    item.quantity = IntOf(entry.as_object(), "quantity").value_or(1);
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

std::string StringOf(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr) return {};
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_object()) return StringOf(value->as_object(), "id");  // expanded
  return {};
}

std::optional<std::int64_t> IntOf(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  boost::system::error_code ec;
  const auto number = value->to_number<std::int64_t>(ec);
  if (ec) return std::nullopt;
  return number;
}

bool BoolOf(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_bool() && value->as_bool();
}

std::string MetadataOf(const json::object& object, std::string_view name) {
  const auto* metadata = object.if_contains("metadata");
  if (metadata == nullptr || !metadata->is_object()) return {};
  return StringOf(metadata->as_object(), name);
}

bool CheckoutSession::Paid() const {
  return status == "complete" &&
         (payment_status == "paid" || payment_status == "no_payment_required");
}

CheckoutSession DecodeCheckoutSession(const json::object& json) {
  CheckoutSession session;
  session.id = StringOf(json, "id");
  session.status = StringOf(json, "status");
  session.payment_status = StringOf(json, "payment_status");
  session.customer = StringOf(json, "customer");
  session.subscription = StringOf(json, "subscription");
  session.url = StringOf(json, "url");
  session.order_id = MetadataOf(json, "order_id");
  if (session.order_id.empty()) session.order_id = StringOf(json, "client_reference_id");
  session.amount_total = IntOf(json, "amount_total");
  return session;
}

Subscription DecodeSubscription(const json::object& json) {
  Subscription subscription;
  subscription.id = StringOf(json, "id");
  subscription.customer = StringOf(json, "customer");
  subscription.status = StringOf(json, "status");
  subscription.order_id = MetadataOf(json, "order_id");
  subscription.current_period_start = PositiveTime(json, "current_period_start");
  subscription.current_period_end = PositiveTime(json, "current_period_end");
  subscription.cancel_at_period_end = BoolOf(json, "cancel_at_period_end");
  subscription.canceled_at = PositiveTime(json, "canceled_at");
  subscription.ended_at = PositiveTime(json, "ended_at");
  subscription.items = ItemsOf(json);
  return subscription;
}

Invoice DecodeInvoice(const json::object& json) {
  Invoice invoice;
  invoice.id = StringOf(json, "id");
  invoice.customer = StringOf(json, "customer");
  invoice.subscription = StringOf(json, "subscription");
  invoice.number = StringOf(json, "number");
  invoice.status = StringOf(json, "status");
  invoice.billing_reason = StringOf(json, "billing_reason");
  invoice.currency = StringOf(json, "currency");
  invoice.subtotal = IntOf(json, "subtotal").value_or(0);
  invoice.tax = IntOf(json, "tax").value_or(0);
  invoice.total = IntOf(json, "total").value_or(0);
  invoice.amount_due = IntOf(json, "amount_due").value_or(0);
  invoice.amount_paid = IntOf(json, "amount_paid").value_or(0);
  invoice.attempt_count = static_cast<int>(IntOf(json, "attempt_count").value_or(0));
  invoice.next_payment_attempt = PositiveTime(json, "next_payment_attempt");
  invoice.period_start = PositiveTime(json, "period_start");
  invoice.period_end = PositiveTime(json, "period_end");
  invoice.created = PositiveTime(json, "created");
  invoice.hosted_invoice_url = StringOf(json, "hosted_invoice_url");
  invoice.invoice_pdf = StringOf(json, "invoice_pdf");
  invoice.footer = StringOf(json, "footer");
  return invoice;
}

Charge DecodeCharge(const json::object& json) {
  Charge charge;
  charge.id = StringOf(json, "id");
  charge.customer = StringOf(json, "customer");
  charge.invoice = StringOf(json, "invoice");
  charge.amount = IntOf(json, "amount").value_or(0);
  charge.amount_refunded = IntOf(json, "amount_refunded").value_or(0);
  charge.refunded = BoolOf(json, "refunded");
  return charge;
}

Refund DecodeRefund(const json::object& json) {
  Refund refund;
  refund.id = StringOf(json, "id");
  refund.charge = StringOf(json, "charge");
  refund.amount = IntOf(json, "amount").value_or(0);
  refund.status = StringOf(json, "status");
  return refund;
}

Customer DecodeCustomer(const json::object& json) {
  Customer customer;
  customer.id = StringOf(json, "id");
  customer.name = StringOf(json, "name");
  customer.tax_exempt = StringOf(json, "tax_exempt");
  customer.company_id = MetadataOf(json, "company_id");
  return customer;
}

Event DecodeEvent(const json::object& json) {
  Event event;
  event.id = StringOf(json, "id");
  event.type = StringOf(json, "type");
  event.api_version = StringOf(json, "api_version");
  event.created = PositiveTime(json, "created");
  event.livemode = BoolOf(json, "livemode");
  if (const auto* data = json.if_contains("data"); data && data->is_object()) {
    if (const auto* object = data->as_object().if_contains("object"); object && object->is_object())
      event.object = &object->as_object();
  }
  return event;
}

}  // namespace codezero::stripe
