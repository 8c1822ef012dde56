// `subscription.end_with_refund` {"subscription"} (the public id): a cancellation received
// before a renewal, but confirmed after it, ends the subscription at once and refunds the
// renewal in full (billing/admin_cancellation.h, the same path as staff use). An ended
// subscription is done.
#include "billing/admin_cancellation.h"
#include "stripe/objects.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> EndWithRefundJob(JobDependencies& deps, const JobRecord& job) {
  const std::string subscription = stripe::StringOf(job.args, "subscription");
  if (subscription.empty()) co_return Outcome::Discarded("no subscription");
  auto ended = co_await billing::CancelImmediately(deps.database, deps.stripe, subscription,
                                                   billing::RefundChoice::kFull);
  if (!ended && ended.error().code == ErrorCode::kConflict) co_return Outcome::Completed();
  if (!ended) co_return Outcome::Failed(ended.error().reason);
  co_return Outcome::Completed();
}

}  // namespace

void RegisterSubscriptionEndWithRefundJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kSubscriptionEndWithRefund,
               [&deps](const JobRecord& job) { return EndWithRefundJob(deps, job); });
}

}  // namespace codezero::worker
