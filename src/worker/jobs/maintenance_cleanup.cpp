// `maintenance.cleanup` (periodic, daily): removes what has served its purpose, in batches so
// no statement holds locks for long (docs/worker.md, "Retention"):
// completed jobs after 24 hours, discarded and cancelled ones after 7 days, expired links and
// tokens, e-mails 90 days after they were queued (sent or not; their secrets were blanked when
// sent or failed), consent records and cancellation declarations after 3 years, periodic-run
// records after 30 days.
// Invoices, orders and the audit log are kept (§ 147 AO).
#include "common/log.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

constexpr int kBatch = 5'000;

constexpr db::Statement kSweeps[] = {
    {"cleanup_completed_jobs",
     "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'completed' "
     "AND finalized_at < now() - interval '24 hours' LIMIT $1)"},
    {"cleanup_dead_jobs",
     "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state IN ('discarded', "
     "'cancelled') AND finalized_at < now() - interval '7 days' LIMIT $1)"},
    {"cleanup_email_tokens",
     "DELETE FROM email_tokens WHERE token_hash IN (SELECT token_hash FROM email_tokens "
     "WHERE expires_at < now() - interval '7 days' LIMIT $1)"},
    {"cleanup_refresh_tokens",
     "DELETE FROM refresh_tokens WHERE token_hash IN (SELECT token_hash FROM refresh_tokens "
     "WHERE expires_at < now() - interval '7 days' LIMIT $1)"},
    {"cleanup_access_tokens",
     "DELETE FROM access_tokens WHERE token_hash IN (SELECT token_hash FROM access_tokens "
     "WHERE expires_at < now() - interval '1 day' LIMIT $1)"},
    {"cleanup_old_email",
     "DELETE FROM email_outbox WHERE id IN (SELECT id FROM email_outbox WHERE "
     "created_at < now() - interval '90 days' LIMIT $1)"},
    // Proof of consent is kept for the regular limitation period (3 years, § 195 BGB).
    {"cleanup_consent_records",
     "DELETE FROM consent_records WHERE id IN (SELECT id FROM consent_records "
     "WHERE recorded_at < now() - interval '3 years' LIMIT $1)"},
    // Cancellations declared on the public page, the proof of each declaration, after 3 years
    // (§ 195 BGB).
    {"cleanup_cancellation_requests",
     "DELETE FROM cancellation_requests WHERE id IN (SELECT id FROM cancellation_requests "
     "WHERE received_at < now() - interval '3 years' LIMIT $1)"},
    {"cleanup_periodic_runs",
     "DELETE FROM periodic_runs WHERE (kind, slot) IN (SELECT kind, slot FROM periodic_runs "
     "WHERE slot < now() - interval '30 days' LIMIT $1)"},
};

asio::awaitable<Outcome> Cleanup(JobDependencies& deps, const JobRecord&) {
  for (const db::Statement& sweep : kSweeps) {
    std::int64_t removed = 0;
    for (;;) {
      auto deleted = co_await deps.database.Execute(sweep, kBatch);
      if (!deleted)
        co_return Outcome::Failed(std::string(sweep.name) + ": " + deleted.error().reason);
      removed += deleted->affected();
      if (deleted->affected() < kBatch) break;
    }
    if (removed > 0) log::Info("cleanup", {{"sweep", sweep.name}, {"removed", removed}});
  }
  co_return Outcome::Completed();
}

}  // namespace

void RegisterCleanupJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kMaintenanceCleanup,
               [&deps](const JobRecord& job) { return Cleanup(deps, job); });
}

}  // namespace codezero::worker
