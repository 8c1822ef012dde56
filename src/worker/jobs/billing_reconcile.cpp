// `billing.reconcile` (periodic): the reconciliation of local billing state with Stripe
// (billing/reconcile.h). A run that does not complete is retried; its watermark stays.
#include "billing/reconcile.h"
#include "metrics/registry.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> Run(JobDependencies& deps, const JobRecord& job) {
  auto repaired = co_await billing::Reconcile(deps.database, deps.stripe, job.trace_context);
  if (!repaired) co_return Outcome::Failed(repaired.error().reason);
  // Each repair is something a webhook should have done: an alert watches this.
  metrics::Default()
      .AddCounter("codezero_reconciliation_repairs_total",
                  "What the reconciliation had to repair (missed or lost Stripe events).")
      .With({})
      .Inc(static_cast<std::uint64_t>(*repaired));
  co_return Outcome::Completed();
}

}  // namespace

void RegisterReconcileJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kBillingReconcile,
               [&deps](const JobRecord& job) { return Run(deps, job); });
}

}  // namespace codezero::worker
