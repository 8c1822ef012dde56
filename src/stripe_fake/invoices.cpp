#include "stripe_fake/invoices.h"

#include <algorithm>
#include <map>

#include <boost/json/array.hpp>

#include "stripe_fake/amounts.h"
#include "stripe_fake/catalog.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

std::string InvoiceNumber(Core& core, const std::string& customer_id) {
  json::object& customer = *core.store.Find(customer_id, "customer");
  const std::int64_t sequence = Number(customer, "next_invoice_sequence", 1);
  customer["next_invoice_sequence"] = sequence + 1;
  std::string digits = std::to_string(sequence);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return Text(customer, "invoice_prefix") + "-" + digits;
}

std::string DefaultPaymentMethod(Core& core, const json::object& invoice) {
  if (const json::object* subscription =
          core.store.Find(Text(invoice, "subscription"), "subscription")) {
    std::string method = Text(*subscription, "default_payment_method");
    if (!method.empty()) return method;
  }
  if (const json::object* customer = core.store.Find(Text(invoice, "customer"), "customer")) {
    if (const json::value* settings = customer->if_contains("invoice_settings")) {
      if (settings->is_object()) return Text(settings->as_object(), "default_payment_method");
    }
  }
  return {};
}

}  // namespace

const std::vector<std::int64_t>& DunningScheduleDays() {
  static const std::vector<std::int64_t> days{3, 5, 7};
  return days;
}

std::string CreateInvoice(Core& core, const InvoiceDraft& draft) {
  std::vector<AmountLine> amount_lines;
  for (const InvoiceLineDraft& line : draft.lines) {
    AmountLine amount_line;
    amount_line.amount = line.amount;
    const json::object* price = core.store.Find(line.price, "price");
    amount_line.discountable = !draft.coupon.empty() && price != nullptr &&
                               CouponAppliesTo(core, draft.coupon, Text(*price, "product"));
    for (const std::string& rate : line.tax_rates) {
      amount_line.tax_basis_points.push_back(TaxRateBasisPoints(core, rate));
    }
    amount_lines.push_back(std::move(amount_line));
  }
  const CouponTerms terms = CouponTermsOf(core, draft.coupon);
  const Totals totals = ComputeTotals(amount_lines, draft.coupon.empty() ? nullptr : &terms);

  json::object invoice;
  std::string id = NewId("in_");
  json::object& customer = *core.store.Find(draft.customer, "customer");
  if (customer.at("currency").is_null()) customer["currency"] = "eur";  // set by its first invoice
  json::array lines;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> tax_by_rate;  // amount, taxable
  for (std::size_t i = 0; i < draft.lines.size(); ++i) {
    const InvoiceLineDraft& draft_line = draft.lines[i];
    const LineTotals& line_totals = totals.lines[i];
    json::object line;
    line["id"] = NewId("il_");
    line["object"] = "line_item";
    line["amount"] = draft_line.amount;
    line["amount_excluding_tax"] = draft_line.amount;
    line["currency"] = "eur";
    line["description"] = draft_line.description;
    json::array discount_amounts;
    if (!draft.discount.empty()) {
      json::object entry;
      entry["amount"] = line_totals.discount;
      entry["discount"] = draft.discount;
      discount_amounts.push_back(std::move(entry));
    }
    line["discount_amounts"] = std::move(discount_amounts);
    line["discountable"] = true;
    json::array line_discounts;
    if (!draft.discount.empty() && line_totals.discount != 0) {
      line_discounts.push_back(json::value(draft.discount));
    }
    line["discounts"] = std::move(line_discounts);
    line["invoice"] = id;
    line["invoice_item"] = OrNull(draft_line.invoice_item);
    line["livemode"] = false;
    line["metadata"] = json::object();
    json::object period;
    period["end"] = draft_line.period_end;
    period["start"] = draft_line.period_start;
    line["period"] = std::move(period);
    const json::object* price = core.store.Find(draft_line.price, "price");
    line["price"] = price != nullptr ? json::value(*price) : json::value(nullptr);
    line["proration"] = draft_line.proration;
    line["quantity"] = draft_line.quantity;
    line["subscription"] = OrNull(draft.subscription);
    line["subscription_item"] = OrNull(draft_line.subscription_item);
    json::array tax_amounts;
    json::array tax_rates;
    for (std::size_t r = 0; r < draft_line.tax_rates.size(); ++r) {
      json::object tax;
      tax["amount"] = line_totals.taxes[r];
      tax["inclusive"] = false;
      tax["tax_rate"] = draft_line.tax_rates[r];
      tax["taxability_reason"] = nullptr;
      tax["taxable_amount"] = line_totals.amount - line_totals.discount;
      tax_amounts.push_back(std::move(tax));
      auto& sum = tax_by_rate[draft_line.tax_rates[r]];
      sum.first += line_totals.taxes[r];
      sum.second += line_totals.amount - line_totals.discount;
      if (const json::object* rate = core.store.Find(draft_line.tax_rates[r], "tax_rate")) {
        tax_rates.push_back(*rate);
      }
    }
    line["tax_amounts"] = std::move(tax_amounts);
    line["tax_rates"] = std::move(tax_rates);
    line["type"] = draft_line.type;
    lines.push_back(std::move(line));
    if (!draft_line.invoice_item.empty()) {
      if (json::object* item = core.store.Find(draft_line.invoice_item, "invoiceitem")) {
        (*item)["invoice"] = id;
      }
    }
  }

  invoice["id"] = id;
  invoice["object"] = "invoice";
  invoice["account_country"] = "DE";
  invoice["account_name"] = "Code Zero AI (test)";
  // The account's tax IDs, as Stripe adds the invoice template's default ones.
  json::array account_tax_ids;
  for (const std::string& tax_id : core.store.Ids("tax_id")) {
    const json::object* found = core.store.Find(tax_id, "tax_id");
    if (found != nullptr && found->at("customer").is_null()) account_tax_ids.emplace_back(tax_id);
  }
  invoice["account_tax_ids"] = std::move(account_tax_ids);
  invoice["amount_due"] = std::max<std::int64_t>(0, totals.total);
  invoice["amount_paid"] = 0;
  invoice["amount_remaining"] = std::max<std::int64_t>(0, totals.total);
  invoice["amount_shipping"] = 0;
  invoice["attempt_count"] = 0;
  invoice["attempted"] = false;
  invoice["auto_advance"] = true;
  invoice["billing_reason"] = draft.billing_reason;
  invoice["charge"] = nullptr;
  invoice["collection_method"] = "charge_automatically";
  invoice["created"] = draft.now;
  invoice["currency"] = "eur";
  invoice["customer"] = draft.customer;
  invoice["customer_address"] = customer.at("address");
  invoice["customer_email"] = customer.at("email");
  invoice["customer_name"] = customer.at("name");
  invoice["customer_tax_exempt"] = customer.at("tax_exempt");
  // As at Stripe, the customer's tax IDs and invoice footer as they are when the invoice is made.
  json::array customer_tax_ids;
  if (const json::value* tax_ids = core.store.Private(draft.customer).if_contains("tax_ids")) {
    for (const json::value& tax_id : tax_ids->as_array()) {
      json::object entry;
      entry["type"] = tax_id.as_object().at("type");
      entry["value"] = tax_id.as_object().at("value");
      customer_tax_ids.push_back(std::move(entry));
    }
  }
  invoice["customer_tax_ids"] = std::move(customer_tax_ids);
  invoice["footer"] = customer.at("invoice_settings").as_object().at("footer");
  invoice["default_payment_method"] = nullptr;
  invoice["description"] = nullptr;
  const json::object* discount = core.store.Find(draft.discount, "discount");
  invoice["discount"] = discount != nullptr ? json::value(*discount) : json::value(nullptr);
  json::array discounts;
  if (!draft.discount.empty()) discounts.push_back(json::value(draft.discount));
  invoice["discounts"] = std::move(discounts);
  invoice["due_date"] = nullptr;
  invoice["ending_balance"] = nullptr;
  invoice["hosted_invoice_url"] = nullptr;
  invoice["invoice_pdf"] = nullptr;
  invoice["last_finalization_error"] = nullptr;
  const std::size_t line_count = lines.size();
  json::array included(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(
                                                          std::min(line_count, kLinesIncluded)));
  core.store.Private(id)["lines"] = std::move(lines);
  json::object nested = NestedList(std::move(included), "/v1/invoices/" + id + "/lines");
  nested["has_more"] = line_count > kLinesIncluded;
  nested["total_count"] = line_count;
  invoice["lines"] = std::move(nested);
  invoice["livemode"] = false;
  invoice["metadata"] = json::object();
  invoice["next_payment_attempt"] = nullptr;
  invoice["number"] = nullptr;
  invoice["paid"] = false;
  invoice["paid_out_of_band"] = false;
  invoice["payment_intent"] = nullptr;
  invoice["period_end"] = draft.period_end;
  invoice["period_start"] = draft.period_start;
  invoice["starting_balance"] = Number(customer, "balance");
  invoice["status"] = "draft";
  json::object transitions;
  transitions["finalized_at"] = nullptr;
  transitions["marked_uncollectible_at"] = nullptr;
  transitions["paid_at"] = nullptr;
  transitions["voided_at"] = nullptr;
  invoice["status_transitions"] = std::move(transitions);
  invoice["subscription"] = OrNull(draft.subscription);
  json::object subscription_details;
  json::value metadata = nullptr;
  if (const json::object* subscription = core.store.Find(draft.subscription, "subscription")) {
    metadata = subscription->at("metadata");
  }
  subscription_details["metadata"] = std::move(metadata);
  invoice["subscription_details"] = std::move(subscription_details);
  invoice["subtotal"] = totals.subtotal;
  invoice["subtotal_excluding_tax"] = totals.subtotal;
  invoice["tax"] = totals.tax;
  invoice["test_clock"] = customer.at("test_clock");
  invoice["total"] = totals.total;
  json::array discount_amounts;
  if (!draft.discount.empty()) {
    json::object entry;
    entry["amount"] = totals.discount;
    entry["discount"] = draft.discount;
    discount_amounts.push_back(std::move(entry));
  }
  invoice["total_discount_amounts"] = std::move(discount_amounts);
  invoice["total_excluding_tax"] = totals.subtotal - totals.discount;
  json::array tax_amounts;
  for (const auto& [rate, sums] : tax_by_rate) {
    json::object tax;
    tax["amount"] = sums.first;
    tax["inclusive"] = false;
    tax["tax_rate"] = rate;
    tax["taxability_reason"] = nullptr;
    tax["taxable_amount"] = sums.second;
    tax_amounts.push_back(std::move(tax));
  }
  invoice["total_tax_amounts"] = std::move(tax_amounts);
  invoice["webhooks_delivered_at"] = nullptr;
  json::object& stored = core.store.Insert("invoice", std::move(invoice));
  core.events.Emit("invoice.created", stored, draft.now);
  return id;
}

const json::array& InvoiceLines(Core& core, const std::string& invoice_id) {
  // An invoice of a state saved before all lines were kept privately: the lines it carries.
  const json::value* all = core.store.Private(invoice_id).if_contains("lines");
  if (all != nullptr && all->is_array()) return all->as_array();
  return core.store.Find(invoice_id, "invoice")->at("lines").as_object().at("data").as_array();
}

void FinalizeInvoice(Core& core, const std::string& invoice_id, std::int64_t now) {
  json::object& invoice = *core.store.Find(invoice_id, "invoice");
  const std::string customer_id = Text(invoice, "customer");
  json::object& customer = *core.store.Find(customer_id, "customer");
  // The customer's balance is applied to what is due, as at Stripe: a credit (negative) pays
  // for it, an amount owed (positive) is added to it; a negative result is the new credit.
  std::int64_t balance = Number(customer, "balance");
  const std::int64_t total = Number(invoice, "total");
  const std::int64_t due = std::max<std::int64_t>(0, total + balance);
  balance = std::min<std::int64_t>(0, total + balance);
  if (balance != Number(customer, "balance")) {
    const json::object before = customer;
    customer["balance"] = balance;
    core.events.EmitUpdated("customer.updated", before, customer, now);
  }
  invoice["starting_balance"] = Number(invoice, "starting_balance");
  invoice["ending_balance"] = balance;
  invoice["amount_due"] = due;
  invoice["amount_remaining"] = due;
  invoice["number"] = InvoiceNumber(core, customer_id);
  invoice["status"] = "open";
  invoice["hosted_invoice_url"] = core.public_url + "/i/" + invoice_id;
  invoice["invoice_pdf"] = core.public_url + "/i/" + invoice_id + "/pdf";
  invoice.at("status_transitions").as_object()["finalized_at"] = now;
  core.events.Emit("invoice.finalized", invoice, now);
  if (due == 0) MarkInvoicePaid(core, invoice_id, now);
}

void MarkInvoicePaid(Core& core, const std::string& invoice_id, std::int64_t now) {
  json::object& invoice = *core.store.Find(invoice_id, "invoice");
  invoice["status"] = "paid";
  invoice["paid"] = true;
  invoice["amount_paid"] = Number(invoice, "amount_due");
  invoice["amount_remaining"] = 0;
  invoice["next_payment_attempt"] = nullptr;
  invoice.at("status_transitions").as_object()["paid_at"] = now;
  core.events.Emit("invoice.paid", invoice, now);
  core.events.Emit("invoice.payment_succeeded", invoice, now);
}

void RecordFailedAttempt(Core& core, const std::string& invoice_id, std::int64_t now) {
  json::object& invoice = *core.store.Find(invoice_id, "invoice");
  json::object& hidden = core.store.Private(invoice_id);
  const std::int64_t attempts = Number(invoice, "attempt_count") + 1;
  if (attempts == 1) hidden["first_failed_at"] = now;
  const std::int64_t first = Number(hidden, "first_failed_at", now);
  const auto& days = DunningScheduleDays();
  invoice["attempt_count"] = attempts;
  invoice["attempted"] = true;
  if (static_cast<std::size_t>(attempts) <= days.size()) {
    invoice["next_payment_attempt"] = first + days[static_cast<std::size_t>(attempts - 1)] * 86'400;
  } else {
    invoice["next_payment_attempt"] = nullptr;
  }
  core.events.Emit("invoice.payment_failed", invoice, now);
}

PaymentAttempt PayInvoice(Core& core, const std::string& invoice_id, std::string payment_method,
                          bool off_session, std::int64_t now) {
  json::object& invoice = *core.store.Find(invoice_id, "invoice");
  if (payment_method.empty()) payment_method = DefaultPaymentMethod(core, invoice);
  PaymentAttempt attempt;
  if (payment_method.empty()) {
    attempt.error = StripeError{.status = 402,
                                .type = "invalid_request_error",
                                .code = "invoice_no_payment_method_types",
                                .message =
                                    "This customer has no attached payment source or "
                                    "default payment method."};
    RecordFailedAttempt(core, invoice_id, now);
    return attempt;
  }
  ChargeRequest request;
  request.customer = Text(invoice, "customer");
  request.payment_method = payment_method;
  request.amount = Number(invoice, "amount_remaining");
  request.invoice = invoice_id;
  request.payment_intent = Text(invoice, "payment_intent");
  request.off_session = off_session;
  request.description = Text(invoice, "billing_reason") == "subscription_create"
                            ? "Subscription creation"
                            : "Subscription update";
  request.now = now;
  attempt = ChargePaymentMethod(core, request);
  json::object& current = *core.store.Find(invoice_id, "invoice");
  current["payment_intent"] = attempt.payment_intent;
  current["charge"] = attempt.charge;
  if (attempt.status == PaymentStatus::kSucceeded) {
    current["attempt_count"] = Number(current, "attempt_count") + 1;
    current["attempted"] = true;
    MarkInvoicePaid(core, invoice_id, now);
  } else if (attempt.status == PaymentStatus::kFailed) {
    RecordFailedAttempt(core, invoice_id, now);
  } else {
    current["attempt_count"] = Number(current, "attempt_count") + 1;
    current["attempted"] = true;
  }
  return attempt;
}

ApiResult VoidInvoice(Core& core, const std::string& invoice_id) {
  json::object* invoice = core.store.Find(invoice_id, "invoice");
  if (invoice == nullptr) return tl::unexpected(NoSuch("invoice", invoice_id));
  const std::string status = Text(*invoice, "status");
  if (status != "open" && status != "uncollectible") {
    return tl::unexpected(
        InvalidState("You can only pass in open or uncollectible invoices. "
                     "This invoice is " +
                     status + "."));
  }
  const std::int64_t now = NowForCustomer(core.store, Text(*invoice, "customer"));
  (*invoice)["status"] = "void";
  (*invoice)["amount_remaining"] = 0;
  (*invoice)["next_payment_attempt"] = nullptr;
  invoice->at("status_transitions").as_object()["voided_at"] = now;
  core.events.Emit("invoice.voided", *invoice, now);
  return *invoice;
}

void MarkUncollectible(Core& core, const std::string& invoice_id, std::int64_t now) {
  json::object& invoice = *core.store.Find(invoice_id, "invoice");
  invoice["status"] = "uncollectible";
  invoice["next_payment_attempt"] = nullptr;
  invoice.at("status_transitions").as_object()["marked_uncollectible_at"] = now;
  core.events.Emit("invoice.marked_uncollectible", invoice, now);
}

std::string CreatePendingItem(Core& core, const std::string& customer,
                              const std::string& subscription, const InvoiceLineDraft& line,
                              std::int64_t now) {
  json::object item;
  std::string id = NewId("ii_");
  item["id"] = id;
  item["object"] = "invoiceitem";
  item["amount"] = line.amount;
  item["currency"] = "eur";
  item["customer"] = customer;
  item["date"] = now;
  item["description"] = line.description;
  item["discountable"] = true;
  item["discounts"] = json::array();
  item["invoice"] = nullptr;
  item["livemode"] = false;
  item["metadata"] = json::object();
  json::object period;
  period["end"] = line.period_end;
  period["start"] = line.period_start;
  item["period"] = std::move(period);
  const json::object* price = core.store.Find(line.price, "price");
  item["price"] = price != nullptr ? json::value(*price) : json::value(nullptr);
  item["proration"] = line.proration;
  item["quantity"] = line.quantity;
  item["subscription"] = OrNull(subscription);
  item["subscription_item"] = OrNull(line.subscription_item);
  json::array rates;
  for (const std::string& rate : line.tax_rates) {
    if (const json::object* tax_rate = core.store.Find(rate, "tax_rate"))
      rates.push_back(*tax_rate);
  }
  item["tax_rates"] = std::move(rates);
  item["test_clock"] = core.store.Find(customer, "customer")->at("test_clock");
  item["unit_amount"] = line.quantity != 0 ? line.amount / line.quantity : line.amount;
  json::object& stored = core.store.Insert("invoiceitem", std::move(item));
  json::array tax_rate_ids;
  for (const std::string& rate : line.tax_rates) tax_rate_ids.push_back(json::value(rate));
  core.store.Private(id)["tax_rates"] = std::move(tax_rate_ids);
  core.events.Emit("invoiceitem.created", stored, now);
  return id;
}

std::vector<InvoiceLineDraft> TakePendingItems(Core& core, const std::string& customer,
                                               const std::string& subscription) {
  std::vector<InvoiceLineDraft> lines;
  for (const std::string& id : core.store.Ids("invoiceitem")) {
    const json::object& item = *core.store.Find(id, "invoiceitem");
    if (Text(item, "customer") != customer || !item.at("invoice").is_null()) continue;
    if (!subscription.empty() && !item.at("subscription").is_null() &&
        Text(item, "subscription") != subscription) {
      continue;
    }
    InvoiceLineDraft line;
    line.type = "invoiceitem";
    line.invoice_item = id;
    line.amount = Number(item, "amount");
    line.quantity = Number(item, "quantity", 1);
    line.description = Text(item, "description");
    line.proration = item.at("proration").as_bool();
    line.period_start = Number(item.at("period").as_object(), "start");
    line.period_end = Number(item.at("period").as_object(), "end");
    if (item.at("price").is_object()) line.price = Text(item.at("price").as_object(), "id");
    line.subscription_item = Text(item, "subscription_item");
    if (const json::value* rates = core.store.Private(id).if_contains("tax_rates")) {
      for (const json::value& rate : rates->as_array()) {
        line.tax_rates.emplace_back(rate.as_string());
      }
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace codezero::stripe_fake
