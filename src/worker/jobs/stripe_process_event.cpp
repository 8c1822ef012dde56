// `stripe.process_event` {"event_id"}: applies one stored Stripe event (stored by the API's
// webhook endpoint or the reconciliation) through the billing layer (billing/stripe_events.h).
// A failure to reach Stripe or the database is retried; an event that can never apply (none
// stored under the id, not an event) is discarded with the reason.
#include "billing/stripe_events.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

boost::asio::awaitable<Outcome> ProcessEventJob(JobDependencies& deps, const JobRecord& job) {
  const auto* id = job.args.if_contains("event_id");
  if (id == nullptr || !id->is_string()) co_return Outcome::Discarded("no event_id");
  auto applied = co_await billing::ApplyStripeEvent(
      deps.database, deps.stripe, std::string(id->as_string()), job.trace_context);
  if (!applied) co_return Outcome::Failed(applied.error().message + " " + applied.error().reason);
  if (applied->kind == billing::EventOutcome::Kind::kRefused) {
    co_return Outcome::Discarded(applied->reason);
  }
  co_return Outcome::Completed();
}

}  // namespace

void RegisterStripeEventJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kStripeProcessEvent,
               [&deps](const JobRecord& job) { return ProcessEventJob(deps, job); });
}

}  // namespace codezero::worker
