#include "billing/stripe_events.h"

#include <optional>

#include <boost/json/parse.hpp>

#include "billing/checkout_outcome.h"
#include "billing/invoice_notes.h"
#include "billing/order_context.h"
#include "billing/order_sync.h"
#include "billing/refund.h"
#include "billing/stripe_records.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/uuid.h"
#include "domain/money_format.h"
#include "mail/outbox.h"
#include "queue/kinds.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using Kind = EventOutcome::Kind;

// The job row is what queue::Enqueue would write for the kind (queue/kinds.h).
constexpr db::Statement kRecordEvent{
    "billing_record_stripe_event",
    "WITH stored AS ("
    "  INSERT INTO stripe_events (id, type, created, livemode, payload) "
    "  VALUES ($1, $2, to_timestamp($3::bigint), $4::boolean, $5) "
    "  ON CONFLICT (id) DO NOTHING RETURNING id) "
    "INSERT INTO jobs (kind, queue, max_attempts, args, unique_key, trace_context) "
    "SELECT $7, $8, $9::int, jsonb_build_object('event_id', id), $7 || ':' || id, "
    "nullif($6, '') FROM stored RETURNING id"};

constexpr db::Statement kEvent{"event_load",
                               "SELECT payload, type FROM stripe_events WHERE id = $1"};
constexpr db::Statement kProcessed{
    "event_processed",
    "UPDATE stripe_events SET processed_at = coalesce(processed_at, now()) WHERE id = $1"};
constexpr db::Statement kOrderCompany{"event_order_company",
                                      "SELECT company_id FROM orders WHERE id = $1::uuid"};
constexpr db::Statement kDeleteDraftInvoice{
    "event_delete_draft_invoice", "DELETE FROM invoices WHERE stripe_id = $1 AND status = 'draft'"};

EventOutcome Outcome(Kind kind, std::string reason = "") { return {kind, std::move(reason)}; }

// The dunning e-mail for a failed invoice payment, once per invoice and attempt.
asio::awaitable<Result<void>> QueueDunning(db::Transaction& tx, const stripe::Invoice& invoice,
                                           const std::string& order_id) {
  if (order_id.empty()) co_return Result<void>();
  auto order = co_await tx.Execute(kOrderCompany, order_id);
  if (!order) co_return tl::unexpected(order.error());
  if (order->empty()) co_return Result<void>();
  auto owner = co_await OwnerOf(tx, std::string(order->Text(0, 0)));
  if (!owner) co_return tl::unexpected(owner.error());
  if (!*owner) co_return Result<void>();
  const Recipient& to = **owner;
  JsonWriter payload(512);
  payload.BeginObject();
  payload.Member("company", to.company);
  payload.Member("invoice_number", invoice.number);
  payload.Member("amount", domain::FormatMoney(invoice.amount_due, invoice.currency, to.Locale()));
  payload.Member("invoice_url", invoice.hosted_invoice_url);
  payload.Key("next_attempt");
  if (invoice.next_payment_attempt) {
    payload.String(domain::FormatDate(*invoice.next_payment_attempt, to.Locale()));
  } else {
    payload.Bool(false);
  }
  payload.EndObject();
  const std::string key =
      "payment_failed:" + invoice.id + ":" + std::to_string(invoice.attempt_count);
  auto queued = co_await mail::EnqueueEmail(tx, to.email, "payment_failed", to.locale,
                                            std::move(payload).Take(), to.user_id, key);
  if (!queued) co_return tl::unexpected(queued.error());
  co_return Result<void>();
}

// Stripe's current object for an event that names one, fetched before the transaction (no
// network inside it), and the order it belongs to when only Stripe knows that. Subscriptions
// and invoices are always fetched; a checkout session and a charge only when the event is in
// another API version than ours (`foreign`), whose payload is then not read at all.
struct Fresh {
  std::optional<json::object> object;
  std::string order_hint;
  bool gone = false;  // Stripe has no such object (any more), or the event names none
};

asio::awaitable<Result<Fresh>> FetchFresh(stripe::Client& stripe, std::string_view type,
                                          const json::object& object, bool foreign) {
  Fresh fresh;
  const std::string id = stripe::StringOf(object, "id");
  Result<json::object> fetched = Fail(ErrorCode::kNotFound, "nothing fetched");
  if (type.starts_with("customer.subscription.")) {
    fetched = co_await FetchObject(stripe, "/v1/subscriptions", id);
  } else if (type.starts_with("invoice.")) {
    fetched = co_await FetchInvoice(stripe, id);
    // An invoice of a subscription we have not seen yet: learn its order from Stripe.
    if (fetched) {
      fresh.order_hint =
          co_await OrderOfSubscription(stripe, stripe::StringOf(*fetched, "subscription"));
    }
  } else if (type.starts_with("checkout.session.") && foreign) {
    fetched = co_await FetchObject(stripe, "/v1/checkout/sessions", id);
  } else if (type == "charge.refunded") {
    // The charge as we read it: the payload's, or Stripe's current one for another version.
    const json::object* charge = &object;
    if (foreign) {
      fetched = co_await FetchObject(stripe, "/v1/charges", id);
      if (!fetched && fetched.error().code == ErrorCode::kNotFound) {
        fresh.gone = true;
        co_return fresh;
      }
      if (!fetched) co_return tl::unexpected(fetched.error());
      fresh.object = std::move(*fetched);
      charge = &*fresh.object;
    }
    // A charge of a one-time payment has no invoice, and an invoice of one no subscription.
    auto invoice =
        co_await FetchObject(stripe, "/v1/invoices", stripe::StringOf(*charge, "invoice"));
    if (invoice) {
      fresh.order_hint =
          co_await OrderOfSubscription(stripe, stripe::StringOf(*invoice, "subscription"));
    }
    co_return fresh;
  } else {
    co_return fresh;
  }
  if (!fetched && fetched.error().code == ErrorCode::kNotFound) {
    fresh.gone = true;
    co_return fresh;
  }
  if (!fetched) co_return tl::unexpected(fetched.error());
  fresh.object = std::move(*fetched);
  co_return fresh;
}

// `own`: the object to read for the event's own state: its payload, or, for an event in
// another API version, Stripe's current object in ours.
asio::awaitable<Result<void>> ApplyInTransaction(db::Transaction& tx, const stripe::Event& event,
                                                 const json::object& own, const Fresh& fresh,
                                                 std::int64_t version) {
  const std::string& type = event.type;
  if (type.starts_with("checkout.session.")) {
    const stripe::CheckoutSession session = stripe::DecodeCheckoutSession(own);
    if (IsUuid(session.order_id)) {
      const auto target = CheckoutTargetOf(type, session);
      auto moved = co_await ApplyCheckoutOutcome(tx, session, target, type, event.id);
      if (!moved) co_return tl::unexpected(moved.error());
      if (*moved) {
        log::Info("order moved",
                  {{"order_id", session.order_id}, {"to", domain::ToString(*target)}});
      }
    }
  } else if (type.starts_with("customer.subscription.")) {
    const stripe::Subscription subscription = stripe::DecodeSubscription(*fresh.object);
    auto kept = co_await StoreSubscription(tx, subscription, version);
    if (!kept) co_return tl::unexpected(kept.error());
    if (!kept->order_id.empty()) {
      auto synced = co_await SyncOrder(tx, kept->order_id, type, event.id);
      if (!synced) co_return tl::unexpected(synced.error());
    }
  } else if (type.starts_with("invoice.")) {
    const stripe::Invoice invoice = stripe::DecodeInvoice(*fresh.object);
    auto kept = co_await StoreInvoice(tx, invoice, version, fresh.order_hint);
    if (!kept) co_return tl::unexpected(kept.error());
    if (type == "invoice.payment_failed") {
      // The attempt that failed: the event's own invoice (the fresh one may have moved on).
      const stripe::Invoice failed = stripe::DecodeInvoice(own);
      auto dunning = co_await QueueDunning(tx, failed, kept->order_id);
      if (!dunning) co_return tl::unexpected(dunning.error());
    }
    if (!kept->order_id.empty()) {
      auto synced = co_await SyncOrder(tx, kept->order_id, type, event.id);
      if (!synced) co_return tl::unexpected(synced.error());
    }
  } else if (type == "charge.refunded") {
    const stripe::Charge charge = stripe::DecodeCharge(own);
    auto refunded = co_await ApplyRefund(tx, charge, fresh.order_hint, type, event.id);
    if (!refunded) co_return tl::unexpected(refunded.error());
  }
  auto processed = co_await tx.Execute(kProcessed, event.id);
  if (!processed) co_return tl::unexpected(processed.error());
  co_return Result<void>();
}

}  // namespace

asio::awaitable<Result<bool>> RecordStripeEvent(db::Pool& database, const StripeEventHead& head,
                                                std::string payload, std::string traceparent) {
  const queue::JobKind& kind = queue::kinds::kStripeProcessEvent;
  auto stored = co_await database.Execute(
      kRecordEvent, head.id, head.type, static_cast<long long>(head.created), head.livemode,
      payload, traceparent, std::string(kind.name), std::string(kind.queue), kind.max_attempts);
  if (!stored) co_return tl::unexpected(stored.error());
  co_return !stored->empty();
}

asio::awaitable<Result<EventOutcome>> ApplyStripeEvent(db::Pool& database, stripe::Client& stripe,
                                                       std::string event_id,
                                                       std::string traceparent) {
  auto stored = co_await database.Execute(kEvent, event_id);
  if (!stored) co_return tl::unexpected(stored.error());
  if (stored->empty()) co_return Outcome(Kind::kRefused, "no such event");
  boost::system::error_code ec;
  const json::value parsed = json::parse(stored->Text(0, 0), ec);
  if (ec || !parsed.is_object()) co_return Outcome(Kind::kRefused, "the stored event is not JSON");
  stripe::Event event = stripe::DecodeEvent(parsed.as_object());
  event.id = event_id;
  event.type = std::string(stored->Text(0, 1));
  if (event.object == nullptr) co_return Outcome(Kind::kRefused, "the event has no object");
  // An event rendered in another API version (an endpoint not made by `codezero stripe setup`,
  // or one recovered from Stripe's event list, which keeps each event's version): its payload
  // may have another shape, so it is not read; the objects it names are fetched in ours.
  const bool foreign = !event.api_version.empty() && event.api_version != stripe::kApiVersion;
  if (foreign) {
    log::Error(
        "stripe event in another API version: its payload is not read, its objects are "
        "fetched; set the webhook endpoint's version (codezero stripe setup)",
        {{"event", event_id},
         {"type", event.type},
         {"api_version", event.api_version},
         {"expected", std::string(stripe::kApiVersion)}});
  }

  // Events whose object is not one to fetch: an upcoming invoice is a preview without an id,
  // and a deleted (draft) invoice is gone. Both are recorded and change nothing else here.
  if (event.type == "invoice.upcoming" || event.type == "invoice.deleted") {
    if (event.type == "invoice.deleted") {
      auto removed =
          co_await database.Execute(kDeleteDraftInvoice, stripe::StringOf(*event.object, "id"));
      if (!removed) co_return tl::unexpected(removed.error());
    }
    auto processed = co_await database.Execute(kProcessed, event_id);
    if (!processed) co_return tl::unexpected(processed.error());
    log::Info("stripe event has nothing to apply", {{"event", event_id}, {"type", event.type}});
    co_return Outcome(Kind::kIgnored);
  }

  auto fresh = co_await FetchFresh(stripe, event.type, *event.object, foreign);
  if (!fresh) co_return tl::unexpected(fresh.error());
  if (fresh->gone) {
    // Final, not worth a retry: the event is recorded as processed with a warning.
    auto processed = co_await database.Execute(kProcessed, event_id);
    if (!processed) co_return tl::unexpected(processed.error());
    log::Warn("stripe event names an object Stripe does not have; nothing applied",
              {{"event", event_id},
               {"type", event.type},
               {"object", stripe::StringOf(*event.object, "id")}});
    co_return Outcome(Kind::kIgnored);
  }
  const std::int64_t version = FetchVersion();
  const json::object& own = foreign && fresh->object ? *fresh->object : *event.object;
  auto applied =
      co_await database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
        tx.set_trace_context(traceparent);
        co_return co_await ApplyInTransaction(tx, event, own, *fresh, version);
      });
  if (!applied) co_return tl::unexpected(applied.error());
  // A renewal made as a draft gets its own order's tax note (invoice_notes.h).
  if (event.type == "invoice.created" && fresh->object) {
    const stripe::Invoice draft = stripe::DecodeInvoice(*fresh->object);
    auto written = co_await WriteOrderNoteOnDraft(database, stripe, draft);
    if (!written) co_return tl::unexpected(written.error());
  }
  co_return Outcome(Kind::kApplied);
}

}  // namespace codezero::billing
