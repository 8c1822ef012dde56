// `stripe.cancel_subscription` {"subscription", "at_period_end", "cause"}: ends a Stripe
// subscription whose order or company ended here, so that Stripe stops charging for it.
//
// - at once (`at_period_end` false): a fully refunded order; `DELETE /v1/subscriptions/{id}`,
//   without proration (the refund already returned the money);
// - at the period's end (`at_period_end` true): a closed company, which keeps what it paid for
//   until then; `POST /v1/subscriptions/{id}` with `cancel_at_period_end=true`.
//
// Enqueued in the transaction that ended the order or the company, one live job per
// subscription and kind of ending. Stripe then sends customer.subscription.updated or .deleted,
// which the event job stores as usual. A subscription Stripe no longer has, or has already
// canceled, is done.
#include <boost/json/object.hpp>

#include "billing/stripe_records.h"
#include "billing/subscription_cancel.h"
#include "common/log.h"
#include "stripe/objects.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<Outcome> Process(JobDependencies& deps, const JobRecord& job) {
  const std::string subscription = stripe::StringOf(job.args, "subscription");
  if (subscription.empty()) co_return Outcome::Discarded("no subscription");
  const auto* at_period_end_value = job.args.if_contains("at_period_end");
  const bool at_period_end = at_period_end_value != nullptr && at_period_end_value->is_bool() &&
                             at_period_end_value->as_bool();
  const std::string cause = stripe::StringOf(job.args, "cause");

  auto current = co_await billing::FetchObject(deps.stripe, "/v1/subscriptions", subscription);
  if (!current && current.error().code == ErrorCode::kNotFound) {
    log::Warn("subscription to cancel is not at Stripe", {{"subscription", subscription}});
    co_return Outcome::Completed();
  }
  if (!current) co_return Outcome::Failed("fetch subscription: " + current.error().reason);
  const std::string status = stripe::StringOf(*current, "status");
  if (status == "canceled" || status == "incomplete_expired") co_return Outcome::Completed();

  if (at_period_end) {
    const auto* already = current->if_contains("cancel_at_period_end");
    if (already != nullptr && already->is_bool() && already->as_bool()) {
      co_return Outcome::Completed();
    }
    stripe::FormFields fields{{"cancel_at_period_end", "true"},
                              {"metadata[canceled_because]", cause}};
    auto updated = co_await deps.stripe.Post("/v1/subscriptions/" + subscription, std::move(fields),
                                             "subscription:" + subscription + ":cancel_at_end");
    if (!updated) co_return Outcome::Failed(stripe::ToError(updated.error()).reason);
  } else {
    stripe::FormFields fields{{"prorate", "false"}, {"cancellation_details[comment]", cause}};
    auto canceled =
        co_await deps.stripe.Delete("/v1/subscriptions/" + subscription, std::move(fields));
    if (!canceled) co_return Outcome::Failed(stripe::ToError(canceled.error()).reason);
  }
  log::Info("stripe subscription canceled",
            {{"subscription", subscription}, {"at_period_end", at_period_end}, {"cause", cause}});
  co_return Outcome::Completed();
}

}  // namespace

void RegisterSubscriptionCancelJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kStripeCancelSubscription,
               [&deps](const JobRecord& job) { return Process(deps, job); });
}

}  // namespace codezero::worker
