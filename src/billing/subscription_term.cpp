#include "billing/subscription_term.h"

#include "billing/order_context.h"
#include "billing/stripe_records.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/random.h"
#include "domain/money_format.h"
#include "domain/subscription_state.h"
#include "mail/outbox.h"
#include "queue/enqueue.h"
#include "stripe/api_error.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kLockSubscription{
    "billing_term_lock",
    "SELECT s.stripe_id, s.status, "
    "  coalesce(extract(epoch FROM s.current_period_end)::bigint, 0), "
    "  coalesce(extract(epoch FROM s.cancellation_received_at)::bigint, 0), "
    "  s.cancel_at_period_end AND s.cancellation_changed_at IS NULL, coalesce(o.plan, ''), "
    "  coalesce(o.catalog_version, 0) "
    "FROM subscriptions s LEFT JOIN orders o ON o.id = s.order_id "
    "WHERE s.id = $1::uuid AND s.company_id = $2::uuid FOR NO KEY UPDATE OF s"};
// Whether the subscription renewed after a declaration was received (confirmed only later).
constexpr db::Statement kRenewedSince{
    "billing_term_renewed_since",
    "SELECT current_period_start > $2::timestamptz FROM subscriptions WHERE stripe_id = $1"};
constexpr db::Statement kRecordCancellation{
    "billing_term_cancel",
    "UPDATE subscriptions SET cancellation_received_at = coalesce($3::timestamptz, now()), "
    "cancellation_received_from = $2::uuid, cancellation_changed_at = clock_timestamp() "
    "WHERE stripe_id = $1 RETURNING extract(epoch FROM cancellation_received_at)::bigint, "
    "(extract(epoch FROM cancellation_changed_at) * 1000000)::bigint"};
constexpr db::Statement kRecordResumption{
    "billing_term_resume",
    "UPDATE subscriptions SET cancellation_received_at = NULL, cancellation_received_from = NULL, "
    "cancellation_changed_at = clock_timestamp() WHERE stripe_id = $1 "
    "RETURNING extract(epoch FROM cancellation_changed_at)::bigint, "
    "(extract(epoch FROM cancellation_changed_at) * 1000000)::bigint"};
// What Stripe should say: end with the period when the customer cancelled, and also when the
// company was closed (a resumption retried until after a closure must not undo the closure's
// ending).
constexpr db::Statement kIntent{
    "billing_term_intent",
    "SELECT s.cancellation_received_at IS NOT NULL OR c.deleted_at IS NOT NULL, "
    "coalesce((extract(epoch FROM s.cancellation_changed_at) * 1000000)::bigint, 0) "
    "FROM subscriptions s LEFT JOIN companies c ON c.id = s.company_id WHERE s.stripe_id = $1"};

struct Locked {
  std::string stripe_id;
  std::string status;
  std::int64_t period_end = 0;
  std::int64_t received_at = 0;
  bool ends_otherwise = false;  // Stripe ends it, and not at the customer's word
  std::string plan;
  int catalog_version = 0;
};

asio::awaitable<Result<Locked>> Lock(db::Transaction& tx, const std::string& company_id,
                                     const std::string& subscription) {
  auto rows = co_await tx.Execute(kLockSubscription, subscription, company_id);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  Locked locked;
  locked.stripe_id = std::string(rows->Text(0, 0));
  locked.status = std::string(rows->Text(0, 1));
  locked.period_end = rows->Int64(0, 2);
  locked.received_at = rows->Int64(0, 3);
  locked.ends_otherwise = rows->Bool(0, 4);
  locked.plan = std::string(rows->Text(0, 5));
  locked.catalog_version = static_cast<int>(rows->Int64(0, 6));
  if (domain::HasEnded(locked.status)) {
    co_return Fail(ErrorCode::kConflict, "The subscription has ended.");
  }
  co_return locked;
}

// The confirmation in text form (§ 312k(4) BGB) to the company's owner: `template_name` with the
// plan, the company, the receipt's date and time and the end (or renewal) date; once per
// declaration (`declaration`: when it was recorded, in microseconds).
asio::awaitable<Result<void>> Confirm(db::Transaction& tx, const std::string& company_id,
                                      const Locked& locked, std::string template_name,
                                      std::int64_t received_at, std::int64_t declaration,
                                      const CancellationDeclaration* cancellation = nullptr,
                                      bool late = false) {
  auto owner = co_await OwnerOf(tx, company_id);
  if (!owner) co_return tl::unexpected(owner.error());
  if (!*owner) co_return Result<void>();
  const Recipient& to = **owner;
  std::string plan = locked.plan;
  if (auto catalog = co_await LoadCatalog(tx, locked.catalog_version)) {
    if (const domain::Plan* bought = catalog->FindPlan(locked.plan)) {
      plan = bought->name.In(to.Locale());
    }
  }
  JsonWriter payload(256);
  payload.BeginObject();
  payload.Member("company", to.company);
  payload.Member("plan", plan);
  payload.Member("received_at", domain::FormatDateTime(received_at, to.Locale()));
  payload.Member("period_end", domain::FormatDate(locked.period_end, to.Locale()));
  if (cancellation != nullptr && cancellation->extraordinary) {
    payload.Member("extraordinary", true);
    payload.Member("reason", cancellation->reason);
  }
  if (late) payload.Member("late", true);
  payload.EndObject();
  const std::string key =
      template_name + ":" + locked.stripe_id + ":" + std::to_string(declaration);
  auto queued = co_await mail::EnqueueEmail(tx, to.email, template_name, to.locale,
                                            std::move(payload).Take(), to.user_id, key);
  if (!queued) co_return tl::unexpected(queued.error());
  co_return Result<void>();
}

// One job per declaration (`declaration`: its version in microseconds): a job already running
// holds its own key, so a later declaration is never dropped as a duplicate of it.
asio::awaitable<Result<void>> EnqueueFollow(db::Transaction& tx, const std::string& stripe_id,
                                            std::int64_t declaration) {
  JsonWriter args(96);
  args.BeginObject();
  args.Member("subscription", stripe_id);
  args.EndObject();
  const queue::JobKind& kind = queue::kinds::kStripeFollowCancellation;
  auto queued = co_await queue::Enqueue(
      tx, kind, std::move(args).Take(),
      std::string(kind.name) + ":" + stripe_id + ":" + std::to_string(declaration));
  if (!queued) co_return tl::unexpected(queued.error());
  co_return Result<void>();
}

}  // namespace

asio::awaitable<Result<bool>> RequestCancellation(db::Pool& database, std::string company_id,
                                                  std::string subscription, std::string user_id) {
  co_return co_await database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
    CancellationDeclaration declaration{.user_id = user_id};
    co_return co_await RequestCancellation(tx, company_id, subscription, std::move(declaration));
  });
}

asio::awaitable<Result<bool>> RequestCancellation(db::Transaction& tx, std::string company_id,
                                                  std::string subscription,
                                                  CancellationDeclaration declaration) {
  auto locked = co_await Lock(tx, company_id, subscription);
  if (!locked) co_return tl::unexpected(locked.error());
  if (locked->received_at != 0) co_return false;  // received already: said once
  auto recorded = co_await tx.Execute(kRecordCancellation, locked->stripe_id, declaration.user_id,
                                      declaration.received_at);
  if (!recorded) co_return tl::unexpected(recorded.error());
  // Received before a renewal that has happened since (its confirmation came later): the
  // contract should have ended with the period before, so it ends now and the renewal is
  // refunded, by a job (Stripe is not called inside a transaction).
  bool late = false;
  if (declaration.received_at) {
    auto renewed = co_await tx.Execute(kRenewedSince, locked->stripe_id, declaration.received_at);
    if (!renewed) co_return tl::unexpected(renewed.error());
    late = !renewed->empty() && renewed->Bool(0, 0);
  }
  if (late) {
    JsonWriter args(96);
    args.BeginObject();
    args.Member("subscription", subscription);
    args.EndObject();
    const queue::JobKind& kind = queue::kinds::kSubscriptionEndWithRefund;
    auto queued = co_await queue::Enqueue(tx, kind, std::move(args).Take(),
                                          std::string(kind.name) + ":" + subscription);
    if (!queued) co_return tl::unexpected(queued.error());
    log::Info("a cancellation received before a renewal ends the subscription now",
              {{"subscription", locked->stripe_id}});
  } else {
    auto followed = co_await EnqueueFollow(tx, locked->stripe_id, recorded->Int64(0, 1));
    if (!followed) co_return tl::unexpected(followed.error());
  }
  auto confirmed =
      co_await Confirm(tx, company_id, *locked, "cancellation_received", recorded->Int64(0, 0),
                       recorded->Int64(0, 1), &declaration, late);
  if (!confirmed) co_return tl::unexpected(confirmed.error());
  co_return true;
}

asio::awaitable<Result<bool>> Resume(db::Pool& database, std::string company_id,
                                     std::string subscription) {
  co_return co_await database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
    auto locked = co_await Lock(tx, company_id, subscription);
    if (!locked) co_return tl::unexpected(locked.error());
    if (locked->received_at == 0) {
      // Ending without the customer's cancellation (a closed company) is not theirs to undo.
      if (locked->ends_otherwise) {
        co_return Fail(ErrorCode::kConflict, "The subscription ends for another reason.");
      }
      co_return false;  // nothing to take back
    }
    auto recorded = co_await tx.Execute(kRecordResumption, locked->stripe_id);
    if (!recorded) co_return tl::unexpected(recorded.error());
    auto followed = co_await EnqueueFollow(tx, locked->stripe_id, recorded->Int64(0, 1));
    if (!followed) co_return tl::unexpected(followed.error());
    auto confirmed = co_await Confirm(tx, company_id, *locked, "subscription_resumed",
                                      recorded->Int64(0, 0), recorded->Int64(0, 1));
    if (!confirmed) co_return tl::unexpected(confirmed.error());
    co_return true;
  });
}

asio::awaitable<Result<bool>> FollowCancellation(db::Pool& database, stripe::Client& stripe,
                                                 std::string stripe_id) {
  bool changed = false;
  for (int round = 0; round < 3; ++round) {
    auto intent = co_await database.Execute(kIntent, stripe_id);
    if (!intent) co_return tl::unexpected(intent.error());
    if (intent->empty()) co_return changed;
    const bool cancel = intent->Bool(0, 0);
    const std::int64_t version = intent->Int64(0, 1);
    auto fetched = co_await FetchObject(stripe, "/v1/subscriptions", stripe_id);
    if (!fetched && fetched.error().code == ErrorCode::kNotFound) co_return changed;
    if (!fetched) co_return tl::unexpected(fetched.error());
    const stripe::Subscription current = stripe::DecodeSubscription(*fetched);
    if (domain::HasEnded(current.status)) co_return changed;
    // Setting the flag is idempotent by nature, so each call has a key of its own: the key of an
    // earlier call would replay that call's answer instead of setting the flag again, after
    // another declaration's job changed it in between.
    if (current.cancel_at_period_end != cancel) {
      stripe::FormFields fields{{"cancel_at_period_end", cancel ? "true" : "false"}};
      std::string operation = "subscription:" + stripe_id +
                              ":follow_cancellation:" + std::to_string(version) + ":" +
                              RandomToken(8);
      auto updated = co_await stripe.Post("/v1/subscriptions/" + stripe_id, std::move(fields),
                                          std::move(operation));
      if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
      changed = true;
      log::Info("stripe subscription follows the customer's cancellation",
                {{"subscription", stripe_id}, {"cancel_at_period_end", cancel}});
    }
    auto again = co_await database.Execute(kIntent, stripe_id);
    if (!again) co_return tl::unexpected(again.error());
    if (again->empty() || again->Int64(0, 1) == version) co_return changed;
  }
  co_return changed;
}

}  // namespace codezero::billing
