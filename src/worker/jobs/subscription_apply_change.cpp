// `subscription.apply_change` {"subscription"}: makes a change recorded for the end of the
// period (a lower price) at Stripe shortly before the renewal, without prorations
// (billing/subscription_changes.h). One live job per recorded change.
#include "billing/subscription_changes.h"
#include "stripe/objects.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> ApplyChangeJob(JobDependencies& deps, const JobRecord& job) {
  const std::string subscription = stripe::StringOf(job.args, "subscription");
  if (subscription.empty()) co_return Outcome::Discarded("no subscription");
  auto applied = co_await billing::ApplyScheduledChange(deps.database, deps.stripe, subscription);
  if (!applied) co_return Outcome::Failed(applied.error().reason);
  co_return Outcome::Completed();
}

}  // namespace

void RegisterSubscriptionChangeJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kSubscriptionApplyChange,
               [&deps](const JobRecord& job) { return ApplyChangeJob(deps, job); });
}

}  // namespace codezero::worker
