#include "billing/reconcile.h"

#include <boost/json/serialize.hpp>

#include "billing/checkout_outcome.h"
#include "billing/order_sync.h"
#include "billing/stripe_events.h"
#include "billing/stripe_records.h"
#include "common/log.h"
#include "common/unix_time.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using stripe::IntOf;
using stripe::StringOf;

constexpr std::string_view kWatermarkKey = "billing.reconcile.watermark";
constexpr std::int64_t kOverlapSeconds = 300;
constexpr std::int64_t kFirstLookBackSeconds = 24 * 3600;
// 10,000 objects per list and run at most; a window holding more is halved (Reconcile).
constexpr int kMaxPages = 100;

constexpr db::Statement kWatermark{"reconcile_watermark",
                                   "SELECT value FROM worker_state WHERE key = $1"};
constexpr db::Statement kSetWatermark{
    "reconcile_set_watermark",
    "INSERT INTO worker_state (key, value) VALUES ($1, $2) "
    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()"};
constexpr db::Statement kLocalInvoice{
    "reconcile_local_invoice", "SELECT status, amount_paid FROM invoices WHERE stripe_id = $1"};
constexpr db::Statement kStaleSubscriptions{
    "reconcile_stale_subscriptions",
    "SELECT stripe_id FROM subscriptions WHERE status NOT IN ('canceled', 'incomplete_expired') "
    "AND current_period_end < now() - interval '10 minutes' LIMIT 500"};
constexpr db::Statement kStuckOrders{
    "reconcile_stuck_orders",
    "SELECT id, stripe_checkout_session FROM orders WHERE status = 'awaiting_payment' "
    "AND checkout_expires_at < now() AND stripe_checkout_session IS NOT NULL LIMIT 500"};

Error Failed(std::string reason) {
  return Error{
      ErrorCode::kUnavailable, "the reconciliation did not complete", std::move(reason), {}};
}

}  // namespace

asio::awaitable<Result<int>> Reconcile(db::Pool& database, stripe::Client& stripe,
                                       std::string traceparent) {
  const std::int64_t started = NowSeconds();
  auto stored_watermark = co_await database.Execute(kWatermark, std::string(kWatermarkKey));
  if (!stored_watermark) co_return tl::unexpected(Failed(stored_watermark.error().reason));
  const std::int64_t watermark = stored_watermark->empty()
                                     ? started - kFirstLookBackSeconds
                                     : std::stoll(std::string(stored_watermark->Text(0, 0)));
  const std::string since = std::to_string(watermark - kOverlapSeconds);
  int repairs = 0;

  // The window of this run, [since, until): everything since, or, when its lists hold more than
  // one run reads (kMaxPages), the earlier half up to now, again and again until they fit. The
  // watermark then moves to the window's end and the next run goes on from there. Invoices are
  // stamped with the time before they were listed, so an event that stores a fresher copy meanwhile
  // is never rolled back (billing/stripe_records.h).
  const std::int64_t listed_version = FetchVersion();
  std::int64_t until = started + 1;
  Listed events;
  Listed invoices;
  bool complete = false;
  for (int halvings = 0; !complete; ++halvings) {
    // The first try has no upper bound: objects of a Stripe test clock are created at the
    // clock's time, which may be ahead of ours.
    stripe::FormFields window{{"created[gte]", since}};
    if (halvings > 0) window.emplace_back("created[lt]", std::to_string(until));
    auto listed_events = co_await ListAll(stripe, "/v1/events", window, kMaxPages);
    if (!listed_events)
      co_return tl::unexpected(Failed("list events: " + listed_events.error().reason));
    auto listed_invoices = co_await ListAll(stripe, "/v1/invoices", window, kMaxPages);
    if (!listed_invoices) {
      co_return tl::unexpected(Failed("list invoices: " + listed_invoices.error().reason));
    }
    events = std::move(*listed_events);
    invoices = std::move(*listed_invoices);
    complete = events.complete && invoices.complete;
    if (complete || until - watermark <= 1 || halvings == 30) break;
    until = watermark + (until - watermark) / 2;
  }

  // 1. Events that never arrived.
  for (const json::object& event : events.objects) {
    StripeEventHead head{.id = StringOf(event, "id"),
                         .type = StringOf(event, "type"),
                         .created = IntOf(event, "created").value_or(0),
                         .livemode = stripe::BoolOf(event, "livemode")};
    auto stored = co_await RecordStripeEvent(database, head, json::serialize(event), traceparent);
    if (!stored) co_return tl::unexpected(Failed(stored.error().reason));
    if (*stored) {
      ++repairs;
      log::Warn("reconcile: a missed Stripe event was stored and queued",
                {{"event", head.id}, {"type", head.type}});
    }
  }

  // 2. Invoices missing or different here.
  for (const json::object& invoice : invoices.objects) {
    const std::string id = StringOf(invoice, "id");
    auto local = co_await database.Execute(kLocalInvoice, id);
    if (!local) co_return tl::unexpected(Failed(local.error().reason));
    const bool same = !local->empty() && local->Text(0, 0) == StringOf(invoice, "status") &&
                      local->Int64(0, 1) == IntOf(invoice, "amount_paid").value_or(0);
    if (same) continue;
    const std::string order_hint =
        co_await OrderOfSubscription(stripe, StringOf(invoice, "subscription"));
    // The listed invoice may carry only some of its lines, and its tax rates unexpanded.
    auto full = co_await FetchInvoice(stripe, id);
    if (!full && full.error().code == ErrorCode::kNotFound) continue;  // a draft deleted since
    if (!full) co_return tl::unexpected(Failed("fetch invoice: " + full.error().reason));
    const stripe::Invoice decoded = stripe::DecodeInvoice(*full);
    auto repaired =
        co_await database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
          tx.set_trace_context(traceparent);
          auto kept = co_await StoreInvoice(tx, decoded, listed_version, order_hint);
          if (!kept) co_return tl::unexpected(kept.error());
          if (!kept->order_id.empty()) {
            auto synced = co_await SyncOrder(tx, kept->order_id, "billing.reconcile", "");
            if (!synced) co_return tl::unexpected(synced.error());
          }
          co_return Result<void>();
        });
    if (!repaired) co_return tl::unexpected(Failed(repaired.error().reason));
    ++repairs;
    log::Warn("reconcile: invoice repaired",
              {{"invoice", id},
               {"was", local->empty() ? std::string("missing") : std::string(local->Text(0, 0))},
               {"now", StringOf(invoice, "status")}});
  }

  // 3. Subscriptions that should have renewed.
  auto stale = co_await database.Execute(kStaleSubscriptions);
  if (!stale) co_return tl::unexpected(Failed(stale.error().reason));
  for (int row = 0; row < stale->size(); ++row) {
    const std::string id(stale->Text(row, 0));
    auto fresh = co_await FetchObject(stripe, "/v1/subscriptions", id);
    if (!fresh) co_return tl::unexpected(Failed("fetch subscription: " + fresh.error().reason));
    const std::int64_t version = FetchVersion();
    const stripe::Subscription subscription = stripe::DecodeSubscription(*fresh);
    auto repaired =
        co_await database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
          tx.set_trace_context(traceparent);
          auto kept = co_await StoreSubscription(tx, subscription, version);
          if (!kept) co_return tl::unexpected(kept.error());
          if (!kept->order_id.empty()) {
            auto synced = co_await SyncOrder(tx, kept->order_id, "billing.reconcile", "");
            if (!synced) co_return tl::unexpected(synced.error());
          }
          co_return kept->applied;
        });
    if (!repaired) co_return tl::unexpected(Failed(repaired.error().reason));
    if (*repaired) {
      ++repairs;
      log::Warn("reconcile: subscription refreshed", {{"subscription", id}});
    }
  }

  // 4. Orders whose checkout expired without a word from Stripe.
  auto stuck = co_await database.Execute(kStuckOrders);
  if (!stuck) co_return tl::unexpected(Failed(stuck.error().reason));
  for (int row = 0; row < stuck->size(); ++row) {
    const std::string order_id(stuck->Text(row, 0));
    auto settled =
        co_await SettleCheckoutSession(database, stripe, order_id, std::string(stuck->Text(row, 1)),
                                       /*settle_expired=*/true, "billing.reconcile", traceparent);
    if (!settled) co_return tl::unexpected(Failed("settle checkout: " + settled.error().reason));
    if (*settled) {
      ++repairs;
      log::Warn("reconcile: stuck order settled",
                {{"order_id", order_id}, {"to", domain::ToString(**settled)}});
    }
  }

  if (!complete) {
    // Even one second holds more than a run lists: checked up to the cap, the rest is left.
    log::Error("reconcile: more changes in one second than a run lists; some were not checked",
               {{"since", since}, {"max_per_list", kMaxPages * 100}});
  } else if (until <= started) {
    log::Warn("reconcile: the window was cut to fit; the next run goes on",
              {{"since", since}, {"until", until}});
  }
  auto advanced = co_await database.Execute(kSetWatermark, std::string(kWatermarkKey),
                                            std::to_string(until - 1));
  if (!advanced) co_return tl::unexpected(Failed(advanced.error().reason));
  log::Info("reconcile finished", {{"repairs", repairs}, {"since", since}});
  co_return repairs;
}

}  // namespace codezero::billing
