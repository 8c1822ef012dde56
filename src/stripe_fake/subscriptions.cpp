#include "stripe_fake/subscriptions.h"

#include <chrono>
#include <limits>

#include <boost/json/array.hpp>

#include "stripe_fake/amounts.h"
#include "stripe_fake/catalog.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/invoices.h"
#include "stripe_fake/params.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

json::object& SubscriptionOf(Core& core, const std::string& id) {
  return *core.store.Find(id, "subscription");
}

std::string IntervalOf(const json::object& subscription) {
  const json::array& items = subscription.at("items").as_object().at("data").as_array();
  if (items.empty()) return "month";
  const json::value* interval = At(items.front(), "price.recurring.interval");
  return interval != nullptr && interval->is_string() ? std::string(interval->as_string())
                                                      : "month";
}

std::string ProductName(Core& core, const json::object& price) {
  const json::object* product = core.store.Find(Text(price, "product"), "product");
  return product != nullptr ? Text(*product, "name") : Text(price, "product");
}

std::string DateText(std::int64_t when) {
  const auto day = std::chrono::floor<std::chrono::days>(sys_seconds(std::chrono::seconds(when)));
  const std::chrono::year_month_day date(day);
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return std::to_string(static_cast<unsigned>(date.day())) + " " +
         kMonths[static_cast<unsigned>(date.month()) - 1] + " " +
         std::to_string(static_cast<int>(date.year()));
}

json::object NewItem(Core& core, const std::string& subscription, const std::string& price_id,
                     std::int64_t quantity, const std::vector<std::string>& tax_rates,
                     std::int64_t now) {
  json::object item;
  const std::string id = NewId("si_");
  item["id"] = id;
  item["object"] = "subscription_item";
  item["billing_thresholds"] = nullptr;
  item["created"] = now;
  item["discounts"] = json::array();
  item["metadata"] = json::object();
  item["price"] = *core.store.Find(price_id, "price");
  item["quantity"] = quantity;
  item["subscription"] = subscription;
  json::array rates;
  for (const std::string& rate : tax_rates) {
    if (const json::object* tax_rate = core.store.Find(rate, "tax_rate"))
      rates.push_back(*tax_rate);
  }
  item["tax_rates"] = std::move(rates);
  return item;
}

std::vector<std::string> TaxRateIds(const json::object& item) {
  std::vector<std::string> ids;
  for (const json::value& rate : item.at("tax_rates").as_array()) {
    ids.push_back(Text(rate.as_object(), "id"));
  }
  return ids;
}

void SyncSingleItemFields(json::object& subscription) {
  const json::array& items = subscription.at("items").as_object().at("data").as_array();
  subscription["quantity"] =
      items.size() == 1 ? json::value(items.front().at("quantity")) : json::value(nullptr);
  json::object& list = subscription.at("items").as_object();
  list["total_count"] = items.size();
}

void EndSubscription(Core& core, const std::string& id, std::int64_t now, std::int64_t ended_at,
                     const std::string& reason) {
  json::object& subscription = SubscriptionOf(core, id);
  subscription["status"] = "canceled";
  if (subscription.at("canceled_at").is_null()) subscription["canceled_at"] = now;
  subscription["ended_at"] = ended_at;
  subscription["cancel_at"] = nullptr;
  subscription["cancel_at_period_end"] = false;
  subscription.at("cancellation_details").as_object()["reason"] = reason;
  core.events.Emit("customer.subscription.deleted", subscription, now);
}

// The renewal lines of `subscription` for the period [start, end): its items at their prices.
std::vector<InvoiceLineDraft> RenewalLines(Core& core, const json::object& subscription,
                                           std::int64_t start, std::int64_t end) {
  const std::string interval = IntervalOf(subscription);
  std::vector<InvoiceLineDraft> lines;
  for (const json::value& value : subscription.at("items").as_object().at("data").as_array()) {
    const json::object& item = value.as_object();
    const json::object& price = item.at("price").as_object();
    InvoiceLineDraft line;
    line.price = Text(price, "id");
    line.quantity = Number(item, "quantity", 1);
    line.amount = Number(price, "unit_amount") * line.quantity;
    line.tax_rates = TaxRateIds(item);
    line.description = std::to_string(line.quantity) + " × " + ProductName(core, price) + " (at " +
                       std::to_string(Number(price, "unit_amount")) + " / " + interval + ")";
    line.period_start = start;
    line.period_end = end;
    line.subscription_item = Text(item, "id");
    lines.push_back(std::move(line));
  }
  return lines;
}

// `invoice.upcoming`, kUpcomingDays before a renewal: a preview of the renewal invoice without
// an id (the subscription's items at their prices and tax rates; pending invoice items and the
// discount are not previewed).
void AnnounceRenewal(Core& core, const std::string& id, std::int64_t at) {
  json::object& subscription = SubscriptionOf(core, id);
  const std::int64_t renews = Number(subscription, "current_period_end");
  core.store.Private(id)["upcoming_for"] = renews;
  const std::string interval = IntervalOf(subscription);
  const std::int64_t periods = Number(core.store.Private(id), "periods", 1) + 1;
  const std::int64_t end =
      PeriodBoundary(Number(subscription, "billing_cycle_anchor"), interval, periods);
  std::vector<AmountLine> amounts;
  json::array lines;
  for (const InvoiceLineDraft& draft : RenewalLines(core, subscription, renews, end)) {
    AmountLine amount;
    amount.amount = draft.amount;
    for (const std::string& rate : draft.tax_rates) {
      amount.tax_basis_points.push_back(TaxRateBasisPoints(core, rate));
    }
    amounts.push_back(std::move(amount));
    json::object line;
    line["object"] = "line_item";
    line["amount"] = draft.amount;
    line["description"] = draft.description;
    line["quantity"] = draft.quantity;
    lines.push_back(std::move(line));
  }
  const Totals totals = ComputeTotals(amounts, nullptr);
  json::object preview;
  preview["object"] = "invoice";
  preview["customer"] = Text(subscription, "customer");
  preview["subscription"] = id;
  preview["billing_reason"] = "upcoming";
  preview["currency"] = Text(subscription, "currency");
  preview["status"] = "draft";
  preview["subtotal"] = totals.subtotal;
  preview["tax"] = totals.tax;
  preview["total"] = totals.total;
  preview["amount_due"] = totals.total;
  preview["period_start"] = Number(subscription, "current_period_start");
  preview["period_end"] = renews;
  preview["next_payment_attempt"] = renews + kDraftSeconds;
  preview["lines"] = NestedList(std::move(lines), "/v1/invoices/upcoming/lines");
  core.events.Emit("invoice.upcoming", preview, at);
}

// A renewal, in two steps as at Stripe: at the period's end the subscription moves on and a
// draft invoice is created (invoice.created), finalized and charged kDraftSeconds later
// (FinalizeRenewal). A subscription set to cancel at the period's end ends instead.
void Renew(Core& core, const std::string& id, std::int64_t at) {
  json::object& subscription = SubscriptionOf(core, id);
  if (subscription.at("cancel_at_period_end").as_bool()) {
    EndSubscription(core, id, at, Number(subscription, "current_period_end"),
                    "cancellation_requested");
    return;
  }
  const json::object before = subscription;
  json::object& hidden = core.store.Private(id);
  const std::int64_t periods = Number(hidden, "periods", 1) + 1;
  hidden["periods"] = periods;
  const std::int64_t anchor = Number(subscription, "billing_cycle_anchor");
  const std::int64_t start = Number(subscription, "current_period_end");
  const std::int64_t end = PeriodBoundary(anchor, IntervalOf(subscription), periods);
  subscription["current_period_start"] = start;
  subscription["current_period_end"] = end;

  InvoiceDraft draft;
  draft.customer = Text(subscription, "customer");
  draft.subscription = id;
  draft.billing_reason = "subscription_cycle";
  draft.period_start = Number(before, "current_period_start");
  draft.period_end = start;
  draft.now = at;
  draft.lines = RenewalLines(core, subscription, start, end);
  for (InvoiceLineDraft& pending : TakePendingItems(core, draft.customer, id)) {
    draft.lines.push_back(std::move(pending));
  }
  draft.discount = ActiveDiscount(core, id);
  if (!draft.discount.empty()) {
    draft.coupon =
        Text(core.store.Find(draft.discount, "discount")->at("coupon").as_object(), "id");
  }
  const std::string invoice_id = CreateInvoice(core, draft);
  if (!draft.discount.empty()) UseDiscount(core, id);
  core.store.Private(invoice_id)["finalize_at"] = at + kDraftSeconds;
  json::object& current = SubscriptionOf(core, id);
  current["latest_invoice"] = invoice_id;
  core.events.EmitUpdated("customer.subscription.updated", before, current, at);
}

// The renewal's draft finalized and charged; past_due on failure. A subscription canceled
// while its renewal was a draft is not charged: the draft is deleted (invoice.deleted).
void FinalizeRenewal(Core& core, const std::string& invoice_id, std::int64_t at) {
  core.store.Private(invoice_id).erase("finalize_at");
  const std::string id = Text(*core.store.Find(invoice_id, "invoice"), "subscription");
  if (Text(SubscriptionOf(core, id), "status") == "canceled") {
    const json::object draft = *core.store.Find(invoice_id, "invoice");
    core.store.Remove(invoice_id);
    core.events.Emit("invoice.deleted", draft, at);
    return;
  }
  FinalizeInvoice(core, invoice_id, at);
  if (Text(*core.store.Find(invoice_id, "invoice"), "status") == "paid") return;
  const PaymentAttempt attempt = PayInvoice(core, invoice_id, "", true, at);
  if (attempt.status == PaymentStatus::kFailed) {
    json::object& now_subscription = SubscriptionOf(core, id);
    if (Text(now_subscription, "status") != "past_due") {
      const json::object previous = now_subscription;
      now_subscription["status"] = "past_due";
      core.events.EmitUpdated("customer.subscription.updated", previous, now_subscription, at);
    }
  }
}

void RetryInvoice(Core& core, const std::string& invoice_id, std::int64_t at) {
  json::object& invoice = *core.store.Find(invoice_id, "invoice");
  const std::string subscription_id = Text(invoice, "subscription");
  const PaymentAttempt attempt = PayInvoice(core, invoice_id, "", true, at);
  if (attempt.status == PaymentStatus::kSucceeded) {
    AfterInvoicePayment(core, invoice_id, true, at);
    return;
  }
  const json::object& current = *core.store.Find(invoice_id, "invoice");
  if (!current.at("next_payment_attempt").is_null()) return;
  // The last retry failed: the invoice is uncollectible and the subscription ends.
  MarkUncollectible(core, invoice_id, at);
  if (json::object* subscription = core.store.Find(subscription_id, "subscription")) {
    if (Text(*subscription, "status") != "canceled") {
      EndSubscription(core, subscription_id, at, at, "payment_failed");
    }
  }
}

std::int64_t PriceAmount(Core& core, const std::string& price_id) {
  const json::object* price = core.store.Find(price_id, "price");
  return price != nullptr ? Number(*price, "unit_amount") : 0;
}

}  // namespace

std::int64_t AddMonths(std::int64_t start, std::int64_t months) {
  const sys_seconds time{std::chrono::seconds(start)};
  const sys_days day = std::chrono::floor<std::chrono::days>(time);
  const auto time_of_day = time - day;
  std::chrono::year_month_day date(day);
  const std::chrono::year_month target =
      std::chrono::year_month(date.year(), date.month()) + std::chrono::months(months);
  const std::chrono::day last =
      std::chrono::year_month_day_last(target.year(), std::chrono::month_day_last(target.month()))
          .day();
  const std::chrono::day chosen = date.day() > last ? last : date.day();
  const sys_days result{std::chrono::year_month_day(target.year(), target.month(), chosen)};
  return (result + time_of_day).time_since_epoch().count();
}

std::int64_t PeriodBoundary(std::int64_t anchor, const std::string& interval,
                            std::int64_t periods) {
  if (interval == "year") return AddMonths(anchor, 12 * periods);
  if (interval == "week") return anchor + periods * 7 * 86'400;
  if (interval == "day") return anchor + periods * 86'400;
  return AddMonths(anchor, periods);
}

std::string CreateSubscription(Core& core, const NewSubscription& request) {
  json::object subscription;
  std::string id = NewId("sub_");
  json::array items;
  std::string interval = "month";
  for (const NewSubscriptionItem& item : request.items) {
    items.push_back(NewItem(core, id, item.price, item.quantity, item.tax_rates, request.now));
    const json::value* recurring = At(items.back(), "price.recurring.interval");
    if (recurring != nullptr && recurring->is_string()) interval = recurring->as_string();
  }
  subscription["id"] = id;
  subscription["object"] = "subscription";
  subscription["application"] = nullptr;
  subscription["billing_cycle_anchor"] = request.now;
  subscription["cancel_at"] = nullptr;
  subscription["cancel_at_period_end"] = false;
  subscription["canceled_at"] = nullptr;
  json::object cancellation;
  cancellation["comment"] = nullptr;
  cancellation["feedback"] = nullptr;
  cancellation["reason"] = nullptr;
  subscription["cancellation_details"] = std::move(cancellation);
  subscription["collection_method"] = "charge_automatically";
  subscription["created"] = request.now;
  subscription["currency"] = "eur";
  subscription["current_period_end"] = PeriodBoundary(request.now, interval, 1);
  subscription["current_period_start"] = request.now;
  subscription["customer"] = request.customer;
  subscription["days_until_due"] = nullptr;
  subscription["default_payment_method"] = OrNull(request.default_payment_method);
  subscription["description"] = nullptr;
  subscription["discount"] = nullptr;
  subscription["discounts"] = json::array();
  subscription["ended_at"] = nullptr;
  subscription["items"] = NestedList(std::move(items), "/v1/subscription_items?subscription=" + id);
  subscription["latest_invoice"] = nullptr;
  subscription["livemode"] = false;
  subscription["metadata"] = request.metadata;
  subscription["pending_invoice_item_interval"] = nullptr;
  subscription["pending_update"] = nullptr;
  subscription["quantity"] = nullptr;
  subscription["start_date"] = request.now;
  subscription["status"] = "active";
  subscription["test_clock"] = core.store.Find(request.customer, "customer")->at("test_clock");
  subscription["trial_end"] = nullptr;
  subscription["trial_start"] = nullptr;
  SyncSingleItemFields(subscription);
  json::object& stored = core.store.Insert("subscription", std::move(subscription));
  json::object& hidden = core.store.Private(id);
  hidden["periods"] = 1;
  if (!request.coupon.empty()) {
    const json::object discount = CreateDiscount(core, request.coupon, request.customer, id,
                                                 request.checkout_session, request.now);
    const json::object& coupon = *core.store.Find(request.coupon, "coupon");
    const std::string duration = Text(coupon, "duration");
    std::int64_t invoices = -1;  // forever
    if (duration == "once") invoices = 1;
    if (duration == "repeating") {
      const std::int64_t months = Number(coupon, "duration_in_months", 1);
      invoices = interval == "year" ? (months + 11) / 12 : months;
    }
    hidden["discount_invoices_left"] = invoices;
    stored["discount"] = discount;
    json::array discounts;
    discounts.push_back(discount.at("id"));
    stored["discounts"] = std::move(discounts);
  }
  core.events.Emit("customer.subscription.created", stored, request.now);
  return id;
}

std::string ActiveDiscount(Core& core, const std::string& subscription_id) {
  const json::object& subscription = SubscriptionOf(core, subscription_id);
  if (!subscription.at("discount").is_object()) return {};
  return Text(subscription.at("discount").as_object(), "id");
}

void UseDiscount(Core& core, const std::string& subscription_id) {
  json::object& hidden = core.store.Private(subscription_id);
  const std::int64_t left = Number(hidden, "discount_invoices_left", -1);
  if (left < 0) return;
  hidden["discount_invoices_left"] = left - 1;
  if (left - 1 > 0) return;
  json::object& subscription = SubscriptionOf(core, subscription_id);
  subscription["discount"] = nullptr;
  subscription["discounts"] = json::array();
}

Outcome<void> UpdateSubscription(Core& core, const std::string& id,
                                 const SubscriptionChange& change) {
  json::object* found = core.store.Find(id, "subscription");
  if (found == nullptr) return tl::unexpected(NoSuch("subscription", id));
  if (Text(*found, "status") == "canceled") {
    return tl::unexpected(InvalidState(
        "A canceled subscription can only update its cancellation_details and metadata."));
  }
  const std::string customer = Text(*found, "customer");
  const std::int64_t now = NowForCustomer(core.store, customer);
  const json::object before = *found;
  json::array& items = found->at("items").as_object().at("data").as_array();

  // Validate everything first: a failed update changes nothing.
  for (std::size_t i = 0; i < change.items.size(); ++i) {
    const ItemChange& item = change.items[i];
    const std::string param = "items[" + std::to_string(i) + "]";
    if (!item.id.empty()) {
      bool known = false;
      for (const json::value& existing : items)
        known = known || Text(existing.as_object(), "id") == item.id;
      if (!known) return tl::unexpected(NoSuch("subscription item", item.id, param + "[id]"));
    } else if (item.price.empty()) {
      return tl::unexpected(ParameterMissing(item.deleted ? param + "[id]" : param + "[price]"));
    }
    if (!item.price.empty()) {
      const json::object* price = core.store.Find(item.price, "price");
      if (price == nullptr) return tl::unexpected(NoSuch("price", item.price, param + "[price]"));
      if (Text(*price, "type") != "recurring") {
        return tl::unexpected(
            InvalidParam(param + "[price]",
                         "The price specified is set to `type=one_time` but this field "
                         "only accepts prices with `type=recurring`."));
      }
    }
    if (item.quantity && *item.quantity < 0) {
      return tl::unexpected(InvalidParam(param + "[quantity]",
                                         "This value must be greater "
                                         "than or equal to 0."));
    }
  }

  // A new interval (every remaining item's new price in it, as Stripe requires): the period
  // starts anew now, with the unused time credited and the new period invoiced at once.
  const std::string old_interval = IntervalOf(*found);
  std::string new_interval = old_interval;
  const auto interval_of = [&core](const std::string& price_id) {
    const json::value* interval = At(*core.store.Find(price_id, "price"), "recurring.interval");
    return interval != nullptr && interval->is_string() ? std::string(interval->as_string()) : "";
  };
  for (const ItemChange& item : change.items) {
    if (!item.price.empty() && !item.deleted && interval_of(item.price) != old_interval) {
      new_interval = interval_of(item.price);
    }
  }
  const bool interval_changes = new_interval != old_interval;
  if (interval_changes) {
    for (const json::value& existing : items) {
      const std::string item_id = Text(existing.as_object(), "id");
      bool moved = false;
      for (const ItemChange& item : change.items) {
        if (item.id != item_id) continue;
        moved = item.deleted || (!item.price.empty() && interval_of(item.price) == new_interval);
      }
      if (!moved) {
        return tl::unexpected(
            InvalidParam("items",
                         "Currency and interval fields must match across all plans on this "
                         "subscription. Found mismatch in interval field."));
      }
    }
  }

  const std::int64_t start = Number(*found, "current_period_start");
  const std::int64_t end = Number(*found, "current_period_end");
  if (change.proration_date && (*change.proration_date < start || *change.proration_date >= end)) {
    return tl::unexpected(InvalidParam(
        "proration_date", "The proration date must be within the subscription's current period."));
  }
  const std::int64_t at = change.proration_date.value_or(now);
  const bool prorate = change.proration_behavior != "none" && at < end && at >= start;
  std::vector<InvoiceLineDraft> prorations;
  const auto add_proration = [&](const std::string& price_id, std::int64_t quantity,
                                 const std::vector<std::string>& tax_rates,
                                 const std::string& item_id, bool credit) {
    if (!prorate || quantity == 0) return;
    if (interval_changes && !credit) return;  // the new period is invoiced whole
    InvoiceLineDraft line;
    line.type = "invoiceitem";
    line.price = price_id;
    line.quantity = quantity;
    const std::int64_t full = PriceAmount(core, price_id) * quantity;
    line.amount = Prorate(full, end - at, end - start) * (credit ? -1 : 1);
    line.tax_rates = tax_rates;
    line.proration = true;
    line.period_start = at;
    line.period_end = end;
    line.subscription_item = item_id;
    const json::object& price = *core.store.Find(price_id, "price");
    line.description = std::string(credit ? "Unused time on " : "Remaining time on ") +
                       std::to_string(quantity) + " × " + ProductName(core, price) + " after " +
                       DateText(at);
    prorations.push_back(std::move(line));
  };

  for (const ItemChange& item : change.items) {
    if (item.id.empty()) {
      const std::int64_t quantity = item.quantity.value_or(1);
      const std::vector<std::string> rates = item.tax_rates.value_or(std::vector<std::string>{});
      json::object created = NewItem(core, id, item.price, quantity, rates, now);
      add_proration(item.price, quantity, rates, Text(created, "id"), false);
      items.push_back(std::move(created));
      continue;
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      json::object& existing = items[i].as_object();
      if (Text(existing, "id") != item.id) continue;
      const std::string old_price = Text(existing.at("price").as_object(), "id");
      const std::int64_t old_quantity = Number(existing, "quantity", 1);
      const std::vector<std::string> old_rates = TaxRateIds(existing);
      if (item.deleted) {
        add_proration(old_price, old_quantity, old_rates, item.id, true);
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
      const std::string new_price = item.price.empty() ? old_price : item.price;
      const std::int64_t new_quantity = item.quantity.value_or(old_quantity);
      const std::vector<std::string> new_rates = item.tax_rates.value_or(old_rates);
      if (new_price != old_price || new_quantity != old_quantity) {
        add_proration(old_price, old_quantity, old_rates, item.id, true);
        add_proration(new_price, new_quantity, new_rates, item.id, false);
      }
      existing["price"] = *core.store.Find(new_price, "price");
      existing["quantity"] = new_quantity;
      if (item.tax_rates) {
        json::array rates;
        for (const std::string& rate : new_rates) {
          if (const json::object* tax_rate = core.store.Find(rate, "tax_rate")) {
            rates.push_back(*tax_rate);
          }
        }
        existing["tax_rates"] = std::move(rates);
      }
      break;
    }
  }
  SyncSingleItemFields(*found);
  if (change.cancel_at_period_end) {
    (*found)["cancel_at_period_end"] = *change.cancel_at_period_end;
    (*found)["cancel_at"] = *change.cancel_at_period_end ? json::value(end) : json::value(nullptr);
    (*found)["canceled_at"] =
        *change.cancel_at_period_end ? json::value(now) : json::value(nullptr);
    found->at("cancellation_details").as_object()["reason"] =
        *change.cancel_at_period_end ? json::value("cancellation_requested") : json::value(nullptr);
  }
  if (change.metadata != nullptr) ApplyMetadata(found->at("metadata").as_object(), change.metadata);
  if (!change.default_payment_method.empty()) {
    (*found)["default_payment_method"] = change.default_payment_method;
  }

  for (const InvoiceLineDraft& line : prorations) CreatePendingItem(core, customer, id, line, now);
  core.events.EmitUpdated("customer.subscription.updated", before, SubscriptionOf(core, id), now);
  if (interval_changes) {
    json::object& moved = SubscriptionOf(core, id);
    const json::object before_reset = moved;
    moved["billing_cycle_anchor"] = now;
    moved["current_period_start"] = now;
    moved["current_period_end"] = PeriodBoundary(now, new_interval, 1);
    core.store.Private(id)["periods"] = 1;
    core.events.EmitUpdated("customer.subscription.updated", before_reset, moved, now);
  }
  if ((change.proration_behavior == "always_invoice" && !prorations.empty()) || interval_changes) {
    InvoiceDraft draft;
    draft.customer = customer;
    draft.subscription = id;
    draft.billing_reason = "subscription_update";
    draft.lines = TakePendingItems(core, customer, id);
    if (interval_changes) {
      const json::object& moved = SubscriptionOf(core, id);
      std::vector<InvoiceLineDraft> period = RenewalLines(
          core, moved, Number(moved, "current_period_start"), Number(moved, "current_period_end"));
      draft.lines.insert(draft.lines.begin(), period.begin(), period.end());
    }
    draft.period_start = now;
    draft.period_end = now;
    draft.now = now;
    draft.discount = ActiveDiscount(core, id);
    if (!draft.discount.empty()) {
      draft.coupon =
          Text(core.store.Find(draft.discount, "discount")->at("coupon").as_object(), "id");
    }
    const std::string invoice_id = CreateInvoice(core, draft);
    const json::object previous = SubscriptionOf(core, id);
    SubscriptionOf(core, id)["latest_invoice"] = invoice_id;
    core.events.EmitUpdated("customer.subscription.updated", previous, SubscriptionOf(core, id),
                            now);
    FinalizeInvoice(core, invoice_id, now);
    if (Text(*core.store.Find(invoice_id, "invoice"), "status") == "open") {
      const PaymentAttempt attempt = PayInvoice(core, invoice_id, "", true, now);
      if (attempt.status == PaymentStatus::kFailed)
        AfterInvoicePayment(core, invoice_id, false, now);
    }
  }
  return {};
}

Outcome<void> CancelSubscription(Core& core, const std::string& id, bool invoice_now, bool prorate,
                                 const std::string& reason) {
  json::object* found = core.store.Find(id, "subscription");
  if (found == nullptr) return tl::unexpected(NoSuch("subscription", id));
  if (Text(*found, "status") == "canceled") {
    return tl::unexpected(InvalidState("This subscription has already been canceled."));
  }
  const std::string customer = Text(*found, "customer");
  const std::int64_t now = NowForCustomer(core.store, customer);
  const std::int64_t start = Number(*found, "current_period_start");
  const std::int64_t end = Number(*found, "current_period_end");
  if (prorate && now < end) {
    for (const json::value& value : found->at("items").as_object().at("data").as_array()) {
      const json::object& item = value.as_object();
      const json::object& price = item.at("price").as_object();
      InvoiceLineDraft line;
      line.type = "invoiceitem";
      line.price = Text(price, "id");
      line.quantity = Number(item, "quantity", 1);
      line.amount = -Prorate(Number(price, "unit_amount") * line.quantity, end - now, end - start);
      line.tax_rates = TaxRateIds(item);
      line.proration = true;
      line.period_start = now;
      line.period_end = end;
      line.subscription_item = Text(item, "id");
      line.description = "Unused time on " + std::to_string(line.quantity) + " × " +
                         ProductName(core, price) + " after " + DateText(now);
      CreatePendingItem(core, customer, id, line, now);
    }
  }
  if (invoice_now) {
    std::vector<InvoiceLineDraft> lines = TakePendingItems(core, customer, id);
    if (!lines.empty()) {
      InvoiceDraft draft;
      draft.customer = customer;
      draft.subscription = id;
      draft.billing_reason = "subscription_update";
      draft.lines = std::move(lines);
      draft.period_start = now;
      draft.period_end = now;
      draft.now = now;
      const std::string invoice_id = CreateInvoice(core, draft);
      FinalizeInvoice(core, invoice_id, now);
      if (Text(*core.store.Find(invoice_id, "invoice"), "status") == "open") {
        (void)PayInvoice(core, invoice_id, "", true, now);
      }
    }
  }
  SubscriptionOf(core, id)["canceled_at"] = now;
  EndSubscription(core, id, now, now, reason);
  return {};
}

void RetryOpenInvoices(Core& core, const std::string& subscription_id) {
  const json::object& subscription = SubscriptionOf(core, subscription_id);
  const std::int64_t now = NowForCustomer(core.store, Text(subscription, "customer"));
  std::vector<std::string> open;
  for (const std::string& id : core.store.Ids("invoice")) {
    const json::object& invoice = *core.store.Find(id, "invoice");
    if (Text(invoice, "subscription") == subscription_id && Text(invoice, "status") == "open") {
      open.push_back(id);
    }
  }
  for (const std::string& id : open) {
    const PaymentAttempt attempt = PayInvoice(core, id, "", false, now);
    if (attempt.status == PaymentStatus::kSucceeded) AfterInvoicePayment(core, id, true, now);
  }
}

void AfterInvoicePayment(Core& core, const std::string& invoice_id, bool succeeded,
                         std::int64_t now) {
  const json::object& invoice = *core.store.Find(invoice_id, "invoice");
  json::object* subscription = core.store.Find(Text(invoice, "subscription"), "subscription");
  if (subscription == nullptr) return;
  const std::string status = Text(*subscription, "status");
  if (status == "canceled") return;
  const std::string wanted = succeeded ? "active" : "past_due";
  if (status == wanted) return;
  if (succeeded) {
    // Active again only when no other invoice of it is still open.
    for (const std::string& id : core.store.Ids("invoice")) {
      const json::object& other = *core.store.Find(id, "invoice");
      if (id != invoice_id && Text(other, "subscription") == Text(*subscription, "id") &&
          Text(other, "status") == "open") {
        return;
      }
    }
  }
  const json::object before = *subscription;
  (*subscription)["status"] = wanted;
  core.events.EmitUpdated("customer.subscription.updated", before, *subscription, now);
}

void RunDue(Core& core, const std::string& clock_id, std::int64_t until) {
  for (int guard = 0; guard < 100'000; ++guard) {
    std::int64_t earliest = std::numeric_limits<std::int64_t>::max();
    std::string kind;
    std::string target;
    const auto consider = [&](std::int64_t at, const char* what, const std::string& id) {
      if (at <= until && at < earliest) {
        earliest = at;
        kind = what;
        target = id;
      }
    };
    for (const std::string& id : core.store.Ids("subscription")) {
      const json::object& subscription = *core.store.Find(id, "subscription");
      const std::string status = Text(subscription, "status");
      if (status != "active" && status != "past_due") continue;
      if (ClockOfCustomer(core.store, Text(subscription, "customer")) != clock_id) continue;
      const std::int64_t end = Number(subscription, "current_period_end");
      consider(end, "renew", id);
      const bool announced = Number(core.store.Private(id), "upcoming_for") == end;
      if (!announced && !subscription.at("cancel_at_period_end").as_bool()) {
        // Never before the period began (a period shorter than the notice).
        consider(
            std::max(end - kUpcomingDays * 86'400, Number(subscription, "current_period_start")),
            "upcoming", id);
      }
    }
    for (const std::string& id : core.store.Ids("invoice")) {
      const json::object& invoice = *core.store.Find(id, "invoice");
      const std::string status = Text(invoice, "status");
      if (status == "draft") {
        const std::int64_t finalize_at = Number(core.store.Private(id), "finalize_at", -1);
        if (finalize_at < 0) continue;
        if (ClockOfCustomer(core.store, Text(invoice, "customer")) != clock_id) continue;
        consider(finalize_at, "finalize", id);
        continue;
      }
      if (status != "open" || invoice.at("next_payment_attempt").is_null()) continue;
      if (ClockOfCustomer(core.store, Text(invoice, "customer")) != clock_id) continue;
      consider(Number(invoice, "next_payment_attempt"), "retry", id);
    }
    if (kind.empty()) break;
    if (!clock_id.empty()) {
      json::object& clock = *core.store.Find(clock_id, "test_helpers.test_clock");
      clock["frozen_time"] = std::max(Number(clock, "frozen_time"), earliest);
    }
    if (kind == "upcoming") {
      AnnounceRenewal(core, target, earliest);
    } else if (kind == "renew") {
      Renew(core, target, earliest);
    } else if (kind == "finalize") {
      FinalizeRenewal(core, target, earliest);
    } else {
      RetryInvoice(core, target, earliest);
    }
    core.store.MarkDirty();
  }
}

}  // namespace codezero::stripe_fake
