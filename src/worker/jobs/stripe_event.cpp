// `stripe.process_event` {"event_id"}: applies one stored Stripe event (stripe_events, written by
// the API's webhook endpoint) to local state, then marks it processed, in one transaction:
//
// - checkout.session.completed | async_payment_succeeded → the order is paid (which enqueues its
//   provisioning); async_payment_failed → payment_failed; expired → expired;
// - customer.subscription.created | updated | deleted → the subscription, fetched fresh from
//   Stripe, is stored, and the order and workspace follow it (past due, active, canceled,
//   entitlements);
// - invoice.finalized | paid | payment_failed | voided → the invoice, fetched fresh, is stored;
//   a failed payment sends the dunning e-mail (once per attempt);
// - charge.refunded, fully refunded → the order is refunded, its workspace canceled and its
//   Stripe subscription canceled at once (stripe.cancel_subscription);
// - invoice.upcoming (a preview without an id) → nothing; invoice.deleted → a stored draft
//   is removed. An event naming an object Stripe does not have (any more) is recorded with a
//   warning instead of being retried until it is discarded.
//
// Events arrive in any order and more than once. Order moves only happen from the status they
// expect (a repeated or stale event changes nothing), and subscriptions and invoices are
// always Stripe's current objects, never older than what is stored (billing_sync.h). Other
// event types are marked processed and otherwise ignored.
#include <boost/json/parse.hpp>

#include "billing/subscription_cancel.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/trace_context.h"
#include "common/uuid.h"
#include "domain/money_format.h"
#include "mail/outbox.h"
#include "orders/order_store.h"
#include "worker/jobs/billing_sync.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using domain::OrderStatus;

constexpr db::Statement kEvent{"event_load",
                               "SELECT payload, type FROM stripe_events WHERE id = $1"};
constexpr db::Statement kProcessed{
    "event_processed",
    "UPDATE stripe_events SET processed_at = coalesce(processed_at, now()) WHERE id = $1"};
constexpr db::Statement kRecordSubscription{
    "event_order_subscription",
    "UPDATE orders SET stripe_subscription = coalesce(stripe_subscription, nullif($2, '')) "
    "WHERE id = $1::uuid"};
constexpr db::Statement kOrderStatus{
    "event_order_status",
    "SELECT status, company_id, coalesce(stripe_subscription, '') FROM orders "
    "WHERE id = $1::uuid FOR UPDATE"};
constexpr db::Statement kInvoiceOrder{
    "event_invoice_order",
    "SELECT coalesce(order_id::text, '') FROM invoices WHERE stripe_id = $1"};
constexpr db::Statement kDeleteDraftInvoice{
    "event_delete_draft_invoice", "DELETE FROM invoices WHERE stripe_id = $1 AND status = 'draft'"};
constexpr db::Statement kCancelWorkspace{
    "event_cancel_workspace",
    "UPDATE workspaces SET status = 'canceled' WHERE order_id = $1::uuid "
    "AND status <> 'canceled' RETURNING id::text"};

bool StartsWith(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }

std::string OrderIdOf(const json::object& object) {
  std::string id;
  if (const auto* metadata = object.if_contains("metadata"); metadata && metadata->is_object()) {
    id = StringOf(metadata->as_object(), "order_id");
  }
  if (id.empty()) id = StringOf(object, "client_reference_id");
  return IsUuid(id) ? id : std::string();
}

asio::awaitable<Result<void>> ApplyCheckout(db::Transaction& tx, const std::string& type,
                                            const json::object& session,
                                            const std::string& event_id) {
  const std::string order_id = OrderIdOf(session);
  if (order_id.empty()) co_return Result<void>();
  std::optional<OrderStatus> target;
  if (type == "checkout.session.completed") {
    const std::string payment = StringOf(session, "payment_status");
    if (payment == "paid" || payment == "no_payment_required") target = OrderStatus::kPaid;
  } else if (type == "checkout.session.async_payment_succeeded") {
    target = OrderStatus::kPaid;
  } else if (type == "checkout.session.async_payment_failed") {
    target = OrderStatus::kPaymentFailed;
  } else if (type == "checkout.session.expired") {
    target = OrderStatus::kExpired;
  }
  auto recorded =
      co_await tx.Execute(kRecordSubscription, order_id, StringOf(session, "subscription"));
  if (!recorded) co_return tl::unexpected(recorded.error());
  if (!target) co_return Result<void>();
  auto moved =
      co_await orders::Move(tx, order_id, OrderStatus::kAwaitingPayment, *target, type, event_id);
  if (!moved) co_return tl::unexpected(moved.error());
  if (*moved) log::Info("order moved", {{"order_id", order_id}, {"to", domain::ToString(*target)}});
  co_return Result<void>();
}

// The dunning e-mail for a failed invoice payment, once per invoice and attempt.
asio::awaitable<Result<void>> QueueDunning(db::Transaction& tx, const json::object& invoice,
                                           const std::string& order_id) {
  if (order_id.empty()) co_return Result<void>();
  auto order = co_await tx.Execute(kOrderStatus, order_id);
  if (!order) co_return tl::unexpected(order.error());
  if (order->empty()) co_return Result<void>();
  auto owner = co_await OwnerOf(tx, std::string(order->Text(0, 1)));
  if (!owner) co_return tl::unexpected(owner.error());
  if (!*owner) co_return Result<void>();
  const Recipient& to = **owner;
  const domain::Locale locale = to.locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
  JsonWriter payload(512);
  payload.BeginObject();
  payload.Member("company", to.company);
  payload.Member("invoice_number", StringOf(invoice, "number"));
  payload.Member("amount", domain::FormatMoney(IntOf(invoice, "amount_due").value_or(0),
                                               StringOf(invoice, "currency"), locale));
  payload.Member("invoice_url", StringOf(invoice, "hosted_invoice_url"));
  payload.Key("next_attempt");
  if (const auto next = IntOf(invoice, "next_payment_attempt"); next && *next > 0) {
    payload.String(
        domain::FormatDate(std::chrono::sys_seconds(std::chrono::seconds(*next)), locale));
  } else {
    payload.Bool(false);
  }
  payload.EndObject();
  const std::string key = "payment_failed:" + StringOf(invoice, "id") + ":" +
                          std::to_string(IntOf(invoice, "attempt_count").value_or(0));
  auto queued = co_await mail::EnqueueEmail(tx, to.email, "payment_failed", to.locale,
                                            std::move(payload).Take(), to.user_id, key);
  if (!queued) co_return tl::unexpected(queued.error());
  co_return Result<void>();
}

asio::awaitable<Outcome> Process(JobDependencies& deps, const JobRecord& job) {
  const auto* id = job.args.if_contains("event_id");
  if (id == nullptr || !id->is_string()) co_return Outcome::Discarded("no event_id");
  const std::string event_id(id->as_string());
  auto stored = co_await deps.database.Execute(kEvent, event_id);
  if (!stored) co_return Outcome::Failed(stored.error().reason);
  if (stored->empty()) co_return Outcome::Discarded("no such event");
  const std::string type(stored->Text(0, 1));
  boost::system::error_code ec;
  json::value event = json::parse(stored->Text(0, 0), ec);
  if (ec || !event.is_object() || !event.as_object().contains("data")) {
    co_return Outcome::Discarded("the stored event is not an event");
  }
  const json::value* object_value = event.as_object().at("data").as_object().if_contains("object");
  if (object_value == nullptr || !object_value->is_object()) {
    co_return Outcome::Discarded("the event has no object");
  }
  const json::object& object = object_value->as_object();

  // Events whose object is not one to fetch: an upcoming invoice is a preview without an id,
  // and a deleted (draft) invoice is gone. Both are recorded and change nothing here.
  if (type == "invoice.upcoming" || type == "invoice.deleted") {
    if (type == "invoice.deleted") {
      auto removed = co_await deps.database.Execute(kDeleteDraftInvoice, StringOf(object, "id"));
      if (!removed) co_return Outcome::Failed(removed.error().reason);
    }
    auto processed = co_await deps.database.Execute(kProcessed, event_id);
    if (!processed) co_return Outcome::Failed(processed.error().reason);
    log::Info("stripe event has nothing to apply", {{"event", event_id}, {"type", type}});
    co_return Outcome::Completed();
  }

  // Fresh objects from Stripe, fetched before the transaction (no network inside it). An
  // object Stripe no longer has (or an event naming none) is final, not worth a retry: the
  // event is recorded as processed with a warning.
  std::optional<json::object> fresh;
  std::int64_t version = 0;
  std::string order_hint;
  Result<json::object> fetched = Fail(ErrorCode::kNotFound, "nothing fetched");
  if (StartsWith(type, "customer.subscription.")) {
    fetched = co_await FetchObject(deps.stripe, "/v1/subscriptions", StringOf(object, "id"));
  } else if (StartsWith(type, "invoice.")) {
    fetched = co_await FetchObject(deps.stripe, "/v1/invoices", StringOf(object, "id"));
    if (fetched) {
      // An invoice of a subscription we have not seen yet: learn its order from Stripe.
      auto owner = co_await FetchObject(deps.stripe, "/v1/subscriptions",
                                        StringOf(*fetched, "subscription"));
      if (owner) {
        if (const auto* metadata = owner->if_contains("metadata");
            metadata && metadata->is_object()) {
          order_hint = StringOf(metadata->as_object(), "order_id");
        }
      }
    }
  } else if (type == "charge.refunded") {
    // A charge of a one-time payment has no invoice, and an invoice of one no subscription.
    auto invoice = co_await FetchObject(deps.stripe, "/v1/invoices", StringOf(object, "invoice"));
    if (invoice) {
      auto owner = co_await FetchObject(deps.stripe, "/v1/subscriptions",
                                        StringOf(*invoice, "subscription"));
      if (owner) order_hint = OrderIdOf(*owner);
    }
  }
  if (StartsWith(type, "customer.subscription.") || StartsWith(type, "invoice.")) {
    if (!fetched && fetched.error().code == ErrorCode::kNotFound) {
      auto processed = co_await deps.database.Execute(kProcessed, event_id);
      if (!processed) co_return Outcome::Failed(processed.error().reason);
      log::Warn("stripe event names an object Stripe does not have; nothing applied",
                {{"event", event_id}, {"type", type}, {"object", StringOf(object, "id")}});
      co_return Outcome::Completed();
    }
    if (!fetched) co_return Outcome::Failed("fetch: " + fetched.error().reason);
    fresh = std::move(*fetched);
    version = FetchVersion();
  }

  const std::string traceparent = ChildTraceparent(job.trace_context);
  auto applied =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
        tx.set_trace_context(traceparent);
        if (StartsWith(type, "checkout.session.")) {
          auto done = co_await ApplyCheckout(tx, type, object, event_id);
          if (!done) co_return tl::unexpected(done.error());
        } else if (StartsWith(type, "customer.subscription.")) {
          auto kept = co_await StoreSubscription(tx, *fresh, version);
          if (!kept) co_return tl::unexpected(kept.error());
          if (!kept->order_id.empty()) {
            auto synced = co_await SyncOrder(tx, kept->order_id, type, event_id);
            if (!synced) co_return tl::unexpected(synced.error());
          }
        } else if (StartsWith(type, "invoice.")) {
          auto kept = co_await StoreInvoice(tx, *fresh, version, order_hint);
          if (!kept) co_return tl::unexpected(kept.error());
          if (type == "invoice.payment_failed") {
            // The event's own object: the attempt that failed (the fresh one may have moved on).
            auto dunning = co_await QueueDunning(tx, object, kept->order_id);
            if (!dunning) co_return tl::unexpected(dunning.error());
          }
          if (!kept->order_id.empty()) {
            auto synced = co_await SyncOrder(tx, kept->order_id, type, event_id);
            if (!synced) co_return tl::unexpected(synced.error());
          }
        } else if (type == "charge.refunded") {
          const bool full = object.contains("refunded") && object.at("refunded").is_bool() &&
                            object.at("refunded").as_bool();
          std::string order_id = order_hint;
          if (const std::string invoice = StringOf(object, "invoice"); !invoice.empty()) {
            auto known = co_await tx.Execute(kInvoiceOrder, invoice);
            if (!known) co_return tl::unexpected(known.error());
            if (!known->empty() && !known->Text(0, 0).empty())
              order_id = std::string(known->Text(0, 0));
          }
          if (full && IsUuid(order_id)) {
            auto order = co_await tx.Execute(kOrderStatus, order_id);
            if (!order) co_return tl::unexpected(order.error());
            const auto status =
                order->empty() ? std::nullopt : domain::ParseOrderStatus(order->Text(0, 0));
            if (status && domain::CanMove(*status, OrderStatus::kRefunded)) {
              auto moved = co_await orders::Move(tx, order_id, *status, OrderStatus::kRefunded,
                                                 type, event_id);
              if (!moved) co_return tl::unexpected(moved.error());
              // Refunded in full: Stripe must stop charging for it, not only this database.
              if (const std::string subscription(order->Text(0, 2)); !subscription.empty()) {
                auto cancel =
                    co_await billing::EnqueueSubscriptionCancel(tx, subscription, false, "refund");
                if (!cancel) co_return tl::unexpected(cancel.error());
              }
              auto canceled = co_await tx.Execute(kCancelWorkspace, order_id);
              if (!canceled) co_return tl::unexpected(canceled.error());
              if (!canceled->empty()) {
                auto notice =
                    co_await EnqueueProvisioningNotice(tx, std::string(canceled->Text(0, 0)));
                if (!notice) co_return tl::unexpected(notice.error());
              }
            }
          }
        }
        auto processed = co_await tx.Execute(kProcessed, event_id);
        if (!processed) co_return tl::unexpected(processed.error());
        co_return Result<void>();
      });
  if (!applied) co_return Outcome::Failed(applied.error().message + " " + applied.error().reason);
  co_return Outcome::Completed();
}

}  // namespace

void RegisterStripeEventJob(Registry& registry, JobDependencies& deps) {
  registry.Add("stripe.process_event", {.timeout = std::chrono::seconds(60)},
               [&deps](const JobRecord& job) { return Process(deps, job); });
}

}  // namespace codezero::worker
