#include "stripe/objects.h"

#include <cmath>
#include <map>

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
      if (const auto* recurring = price->as_object().if_contains("recurring");
          recurring && recurring->is_object()) {
        item.interval = StringOf(recurring->as_object(), "interval");
      }
    }
    item.quantity = IntOf(entry.as_object(), "quantity").value_or(1);
    items.push_back(std::move(item));
  }
  return items;
}

// The entries of a list member (`{"object":"list","data":[...]}`) or of an array member.
const json::array* EntriesOf(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr) return nullptr;
  if (value->is_array()) return &value->as_array();
  if (!value->is_object()) return nullptr;
  const auto* data = value->as_object().if_contains("data");
  return data != nullptr && data->is_array() ? &data->as_array() : nullptr;
}

std::int64_t SumOf(const json::object& object, std::string_view list) {
  std::int64_t sum = 0;
  if (const json::array* entries = EntriesOf(object, list)) {
    for (const json::value& entry : *entries) {
      if (entry.is_object()) sum += IntOf(entry.as_object(), "amount").value_or(0);
    }
  }
  return sum;
}

// The percentage of each tax rate an invoice names in full: its lines' `tax_rates`, and any
// expanded `total_tax_amounts[].tax_rate`.
std::map<std::string, int> RatesNamedIn(const json::object& invoice) {
  std::map<std::string, int> rates;
  const auto add = [&rates](const json::value& rate) {
    if (rate.is_object()) rates[StringOf(rate.as_object(), "id")] = BasisPointsOf(rate.as_object());
  };
  if (const json::array* lines = EntriesOf(invoice, "lines")) {
    for (const json::value& line : *lines) {
      if (!line.is_object()) continue;
      if (const json::array* line_rates = EntriesOf(line.as_object(), "tax_rates")) {
        for (const json::value& rate : *line_rates) add(rate);
      }
    }
  }
  if (const json::array* totals = EntriesOf(invoice, "total_tax_amounts")) {
    for (const json::value& total : *totals) {
      if (!total.is_object()) continue;
      if (const auto* rate = total.as_object().if_contains("tax_rate")) add(*rate);
    }
  }
  return rates;
}

}  // namespace

int BasisPointsOf(const json::object& tax_rate) {
  const auto* value = tax_rate.if_contains("percentage");
  if (value == nullptr) return 0;
  if (value->is_double()) return static_cast<int>(std::llround(value->as_double() * 100.0));
  if (value->is_int64()) return static_cast<int>(value->as_int64() * 100);
  if (value->is_uint64()) return static_cast<int>(value->as_uint64() * 100);
  return 0;
}

InvoiceLine DecodeInvoiceLine(const json::object& json) {
  InvoiceLine line;
  line.id = StringOf(json, "id");
  line.description = StringOf(json, "description");
  if (const auto* price = json.if_contains("price"); price != nullptr && price->is_object()) {
    line.product = StringOf(price->as_object(), "product");
  }
  line.quantity = IntOf(json, "quantity").value_or(0);
  line.amount = IntOf(json, "amount").value_or(0);
  line.discount = SumOf(json, "discount_amounts");
  line.tax = SumOf(json, "tax_amounts");
  if (const json::array* rates = EntriesOf(json, "tax_rates"); rates && !rates->empty()) {
    if (rates->front().is_object()) line.tax_rate_bps = BasisPointsOf(rates->front().as_object());
  }
  line.proration = BoolOf(json, "proration");
  if (const auto* period = json.if_contains("period"); period != nullptr && period->is_object()) {
    line.period_start = PositiveTime(period->as_object(), "start");
    line.period_end = PositiveTime(period->as_object(), "end");
  }
  return line;
}

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
  if (const auto* transitions = json.if_contains("status_transitions");
      transitions != nullptr && transitions->is_object()) {
    invoice.finalized_at = PositiveTime(transitions->as_object(), "finalized_at");
    invoice.paid_at = PositiveTime(transitions->as_object(), "paid_at");
  }
  invoice.due_date = PositiveTime(json, "due_date");
  invoice.total_excluding_tax =
      IntOf(json, "total_excluding_tax").value_or(invoice.total - invoice.tax);
  invoice.hosted_invoice_url = StringOf(json, "hosted_invoice_url");
  invoice.invoice_pdf = StringOf(json, "invoice_pdf");
  invoice.footer = StringOf(json, "footer");
  if (const json::array* lines = EntriesOf(json, "lines")) {
    for (const json::value& line : *lines) {
      if (line.is_object()) invoice.lines.push_back(DecodeInvoiceLine(line.as_object()));
    }
    if (const auto* list = json.if_contains("lines"); list != nullptr && list->is_object()) {
      invoice.lines_complete = !BoolOf(list->as_object(), "has_more");
    }
  }
  const std::map<std::string, int> rates = RatesNamedIn(json);
  if (const json::array* totals = EntriesOf(json, "total_tax_amounts")) {
    for (const json::value& entry : *totals) {
      if (!entry.is_object()) continue;
      InvoiceTax tax;
      tax.tax_rate = StringOf(entry.as_object(), "tax_rate");
      if (const auto found = rates.find(tax.tax_rate); found != rates.end()) {
        tax.rate_bps = found->second;
      }
      tax.taxable_amount = IntOf(entry.as_object(), "taxable_amount").value_or(0);
      tax.amount = IntOf(entry.as_object(), "amount").value_or(0);
      invoice.taxes.push_back(std::move(tax));
    }
  }
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
