#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {

void RegisterJobs(Registry& registry, JobDependencies& deps) {
  RegisterNoopJob(registry);
  RegisterEmailJob(registry, deps);
  RegisterProvisionJob(registry, deps);
  RegisterProvisioningNoticeJob(registry, deps);
  RegisterStripeEventJob(registry, deps);
  RegisterSubscriptionCancelJob(registry, deps);
  RegisterFollowCancellationJob(registry, deps);
  RegisterReferralJobs(registry, deps);
  RegisterSubscriptionChangeJob(registry, deps);
  RegisterSubscriptionEndWithRefundJob(registry, deps);
  RegisterSyncCustomerJob(registry, deps);
  RegisterReconcileJob(registry, deps);
  RegisterFollowVatRatesJob(registry, deps);
  RegisterCleanupJob(registry, deps);
}

}  // namespace codezero::worker
