#include "billing/subscription_changes.h"

#include <chrono>
#include <map>

#include <boost/json/parse.hpp>

#include "billing/order_context.h"
#include "billing/stripe_objects.h"
#include "billing/stripe_records.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "domain/pricing.h"
#include "domain/subscription_state.h"
#include "domain/violation.h"
#include "queue/enqueue.h"
#include "stripe/api_error.h"
#include "stripe/objects.h"
#include "stripe/requests.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// Shortly before the renewal: the renewal invoice must already see the lower price.
constexpr std::int64_t kScheduledLeadSeconds = 600;

constexpr db::Statement kSubscription{
    "change_subscription",
    "SELECT s.stripe_id, s.status, s.items::text, "
    "coalesce(extract(epoch FROM s.current_period_start)::bigint, 0), "
    "coalesce(extract(epoch FROM s.current_period_end)::bigint, 0), "
    "coalesce(s.tax_rate_bps, o.tax_rate_bps), o.catalog_version, "
    "coalesce((SELECT e->>'interval' FROM jsonb_array_elements(s.items) e "
    "  WHERE e ? 'interval' LIMIT 1), o.billing_interval), "
    "o.currency, coalesce(c.stripe_customer_id, ''), coalesce(s.pending_change::text, '') "
    "FROM subscriptions s JOIN orders o ON o.id = s.order_id "
    "JOIN companies c ON c.id = s.company_id "
    "WHERE s.id = $1::uuid AND s.company_id = $2::uuid"};
constexpr db::Statement kSubscriptionByStripeId{
    "change_subscription_by_stripe",
    "SELECT s.id::text, s.company_id::text, coalesce(s.pending_change::text, ''), "
    "coalesce((extract(epoch FROM s.pending_change_at) * 1000000)::bigint, 0), s.status "
    "FROM subscriptions s WHERE s.stripe_id = $1"};
constexpr db::Statement kRecordPending{
    "change_record_pending",
    "UPDATE subscriptions SET pending_change = $2::jsonb, pending_change_at = clock_timestamp() "
    "WHERE stripe_id = $1 RETURNING (extract(epoch FROM pending_change_at) * 1000000)::bigint"};
// A change made now replaces one set for the period's end.
constexpr db::Statement kDropPending{"change_drop_pending",
                                     "UPDATE subscriptions SET pending_change = NULL, "
                                     "pending_change_at = NULL WHERE stripe_id = $1"};
constexpr db::Statement kClearPending{
    "change_clear_pending",
    "UPDATE subscriptions SET pending_change = NULL, pending_change_at = NULL "
    "WHERE stripe_id = $1 AND (pending_change_at IS NOT NULL "
    "AND (extract(epoch FROM pending_change_at) * 1000000)::bigint = $2)"};

struct Current {
  std::string stripe_id;
  std::string status;
  std::string items_json;
  std::int64_t period_start = 0;
  std::int64_t period_end = 0;
  int tax_rate_bps = 0;
  int catalog_version = 0;
  std::string interval;
  std::string currency;
  std::string customer;
};

asio::awaitable<Result<Current>> Load(db::Pool& database, std::string id, std::string company) {
  auto rows = co_await database.Execute(kSubscription, id, company);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  Current c;
  c.stripe_id = std::string(rows->Text(0, 0));
  c.status = std::string(rows->Text(0, 1));
  c.items_json = std::string(rows->Text(0, 2));
  c.period_start = rows->Int64(0, 3);
  c.period_end = rows->Int64(0, 4);
  c.tax_rate_bps = static_cast<int>(rows->Int64(0, 5));
  c.catalog_version = static_cast<int>(rows->Int64(0, 6));
  c.interval = std::string(rows->Text(0, 7));
  c.currency = std::string(rows->Text(0, 8));
  c.customer = std::string(rows->Text(0, 9));
  if (c.status != "active" && c.status != "trialing") {
    co_return Fail(ErrorCode::kConflict, "Only a running subscription can be changed.");
  }
  co_return c;
}

asio::awaitable<Result<domain::Catalog>> CatalogOf(db::Pool& database, int version) {
  co_return co_await database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<domain::Catalog>> {
        co_return co_await LoadCatalog(tx, version);
      });
}

// The items held now, priced by the subscription's catalog.
std::vector<domain::HeldItem> HeldItems(const domain::Catalog& catalog, const Current& current,
                                        domain::Interval interval) {
  std::vector<domain::HeldItem> held;
  boost::system::error_code ec;
  const json::value items = json::parse(current.items_json, ec);
  if (ec || !items.is_array()) return held;
  for (const json::value& item : items.as_array()) {
    if (!item.is_object()) continue;
    domain::HeldItem h;
    h.code = stripe::StringOf(item.as_object(), "code");
    h.quantity = stripe::IntOf(item.as_object(), "quantity").value_or(1);
    if (const domain::Plan* plan = catalog.FindPlan(h.code)) {
      h.plan = true;
      h.unit_amount = catalog.UnitAmount(*plan, interval);
    } else if (const domain::Addon* addon = catalog.FindAddon(h.code)) {
      h.unit_amount = catalog.UnitAmount(*addon, interval);
    } else {
      continue;  // not ours
    }
    held.push_back(std::move(h));
  }
  return held;
}

std::string PlanOf(const std::vector<domain::HeldItem>& held) {
  for (const domain::HeldItem& item : held) {
    if (item.plan) return item.code;
  }
  return {};
}

// The wanted configuration checked against the catalog's rules and priced.
Result<std::vector<domain::HeldItem>> WantedItems(const domain::Catalog& catalog,
                                                  const Current& current,
                                                  const std::vector<domain::HeldItem>& held,
                                                  const ChangeRequest& request) {
  std::vector<domain::Violation> violations;
  auto interval = domain::ParseInterval(current.interval).value_or(domain::Interval::kMonth);
  if (request.interval) {
    if (const auto asked = domain::ParseInterval(*request.interval)) {
      interval = *asked;
    } else {
      violations.push_back({"unsupported_interval", "interval", {*request.interval}});
    }
  }
  domain::QuoteRequest wanted;
  wanted.plan = request.plan.value_or(PlanOf(held));
  wanted.interval = interval;
  wanted.addons = request.addons;
  wanted.currency = current.currency;
  for (domain::Violation& violation : domain::ValidateConfiguration(catalog, wanted)) {
    violations.push_back(std::move(violation));
  }
  if (!violations.empty())
    return tl::unexpected(domain::ValidationError(violations, request.locale));
  domain::TaxDecision tax;
  tax.rate_bps = current.tax_rate_bps;
  const domain::PricedQuote priced = domain::Price(catalog, wanted, std::nullopt, tax);
  std::vector<domain::HeldItem> items;
  for (const domain::PricedLine& line : priced.lines) {
    if (!line.recurring) {
      violations.push_back({"addon_not_recurring", "addons", {line.code}});
      continue;
    }
    items.push_back(
        {line.code, line.quantity, line.unit_amount, line.kind == domain::LineKind::kPlan});
  }
  if (!violations.empty())
    return tl::unexpected(domain::ValidationError(violations, request.locale));
  return items;
}

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The wanted state as JSON (pending_change): {"plan","addons":[{"code","quantity"}]}.
std::string WantedJson(const std::string& plan, const std::vector<domain::AddonSelection>& addons,
                       std::int64_t effective_at) {
  JsonWriter json(256);
  json.BeginObject();
  json.Member("plan", plan);
  json.Member("effective_at", effective_at);
  json.Key("addons");
  json.BeginArray();
  for (const domain::AddonSelection& addon : addons) {
    json.BeginObject();
    json.Member("code", addon.code);
    json.Member("quantity", addon.quantity);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return std::move(json).Take();
}

// How far a change's proration time may lie behind the moment it is made: the time a customer
// takes from the preview to the button, and not more (an earlier time would shift money).
constexpr std::int64_t kProrationDateAge = 15 * 60;

// `applying`: for the change itself, whose proration time is the preview's (required, at most
// kProrationDateAge old); a preview prorates at the present. A change to what already is
// applies as nothing to do (a retry after the change went through), a preview of it is 422.
asio::awaitable<Result<ChangePreview>> Preview(stripe::Client& stripe, ChangeRequest request,
                                               Current current, domain::Catalog catalog,
                                               bool applying) {
  const auto interval = domain::ParseInterval(current.interval).value_or(domain::Interval::kMonth);
  const std::vector<domain::HeldItem> held = HeldItems(catalog, current, interval);
  auto wanted = WantedItems(catalog, current, held, request);
  if (!wanted) co_return tl::unexpected(wanted.error());
  ChangePreview preview;
  const std::int64_t now_seconds = NowSeconds();
  preview.proration_date = now_seconds;
  if (applying) {
    std::vector<domain::Violation> violations;
    if (!request.proration_date) {
      violations.push_back({"required", "proration_date", {}});
    } else if (*request.proration_date < now_seconds - kProrationDateAge ||
               *request.proration_date > now_seconds + 60 ||
               *request.proration_date < current.period_start ||
               *request.proration_date >= current.period_end) {
      violations.push_back({"out_of_range", "proration_date", {}});
    }
    if (!violations.empty()) {
      co_return tl::unexpected(domain::ValidationError(violations, request.locale));
    }
    preview.proration_date = *request.proration_date;
  }
  preview.period_end = current.period_end;
  preview.currency = current.currency;
  preview.tax_rate_bps = current.tax_rate_bps;
  preview.interval = request.interval.value_or(current.interval);
  if (preview.interval != current.interval) {
    // A new interval starts a new period now, whatever the price does (as at Stripe).
    preview.effective = "now";
    preview.change =
        domain::PlanIntervalChange(held, *wanted, current.tax_rate_bps, current.period_start,
                                   current.period_end, preview.proration_date);
  } else {
    const domain::SubscriptionChange probe =
        domain::PlanSubscriptionChange(held, *wanted, current.tax_rate_bps, current.period_start,
                                       current.period_end, preview.proration_date, false);
    if (probe.edits.empty() && applying) {
      preview.effective = "now";
      preview.change = probe;
      co_return preview;
    }
    if (probe.edits.empty()) {
      std::vector<domain::Violation> violations;
      violations.push_back({"no_change", "addons", {}});
      co_return tl::unexpected(domain::ValidationError(violations, request.locale));
    }
    const bool now = request.when == "now" || (request.when.empty() && probe.Upgrade());
    preview.effective = now ? "now" : "period_end";
    preview.change =
        domain::PlanSubscriptionChange(held, *wanted, current.tax_rate_bps, current.period_start,
                                       current.period_end, preview.proration_date, now);
  }
  if (preview.effective == "now") {
    // Invoiced at once (always_invoice), the customer's balance applied as Stripe applies it:
    // a credit (negative) pays first, an amount owed is added; a negative result is credit.
    std::int64_t balance = 0;
    if (!current.customer.empty()) {
      auto customer = co_await FetchObject(stripe, "/v1/customers", current.customer);
      if (!customer) co_return tl::unexpected(customer.error());
      balance = stripe::IntOf(*customer, "balance").value_or(0);
    }
    const std::int64_t after = preview.change.total + balance;
    preview.amount_due = std::max<std::int64_t>(0, after);
    preview.credit = std::max<std::int64_t>(0, -after);
  }
  co_return preview;
}

// The Stripe item of each catalog code, and the tax rate the plan's item carries.
struct StripeItems {
  std::map<std::string, std::string> id_of_code;
  std::string tax_rate;
};

StripeItems ItemsAtStripe(const json::object& subscription) {
  StripeItems found;
  const auto* items = subscription.if_contains("items");
  if (items == nullptr || !items->is_object()) return found;
  const auto* data = items->as_object().if_contains("data");
  if (data == nullptr || !data->is_array()) return found;
  for (const json::value& entry : data->as_array()) {
    if (!entry.is_object()) continue;
    const json::object& item = entry.as_object();
    std::string product;
    if (const auto* price = item.if_contains("price"); price && price->is_object()) {
      product = stripe::StringOf(price->as_object(), "product");
    }
    found.id_of_code[CatalogCodeOf(product)] = stripe::StringOf(item, "id");
    if (const auto* rates = item.if_contains("tax_rates");
        found.tax_rate.empty() && rates && rates->is_array() && !rates->as_array().empty()) {
      const json::value& rate = rates->as_array().front();
      found.tax_rate = rate.is_object() ? stripe::StringOf(rate.as_object(), "id")
                                        : std::string(rate.is_string() ? rate.as_string() : "");
    }
  }
  return found;
}

// Makes the edits at Stripe. `behavior`: always_invoice, create_prorations or none.
// `interval`: the interval of the prices made (a change of interval gives every item one).
asio::awaitable<Result<void>> Carry(stripe::Client& stripe, domain::Catalog catalog,
                                    Current current, std::vector<domain::ItemEdit> edits,
                                    std::string interval, std::string behavior,
                                    std::optional<std::int64_t> proration_date,
                                    std::string operation) {
  auto fetched = co_await FetchObject(stripe, "/v1/subscriptions", current.stripe_id);
  if (!fetched) co_return tl::unexpected(fetched.error());
  const StripeItems at_stripe = ItemsAtStripe(*fetched);
  stripe::FormFields fields;
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const domain::ItemEdit& edit = edits[i];
    const std::string prefix = "items[" + std::to_string(i) + "]";
    const auto known = at_stripe.id_of_code.find(edit.old_code);
    if (edit.kind != domain::ItemEdit::Kind::kAdd) {
      if (known == at_stripe.id_of_code.end()) {
        co_return Fail(ErrorCode::kConflict, "the subscription's items changed at Stripe");
      }
      fields.emplace_back(prefix + "[id]", known->second);
    }
    if (edit.kind == domain::ItemEdit::Kind::kRemove) {
      fields.emplace_back(prefix + "[deleted]", "true");
      continue;
    }
    if (edit.kind == domain::ItemEdit::Kind::kAdd ||
        edit.kind == domain::ItemEdit::Kind::kReplace) {
      std::string name = edit.code;
      if (const domain::Plan* plan = catalog.FindPlan(edit.code)) name = plan->name.en;
      if (const domain::Addon* addon = catalog.FindAddon(edit.code)) name = addon->name.en;
      auto product = co_await CreateProduct(stripe, edit.code, name);
      if (!product) co_return tl::unexpected(product.error());
      fields.emplace_back(prefix + "[price_data][currency]", current.currency);
      fields.emplace_back(prefix + "[price_data][product]", stripe::ProductIdOf(edit.code));
      fields.emplace_back(prefix + "[price_data][unit_amount]", std::to_string(edit.unit_amount));
      fields.emplace_back(prefix + "[price_data][recurring][interval]", interval);
      if (edit.kind == domain::ItemEdit::Kind::kAdd && !at_stripe.tax_rate.empty()) {
        fields.emplace_back(prefix + "[tax_rates][0]", at_stripe.tax_rate);
      }
    }
    fields.emplace_back(prefix + "[quantity]", std::to_string(edit.quantity));
  }
  fields.emplace_back("proration_behavior", behavior);
  if (proration_date) fields.emplace_back("proration_date", std::to_string(*proration_date));
  auto updated = co_await stripe.Post("/v1/subscriptions/" + current.stripe_id, std::move(fields),
                                      std::move(operation));
  if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
  co_return Result<void>();
}

}  // namespace

asio::awaitable<Result<ChangePreview>> PreviewChange(db::Pool& database, stripe::Client& stripe,
                                                     ChangeRequest request) {
  auto current = co_await Load(database, request.subscription, request.company_id);
  if (!current) co_return tl::unexpected(current.error());
  auto catalog = co_await CatalogOf(database, current->catalog_version);
  if (!catalog) co_return tl::unexpected(catalog.error());
  co_return co_await Preview(stripe, std::move(request), *current, *catalog, false);
}

asio::awaitable<Result<ChangePreview>> ApplyChange(db::Pool& database, stripe::Client& stripe,
                                                   ChangeRequest request, std::string operation) {
  auto current = co_await Load(database, request.subscription, request.company_id);
  if (!current) co_return tl::unexpected(current.error());
  auto catalog = co_await CatalogOf(database, current->catalog_version);
  if (!catalog) co_return tl::unexpected(catalog.error());
  auto preview = co_await Preview(stripe, request, *current, *catalog, true);
  if (!preview) co_return tl::unexpected(preview.error());
  if (preview->change.edits.empty()) co_return preview;  // as wanted already
  if (preview->effective == "now") {
    // Invoiced at once either way: a credit goes to the balance, not into pending items that a
    // later change's invoice would sweep up unseen by its preview.
    const std::string behavior = "always_invoice";
    auto carried = co_await Carry(stripe, *catalog, *current, preview->change.edits,
                                  preview->interval, behavior, preview->proration_date,
                                  "subscription:" + current->stripe_id + ":change:" + operation);
    if (!carried) co_return tl::unexpected(carried.error());
    auto dropped = co_await database.Execute(kDropPending, current->stripe_id);
    if (!dropped) co_return tl::unexpected(dropped.error());
    log::Info("subscription changed",
              {{"subscription", current->stripe_id}, {"behavior", behavior}});
    co_return preview;
  }
  // At the period's end: recorded now, made at Stripe shortly before the renewal.
  const auto interval = domain::ParseInterval(current->interval).value_or(domain::Interval::kMonth);
  const std::string plan = request.plan.value_or(PlanOf(HeldItems(*catalog, *current, interval)));
  const std::string wanted = WantedJson(plan, request.addons, current->period_end);
  const std::string stripe_id = current->stripe_id;
  const std::int64_t delay =
      std::max<std::int64_t>(0, current->period_end - kScheduledLeadSeconds - NowSeconds());
  auto recorded =
      co_await database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
        auto stored = co_await tx.Execute(kRecordPending, stripe_id, wanted);
        if (!stored) co_return tl::unexpected(stored.error());
        JsonWriter args(96);
        args.BeginObject();
        args.Member("subscription", stripe_id);
        args.EndObject();
        const queue::JobKind& kind = queue::kinds::kSubscriptionApplyChange;
        auto queued = co_await queue::Enqueue(
            tx, kind, std::move(args).Take(),
            std::string(kind.name) + ":" + stripe_id + ":" + std::to_string(stored->Int64(0, 0)),
            delay);
        if (!queued) co_return tl::unexpected(queued.error());
        co_return Result<void>();
      });
  if (!recorded) co_return tl::unexpected(recorded.error());
  co_return preview;
}

asio::awaitable<Result<bool>> ApplyScheduledChange(db::Pool& database, stripe::Client& stripe,
                                                   std::string stripe_id) {
  auto rows = co_await database.Execute(kSubscriptionByStripeId, stripe_id);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty() || rows->Text(0, 2).empty()) co_return false;
  const std::string id(rows->Text(0, 0));
  const std::string company(rows->Text(0, 1));
  const std::int64_t version = rows->Int64(0, 3);
  boost::system::error_code ec;
  const json::value pending = json::parse(rows->Text(0, 2), ec);
  if (ec || !pending.is_object()) co_return false;
  ChangeRequest request;
  request.company_id = company;
  request.subscription = id;
  request.plan = stripe::StringOf(pending.as_object(), "plan");
  if (const auto* addons = pending.as_object().if_contains("addons");
      addons && addons->is_array()) {
    for (const json::value& addon : addons->as_array()) {
      if (!addon.is_object()) continue;
      request.addons.push_back({stripe::StringOf(addon.as_object(), "code"),
                                stripe::IntOf(addon.as_object(), "quantity").value_or(1)});
    }
  }
  if (domain::HasEnded(rows->Text(0, 4))) {
    // Ended: nothing to change any more.
    auto cleared = co_await database.Execute(kClearPending, stripe_id, version);
    if (!cleared) co_return tl::unexpected(cleared.error());
    co_return false;
  }
  // Not running (a failed payment): kConflict, and the job tries again later.
  auto current = co_await Load(database, id, company);
  if (!current) co_return tl::unexpected(current.error());
  const std::int64_t due_at = stripe::IntOf(pending.as_object(), "effective_at").value_or(0);
  if (due_at != 0 && current->period_start >= due_at) {
    // The renewal came first (the worker was behind): that period was invoiced at the old
    // price, and the change applies from now on.
    log::Warn("a change set for the period's end is made after the renewal",
              {{"subscription", stripe_id}});
  }
  auto catalog = co_await CatalogOf(database, current->catalog_version);
  if (!catalog) co_return tl::unexpected(catalog.error());
  const auto interval = domain::ParseInterval(current->interval).value_or(domain::Interval::kMonth);
  const std::vector<domain::HeldItem> held = HeldItems(*catalog, *current, interval);
  auto wanted = WantedItems(*catalog, *current, held, request);
  if (!wanted) {
    log::Error("a scheduled subscription change no longer fits the catalog; dropped",
               {{"subscription", stripe_id}, {"reason", wanted.error().message}});
  } else {
    const domain::SubscriptionChange change =
        domain::PlanSubscriptionChange(held, *wanted, current->tax_rate_bps, current->period_start,
                                       current->period_end, current->period_start, false);
    if (!change.edits.empty()) {
      auto carried = co_await Carry(
          stripe, *catalog, *current, change.edits, current->interval, "none", std::nullopt,
          "subscription:" + stripe_id + ":scheduled:" + std::to_string(version));
      if (!carried) co_return tl::unexpected(carried.error());
      log::Info("scheduled subscription change made", {{"subscription", stripe_id}});
    }
  }
  auto cleared = co_await database.Execute(kClearPending, stripe_id, version);
  if (!cleared) co_return tl::unexpected(cleared.error());
  co_return true;
}

}  // namespace codezero::billing
