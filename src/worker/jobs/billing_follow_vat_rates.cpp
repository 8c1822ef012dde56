// `billing.follow_vat_rates` (periodic, daily by default): running subscriptions get the VAT
// rate of their country on their next renewal day from the dated rate table, at Stripe, before
// that renewal (billing/tax_rates.h). A failure is retried; the next day's run finds the rest.
#include "billing/tax_rates.h"
#include "common/log.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> Follow(JobDependencies& deps, const JobRecord&) {
  auto changed =
      co_await billing::FollowVatRateChanges(deps.database, deps.stripe, *deps.vat_rates);
  if (!changed) co_return Outcome::Failed(changed.error().message + " " + changed.error().reason);
  log::Info("VAT rates of running subscriptions checked", {{"changed", *changed}});
  co_return Outcome::Completed();
}

}  // namespace

void RegisterFollowVatRatesJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kBillingFollowVatRates,
               [&deps](const JobRecord& job) { return Follow(deps, job); });
}

}  // namespace codezero::worker
