// `stripe.sync_customer` {"company_id"}: brings the company's Stripe customer up to the
// company's current name, billing address and VAT ID after the company changed them
// (billing/customer_sync.h). Reads the company when it runs, so a later change is never undone
// by an earlier job; a company without a Stripe customer is done.
#include "billing/customer_sync.h"
#include "stripe/objects.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> Sync(JobDependencies& deps, const JobRecord& job) {
  const std::string company_id = stripe::StringOf(job.args, "company_id");
  if (company_id.empty()) co_return Outcome::Discarded("no company_id");
  // Keyed by the job: its retries replay, a later change's job applies afresh.
  auto synced = co_await billing::SyncCustomerWithCompany(
      deps.database, deps.stripe, company_id,
      "company:" + company_id + ":customer_sync:" + std::to_string(job.id));
  if (!synced) co_return Outcome::Failed(synced.error().message + " " + synced.error().reason);
  co_return Outcome::Completed();
}

}  // namespace

void RegisterSyncCustomerJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kStripeSyncCustomer,
               [&deps](const JobRecord& job) { return Sync(deps, job); });
}

}  // namespace codezero::worker
