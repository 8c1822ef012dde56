#include "worker/jobs/billing_sync.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/json_writer.h"
#include "common/log.h"
#include "common/uuid.h"
#include "domain/entitlements.h"
#include "domain/money_format.h"
#include "mail/outbox.h"
#include "orders/order_store.h"
#include "queue/enqueue.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using domain::OrderStatus;

constexpr db::Statement kStoreSubscription{
    "billing_store_subscription",
    "INSERT INTO subscriptions (stripe_id, company_id, order_id, stripe_customer, status, "
    "  current_period_start, current_period_end, cancel_at_period_end, canceled_at, ended_at, "
    "  items, stripe_version) "
    "SELECT $1, o.company_id, o.id, $3, $4, to_timestamp($5::bigint), to_timestamp($6::bigint), "
    "  $7::boolean, to_timestamp($8::bigint), to_timestamp($9::bigint), $10::jsonb, $11::bigint "
    "FROM (SELECT 1) one LEFT JOIN orders o ON o.id = nullif($2, '')::uuid "
    "ON CONFLICT (stripe_id) DO UPDATE SET "
    "  company_id = coalesce(EXCLUDED.company_id, subscriptions.company_id), "
    "  order_id = coalesce(EXCLUDED.order_id, subscriptions.order_id), "
    "  status = EXCLUDED.status, current_period_start = EXCLUDED.current_period_start, "
    "  current_period_end = EXCLUDED.current_period_end, "
    "  cancel_at_period_end = EXCLUDED.cancel_at_period_end, "
    "  canceled_at = EXCLUDED.canceled_at, ended_at = EXCLUDED.ended_at, "
    "  items = EXCLUDED.items, stripe_version = EXCLUDED.stripe_version "
    "WHERE subscriptions.stripe_version <= EXCLUDED.stripe_version "
    "RETURNING coalesce(order_id::text, '')"};

constexpr db::Statement kLinkOrder{
    "billing_link_order",
    "UPDATE orders SET stripe_subscription = coalesce(stripe_subscription, $2) "
    "WHERE id = $1::uuid"};

constexpr db::Statement kStoreInvoice{
    "billing_store_invoice",
    "INSERT INTO invoices (stripe_id, company_id, order_id, stripe_customer, "
    "  stripe_subscription, number, status, billing_reason, currency, subtotal, tax, total, "
    "  amount_due, amount_paid, attempt_count, period_start, period_end, hosted_invoice_url, "
    "  invoice_pdf, stripe_created, stripe_version) "
    "SELECT $1, o.company_id, o.id, $2, nullif($3, ''), nullif($4, ''), $5, nullif($6, ''), $7, "
    "  $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::bigint, $13::int, "
    "  to_timestamp($14::bigint), to_timestamp($15::bigint), nullif($16, ''), nullif($17, ''), "
    "  to_timestamp($18::bigint), $19::bigint "
    "FROM (SELECT 1) one LEFT JOIN orders o ON o.id = coalesce("
    "  (SELECT order_id FROM subscriptions WHERE stripe_id = nullif($3, '')), "
    "  nullif($20, '')::uuid) "
    "ON CONFLICT (stripe_id) DO UPDATE SET "
    "  company_id = coalesce(EXCLUDED.company_id, invoices.company_id), "
    "  order_id = coalesce(EXCLUDED.order_id, invoices.order_id), "
    "  number = EXCLUDED.number, status = EXCLUDED.status, subtotal = EXCLUDED.subtotal, "
    "  tax = EXCLUDED.tax, total = EXCLUDED.total, amount_due = EXCLUDED.amount_due, "
    "  amount_paid = EXCLUDED.amount_paid, attempt_count = EXCLUDED.attempt_count, "
    "  hosted_invoice_url = EXCLUDED.hosted_invoice_url, invoice_pdf = EXCLUDED.invoice_pdf, "
    "  stripe_version = EXCLUDED.stripe_version "
    "WHERE invoices.stripe_version <= EXCLUDED.stripe_version "
    "RETURNING coalesce(order_id::text, '')"};

constexpr db::Statement kOrderState{
    "billing_order_state",
    "SELECT o.status, o.company_id, o.catalog_version, o.plan, "
    "  coalesce(s.stripe_id, ''), coalesce(s.status, ''), coalesce(s.items::text, '[]'), "
    "  coalesce(extract(epoch FROM coalesce(s.ended_at, s.canceled_at, now()))::bigint, 0), "
    "  coalesce(w.id::text, ''), coalesce(w.status, ''), coalesce(w.entitlements::text, '{}') "
    "FROM orders o "
    "LEFT JOIN LATERAL (SELECT * FROM subscriptions WHERE order_id = o.id "
    "  ORDER BY stripe_version DESC LIMIT 1) s ON true "
    "LEFT JOIN workspaces w ON w.order_id = o.id "
    "WHERE o.id = $1::uuid FOR UPDATE OF o"};

constexpr db::Statement kWorkspaceStatus{
    "billing_workspace_status",
    "UPDATE workspaces SET status = $2 WHERE id = $1::uuid AND status <> $2 RETURNING id"};
constexpr db::Statement kWorkspaceEntitlements{
    "billing_workspace_entitlements",
    "UPDATE workspaces SET entitlements = $2::jsonb WHERE id = $1::uuid "
    "AND entitlements <> $2::jsonb RETURNING id"};

constexpr db::Statement kOwner{"billing_owner",
                               "SELECT u.email::text, u.id, u.locale, c.name FROM companies c "
                               "JOIN users u ON u.company_id = c.id AND u.role = 'owner' "
                               "AND u.disabled_at IS NULL AND u.anonymized_at IS NULL "
                               "WHERE c.id = $1::uuid LIMIT 1"};

constexpr db::Statement kCatalog{"billing_catalog",
                                 "SELECT document::text FROM catalog_versions WHERE version = $1"};

std::optional<long long> Timestamp(const json::object& object, std::string_view name) {
  const auto value = IntOf(object, name);
  if (!value || *value <= 0) return std::nullopt;
  return static_cast<long long>(*value);
}

// The subscription's items as [{"code","quantity","product"}], codes of our catalog.
std::string ItemsJson(const json::object& subscription) {
  JsonWriter out(256);
  out.BeginArray();
  const auto* items = subscription.if_contains("items");
  if (items != nullptr && items->is_object()) {
    if (const auto* data = items->as_object().if_contains("data"); data && data->is_array()) {
      for (const json::value& item : data->as_array()) {
        if (!item.is_object()) continue;
        const json::object& entry = item.as_object();
        std::string product;
        if (const auto* price = entry.if_contains("price"); price && price->is_object()) {
          const auto* value = price->as_object().if_contains("product");
          if (value != nullptr && value->is_string()) product = std::string(value->as_string());
          if (value != nullptr && value->is_object()) product = StringOf(value->as_object(), "id");
        }
        out.BeginObject();
        out.Member("code", CatalogCodeOf(product));
        out.Member("product", product);
        out.Member("quantity", IntOf(entry, "quantity").value_or(1));
        out.EndObject();
      }
    }
  }
  out.EndArray();
  return std::move(out).Take();
}

std::vector<domain::BoughtItem> ItemsFromJson(std::string_view text) {
  std::vector<domain::BoughtItem> items;
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return items;
  for (const json::value& item : parsed.as_array()) {
    if (!item.is_object()) continue;
    items.push_back(
        {StringOf(item.as_object(), "code"), IntOf(item.as_object(), "quantity").value_or(1)});
  }
  return items;
}

}  // namespace

std::int64_t FetchVersion() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string StringOf(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::optional<std::int64_t> IntOf(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->to_number<std::int64_t>();
}

std::string CatalogCodeOf(std::string_view product_id) {
  constexpr std::string_view kPrefix = "codezero_";
  return product_id.starts_with(kPrefix) ? std::string(product_id.substr(kPrefix.size()))
                                         : std::string();
}

asio::awaitable<Result<json::object>> FetchObject(stripe::Client& stripe,
                                                  std::string_view collection, std::string id) {
  if (id.empty()) co_return Fail(ErrorCode::kNotFound, "no id to fetch");
  std::string path(collection);
  path += '/';
  path += id;
  auto fetched = co_await stripe.Get(std::move(path));
  if (!fetched) {
    if (fetched.error().status == 404) {
      co_return Fail(ErrorCode::kNotFound, "no such object at Stripe", std::move(id));
    }
    co_return tl::unexpected(stripe::ToError(fetched.error()));
  }
  co_return std::move(*fetched);
}

asio::awaitable<Result<Stored>> StoreSubscription(db::Transaction& tx, json::object subscription,
                                                  std::int64_t version) {
  std::string order_id;
  if (const auto* metadata = subscription.if_contains("metadata");
      metadata != nullptr && metadata->is_object()) {
    order_id = StringOf(metadata->as_object(), "order_id");
  }
  if (!IsUuid(order_id)) order_id.clear();
  const std::string id = StringOf(subscription, "id");
  auto stored = co_await tx.Execute(
      kStoreSubscription, id, order_id, StringOf(subscription, "customer"),
      StringOf(subscription, "status"), Timestamp(subscription, "current_period_start"),
      Timestamp(subscription, "current_period_end"),
      subscription.contains("cancel_at_period_end") &&
          subscription.at("cancel_at_period_end").is_bool() &&
          subscription.at("cancel_at_period_end").as_bool(),
      Timestamp(subscription, "canceled_at"), Timestamp(subscription, "ended_at"),
      ItemsJson(subscription), static_cast<long long>(version));
  if (!stored) co_return tl::unexpected(stored.error());
  Stored result;
  result.applied = !stored->empty();
  result.order_id = result.applied ? std::string(stored->Text(0, 0)) : order_id;
  if (result.applied && !result.order_id.empty()) {
    auto linked = co_await tx.Execute(kLinkOrder, result.order_id, id);
    if (!linked) co_return tl::unexpected(linked.error());
  }
  co_return result;
}

asio::awaitable<Result<Stored>> StoreInvoice(db::Transaction& tx, json::object invoice,
                                             std::int64_t version, std::string order_hint) {
  if (!IsUuid(order_hint)) order_hint.clear();
  auto stored = co_await tx.Execute(
      kStoreInvoice, StringOf(invoice, "id"), StringOf(invoice, "customer"),
      StringOf(invoice, "subscription"), StringOf(invoice, "number"), StringOf(invoice, "status"),
      StringOf(invoice, "billing_reason"), StringOf(invoice, "currency"),
      static_cast<long long>(IntOf(invoice, "subtotal").value_or(0)),
      static_cast<long long>(IntOf(invoice, "tax").value_or(0)),
      static_cast<long long>(IntOf(invoice, "total").value_or(0)),
      static_cast<long long>(IntOf(invoice, "amount_due").value_or(0)),
      static_cast<long long>(IntOf(invoice, "amount_paid").value_or(0)),
      static_cast<int>(IntOf(invoice, "attempt_count").value_or(0)),
      Timestamp(invoice, "period_start"), Timestamp(invoice, "period_end"),
      StringOf(invoice, "hosted_invoice_url"), StringOf(invoice, "invoice_pdf"),
      Timestamp(invoice, "created").value_or(0), static_cast<long long>(version), order_hint);
  if (!stored) co_return tl::unexpected(stored.error());
  Stored result;
  result.applied = !stored->empty();
  result.order_id = result.applied ? std::string(stored->Text(0, 0)) : order_hint;
  co_return result;
}

asio::awaitable<Result<std::optional<Recipient>>> OwnerOf(db::Transaction& tx,
                                                          std::string company_id) {
  auto owner = co_await tx.Execute(kOwner, company_id);
  if (!owner) co_return tl::unexpected(owner.error());
  if (owner->empty()) co_return std::optional<Recipient>();
  Recipient recipient;
  recipient.email = std::string(owner->Text(0, 0));
  recipient.user_id = std::string(owner->Text(0, 1));
  recipient.locale = std::string(owner->Text(0, 2));
  recipient.company = std::string(owner->Text(0, 3));
  co_return std::optional<Recipient>(std::move(recipient));
}

asio::awaitable<Result<domain::Catalog>> LoadCatalog(db::Transaction& tx, int version) {
  auto rows = co_await tx.Execute(kCatalog, version);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kNotFound, "no catalog version");
  co_return domain::ParseCatalog(rows->Text(0, 0), version);
}

asio::awaitable<Result<void>> EnqueueProvisioningNotice(db::Transaction& tx,
                                                        std::string workspace_id) {
  const std::string args = R"({"workspace_id":")" + workspace_id + "\"}";
  auto notice = co_await queue::Enqueue(tx, "provisioning.notify", args);
  if (!notice) co_return tl::unexpected(notice.error());
  co_return Result<void>();
}

asio::awaitable<Result<void>> SyncOrder(db::Transaction& tx, std::string order_id,
                                        std::string cause, std::string stripe_event) {
  auto state = co_await tx.Execute(kOrderState, order_id);
  if (!state) co_return tl::unexpected(state.error());
  if (state->empty()) co_return Result<void>();
  const auto order_status = domain::ParseOrderStatus(state->Text(0, 0));
  const std::string company_id(state->Text(0, 1));
  const int catalog_version = static_cast<int>(state->Int64(0, 2));
  const std::string plan(state->Text(0, 3));
  const std::string subscription_id(state->Text(0, 4));
  const std::string subscription_status(state->Text(0, 5));
  const std::string items(state->Text(0, 6));
  const std::int64_t ended_at = state->Int64(0, 7);
  const std::string workspace_id(state->Text(0, 8));
  const std::string workspace_status(state->Text(0, 9));
  const std::string entitlements_now(state->Text(0, 10));
  if (subscription_id.empty() || !order_status) co_return Result<void>();

  const bool lapsed = subscription_status == "past_due" || subscription_status == "unpaid";
  const bool running = subscription_status == "active" || subscription_status == "trialing";
  const bool ended =
      subscription_status == "canceled" || subscription_status == "incomplete_expired";
  std::string workspace_target;
  if (lapsed && *order_status == OrderStatus::kActive) {
    auto moved = co_await orders::Move(tx, order_id, OrderStatus::kActive, OrderStatus::kPastDue,
                                       cause, stripe_event);
    if (!moved) co_return tl::unexpected(moved.error());
    workspace_target = "past_due";
  } else if (running && *order_status == OrderStatus::kPastDue) {
    auto moved = co_await orders::Move(tx, order_id, OrderStatus::kPastDue, OrderStatus::kActive,
                                       cause, stripe_event);
    if (!moved) co_return tl::unexpected(moved.error());
    workspace_target = "active";
  } else if (ended &&
             (*order_status == OrderStatus::kActive || *order_status == OrderStatus::kPastDue)) {
    auto moved = co_await orders::Move(tx, order_id, *order_status, OrderStatus::kCanceled, cause,
                                       stripe_event);
    if (!moved) co_return tl::unexpected(moved.error());
    workspace_target = "canceled";
    auto owner = co_await OwnerOf(tx, company_id);
    if (!owner) co_return tl::unexpected(owner.error());
    auto catalog = co_await LoadCatalog(tx, catalog_version);
    if (*owner && catalog) {
      const domain::Locale locale =
          (*owner)->locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
      const domain::Plan* bought = catalog->FindPlan(plan);
      JsonWriter payload(256);
      payload.BeginObject();
      payload.Member("company", (*owner)->company);
      payload.Member("plan", bought != nullptr ? bought->name.In(locale) : plan);
      payload.Member(
          "ended_at",
          domain::FormatDate(std::chrono::sys_seconds(std::chrono::seconds(ended_at)), locale));
      payload.EndObject();
      auto queued = co_await mail::EnqueueEmail(
          tx, (*owner)->email, "subscription_canceled", (*owner)->locale, std::move(payload).Take(),
          (*owner)->user_id, "subscription_canceled:" + subscription_id);
      if (!queued) co_return tl::unexpected(queued.error());
    }
  }
  if (workspace_id.empty()) co_return Result<void>();
  if (!workspace_target.empty() && workspace_target != workspace_status) {
    auto updated = co_await tx.Execute(kWorkspaceStatus, workspace_id, workspace_target);
    if (!updated) co_return tl::unexpected(updated.error());
    if (!updated->empty()) {
      auto notice = co_await EnqueueProvisioningNotice(tx, workspace_id);
      if (!notice) co_return tl::unexpected(notice.error());
    }
  }
  if (ended || workspace_status == "canceled") co_return Result<void>();

  // The subscription's items decide the entitlements (a portal quantity change, say).
  auto catalog = co_await LoadCatalog(tx, catalog_version);
  if (!catalog) co_return Result<void>();  // an unreadable catalog changes nothing here
  auto granted = domain::EntitlementsOf(*catalog, ItemsFromJson(items));
  if (!granted) co_return Result<void>();
  const std::string granted_json = domain::EntitlementsJson(*granted);
  boost::system::error_code ec;
  const json::value current = json::parse(entitlements_now, ec);
  if (!ec && current == json::parse(granted_json)) co_return Result<void>();
  auto changed = co_await tx.Execute(kWorkspaceEntitlements, workspace_id, granted_json);
  if (!changed) co_return tl::unexpected(changed.error());
  if (!changed->empty()) {
    log::Info("workspace entitlements updated", {{"workspace_id", workspace_id}, {"cause", cause}});
    auto notice = co_await EnqueueProvisioningNotice(tx, workspace_id);
    if (!notice) co_return tl::unexpected(notice.error());
  }
  co_return Result<void>();
}

}  // namespace codezero::worker
