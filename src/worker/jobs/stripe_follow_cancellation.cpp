// `stripe.follow_cancellation` {"subscription"}: makes Stripe's cancel_at_period_end follow the
// customer's cancellation or its resumption as recorded (billing/subscription_term.h). One live
// job per subscription; it reads what is recorded when it runs, so the last word counts.
#include "billing/subscription_term.h"
#include "stripe/objects.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> FollowCancellationJob(JobDependencies& deps, const JobRecord& job) {
  const std::string subscription = stripe::StringOf(job.args, "subscription");
  if (subscription.empty()) co_return Outcome::Discarded("no subscription");
  auto followed = co_await billing::FollowCancellation(deps.database, deps.stripe, subscription);
  if (!followed) co_return Outcome::Failed(followed.error().reason);
  co_return Outcome::Completed();
}

}  // namespace

void RegisterFollowCancellationJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kStripeFollowCancellation,
               [&deps](const JobRecord& job) { return FollowCancellationJob(deps, job); });
}

}  // namespace codezero::worker
