#include "billing/order_sync.h"

#include <boost/json/parse.hpp>

#include "billing/order_context.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "domain/entitlements.h"
#include "domain/money_format.h"
#include "domain/subscription_state.h"
#include "mail/outbox.h"
#include "orders/order_store.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// The order is locked FOR NO KEY UPDATE, not FOR UPDATE: a transaction applying an event has
// stored an invoice or subscription first, whose foreign key holds a key-share lock on the
// order; FOR UPDATE conflicts with that lock, so two events of one order applied at once
// would deadlock (BillingUseCases.TwoEventsOfOneOrderAppliedAtOnceDoNotDeadlock).
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
    "WHERE o.id = $1::uuid FOR NO KEY UPDATE OF o"};

constexpr db::Statement kWorkspaceStatus{
    "billing_workspace_status",
    "UPDATE workspaces SET status = $2 WHERE id = $1::uuid AND status <> $2 RETURNING id"};
constexpr db::Statement kWorkspaceEntitlements{
    "billing_workspace_entitlements",
    "UPDATE workspaces SET entitlements = $2::jsonb WHERE id = $1::uuid "
    "AND entitlements <> $2::jsonb RETURNING id"};

struct OrderState {
  domain::OrderStatus order = domain::OrderStatus::kAwaitingPayment;
  std::string company_id;
  int catalog_version = 0;
  std::string plan;
  std::string subscription_id;
  std::optional<domain::SubscriptionStatus> subscription;
  std::string items;
  std::int64_t ended_at = 0;
  std::string workspace_id;
  std::string workspace_status;
  std::string entitlements;
};

std::vector<domain::BoughtItem> ItemsFromJson(std::string_view text) {
  std::vector<domain::BoughtItem> items;
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return items;
  for (const json::value& item : parsed.as_array()) {
    if (!item.is_object()) continue;
    items.push_back({stripe::StringOf(item.as_object(), "code"),
                     stripe::IntOf(item.as_object(), "quantity").value_or(1)});
  }
  return items;
}

// The "your subscription ended" e-mail, once per subscription.
asio::awaitable<Result<void>> TellSubscriptionEnded(db::Transaction& tx, const OrderState& state) {
  auto owner = co_await OwnerOf(tx, state.company_id);
  if (!owner) co_return tl::unexpected(owner.error());
  auto catalog = co_await LoadCatalog(tx, state.catalog_version);
  if (!*owner || !catalog) co_return Result<void>();
  const Recipient& to = **owner;
  const domain::Plan* bought = catalog->FindPlan(state.plan);
  JsonWriter payload(256);
  payload.BeginObject();
  payload.Member("company", to.company);
  payload.Member("plan", bought != nullptr ? bought->name.In(to.Locale()) : state.plan);
  payload.Member("ended_at", domain::FormatDate(state.ended_at, to.Locale()));
  payload.EndObject();
  auto queued = co_await mail::EnqueueEmail(tx, to.email, "subscription_canceled", to.locale,
                                            std::move(payload).Take(), to.user_id,
                                            "subscription_canceled:" + state.subscription_id);
  if (!queued) co_return tl::unexpected(queued.error());
  co_return Result<void>();
}

asio::awaitable<Result<void>> GrantItems(db::Transaction& tx, const OrderState& state,
                                         const std::string& cause) {
  auto catalog = co_await LoadCatalog(tx, state.catalog_version);
  if (!catalog) co_return Result<void>();  // an unreadable catalog changes nothing here
  auto granted = domain::EntitlementsOf(*catalog, ItemsFromJson(state.items));
  if (!granted) co_return Result<void>();
  const std::string granted_json = domain::EntitlementsJson(*granted);
  boost::system::error_code ec;
  const json::value current = json::parse(state.entitlements, ec);
  if (!ec && current == json::parse(granted_json)) co_return Result<void>();
  auto changed = co_await tx.Execute(kWorkspaceEntitlements, state.workspace_id, granted_json);
  if (!changed) co_return tl::unexpected(changed.error());
  if (!changed->empty()) {
    log::Info("workspace entitlements updated",
              {{"workspace_id", state.workspace_id}, {"cause", cause}});
    auto notice = co_await EnqueueProvisioningNotice(tx, state.workspace_id);
    if (!notice) co_return tl::unexpected(notice.error());
  }
  co_return Result<void>();
}

}  // namespace

asio::awaitable<Result<void>> SyncOrder(db::Transaction& tx, std::string order_id,
                                        std::string cause, std::string stripe_event) {
  auto rows = co_await tx.Execute(kOrderState, order_id);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Result<void>();
  const auto order_status = domain::ParseOrderStatus(rows->Text(0, 0));
  if (!order_status || rows->Text(0, 4).empty()) co_return Result<void>();
  OrderState state;
  state.order = *order_status;
  state.company_id = std::string(rows->Text(0, 1));
  state.catalog_version = static_cast<int>(rows->Int64(0, 2));
  state.plan = std::string(rows->Text(0, 3));
  state.subscription_id = std::string(rows->Text(0, 4));
  state.subscription = domain::ParseSubscriptionStatus(rows->Text(0, 5));
  state.items = std::string(rows->Text(0, 6));
  state.ended_at = rows->Int64(0, 7);
  state.workspace_id = std::string(rows->Text(0, 8));
  state.workspace_status = std::string(rows->Text(0, 9));
  state.entitlements = std::string(rows->Text(0, 10));
  if (!state.subscription) {
    log::Warn("subscription status unknown; the order does not follow it",
              {{"order_id", order_id}, {"status", std::string(rows->Text(0, 5))}});
    co_return Result<void>();
  }

  const domain::SubscriptionFollowUp follow_up =
      domain::FollowSubscription(state.order, *state.subscription);
  if (follow_up.order) {
    auto moved =
        co_await orders::Move(tx, order_id, state.order, *follow_up.order, cause, stripe_event);
    if (!moved) co_return tl::unexpected(moved.error());
  }
  if (follow_up.tell_customer_it_ended) {
    auto told = co_await TellSubscriptionEnded(tx, state);
    if (!told) co_return tl::unexpected(told.error());
  }
  if (state.workspace_id.empty()) co_return Result<void>();
  if (follow_up.workspace) {
    const std::string target(domain::ToString(*follow_up.workspace));
    if (target != state.workspace_status) {
      auto updated = co_await tx.Execute(kWorkspaceStatus, state.workspace_id, target);
      if (!updated) co_return tl::unexpected(updated.error());
      if (!updated->empty()) {
        auto notice = co_await EnqueueProvisioningNotice(tx, state.workspace_id);
        if (!notice) co_return tl::unexpected(notice.error());
      }
      state.workspace_status = target;
    }
  }
  if (!follow_up.entitlements_follow_items || state.workspace_status == "canceled") {
    co_return Result<void>();
  }
  co_return co_await GrantItems(tx, state, cause);
}

}  // namespace codezero::billing
