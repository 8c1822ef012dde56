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
#include "billing/subscription_cancel.h"
#include "stripe/objects.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> CancelSubscriptionJob(JobDependencies& deps, const JobRecord& job) {
  const std::string subscription = stripe::StringOf(job.args, "subscription");
  if (subscription.empty()) co_return Outcome::Discarded("no subscription");
  auto canceled = co_await billing::CancelAtStripe(deps.stripe, subscription,
                                                   stripe::BoolOf(job.args, "at_period_end"),
                                                   stripe::StringOf(job.args, "cause"));
  if (!canceled) co_return Outcome::Failed(canceled.error().reason);
  co_return Outcome::Completed();
}

}  // namespace

void RegisterSubscriptionCancelJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kStripeCancelSubscription,
               [&deps](const JobRecord& job) { return CancelSubscriptionJob(deps, job); });
}

}  // namespace codezero::worker
