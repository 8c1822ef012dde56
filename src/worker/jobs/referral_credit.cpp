// `referral.credit` {"redemption"} and `referral.reverse` {"redemption"}: a referral's credit to
// the referrer's Stripe customer balance at the end of its holding period, and its taking back
// after a refund (billing/referrals.h). One live job per redemption and direction.
#include <chrono>

#include "billing/referrals.h"
#include "stripe/objects.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> Credit(JobDependencies& deps, const JobRecord& job) {
  const std::string redemption = stripe::StringOf(job.args, "redemption");
  if (redemption.empty()) co_return Outcome::Discarded("no redemption");
  auto waited = co_await billing::CreditReferral(deps.database, deps.stripe, redemption);
  if (!waited) co_return Outcome::Failed(waited.error().reason);
  if (*waited > 0) co_return Outcome::Snoozed(std::chrono::seconds(*waited));
  co_return Outcome::Completed();
}

boost::asio::awaitable<Outcome> Reverse(JobDependencies& deps, const JobRecord& job) {
  const std::string redemption = stripe::StringOf(job.args, "redemption");
  if (redemption.empty()) co_return Outcome::Discarded("no redemption");
  auto reversed = co_await billing::ReverseReferral(deps.database, deps.stripe, redemption);
  if (!reversed) co_return Outcome::Failed(reversed.error().reason);
  co_return Outcome::Completed();
}

}  // namespace

void RegisterReferralJobs(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kReferralCredit,
               [&deps](const JobRecord& job) { return Credit(deps, job); });
  registry.Add(queue::kinds::kReferralReverse,
               [&deps](const JobRecord& job) { return Reverse(deps, job); });
}

}  // namespace codezero::worker
