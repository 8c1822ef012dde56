// `maintenance.cleanup` (periodic, daily): removes what has served its purpose, in batches so
// no statement holds locks for long (docs/worker.md, "Retention"):
// completed jobs after 24 hours, discarded and cancelled ones after 7 days, expired links and
// tokens, e-mails 90 days after they were queued (sent or not; their secrets were blanked when
// sent or failed), consent records and cancellation declarations once the limitation period of
// the year they were made in has run out (3 years from the end of that year), periodic-run
// records after 30 days, and the payload of a Stripe event 90 days after it was applied.
// Sign-ups whose address was never confirmed are erased after 30 days, as `DELETE /v1/me` would
// (with their company, when nobody else is in it and it has no orders).
// Invoices, orders and the audit log are kept (§ 147 AO).
#include "auth/erasure_sql.h"
#include "common/log.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

constexpr int kBatch = 5'000;

// Proof of a declaration is kept as long as a claim it bears on can still be brought: the
// regular limitation period of 3 years (§ 195 BGB) starts at the end of the year the claim
// arose in (§ 199(1) BGB), German time. What was recorded before this moment is past it.
#define CODEZERO_LIMITATION_ENDED \
  "(date_trunc('year', now(), 'Europe/Berlin') - interval '3 years')"

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
    // Proof of consent (Art. 7(1) GDPR).
    {"cleanup_consent_records",
     "DELETE FROM consent_records WHERE id IN (SELECT id FROM consent_records "
     "WHERE recorded_at < " CODEZERO_LIMITATION_ENDED " LIMIT $1)"},
    // Cancellations declared on the public page, the proof of each declaration (§ 312k(4) BGB).
    {"cleanup_cancellation_requests",
     "DELETE FROM cancellation_requests WHERE id IN (SELECT id FROM cancellation_requests "
     "WHERE received_at < " CODEZERO_LIMITATION_ENDED " LIMIT $1)"},
    // A Stripe event's payload (Stripe's objects: names, addresses, e-mail addresses, card
    // brand and last four digits) is read only to apply the event. What it changed lives on in
    // orders, subscriptions and invoices; 90 days after that the payload is blanked. The row
    // stays, so a late duplicate of the event is still recognised and not applied twice.
    {"cleanup_stripe_event_payloads",
     "UPDATE stripe_events SET payload = '{}' WHERE id IN (SELECT id FROM stripe_events "
     "WHERE processed_at < now() - interval '90 days' AND payload <> '{}' LIMIT $1)"},
    // A sign-up whose address was never confirmed (its link lasts 24 hours) after 30 days:
    // anonymised like an erased account, audited, its company closed like `DELETE /v1/company`
    // when no one else is in it and it ordered nothing; its links deleted and the e-mails to it
    // blanked. Such an owner could not sign in, so it has no sessions. Invited members and admins
    // are confirmed when they are created.
    {"cleanup_unverified_accounts",
     "WITH stale AS (SELECT id AS user_id, company_id AS user_company, email AS user_email "
     "FROM users WHERE email_verified_at IS NULL AND anonymized_at IS NULL "
     "AND created_at < now() - interval '30 days' ORDER BY created_at LIMIT $1 "
     "FOR UPDATE SKIP LOCKED), "
     "closed AS (UPDATE companies c SET " CODEZERO_CLOSE_COMPANY_SET
     " WHERE c.id IN (SELECT user_company FROM stale) AND c.deleted_at IS NULL "
     "AND NOT EXISTS (SELECT 1 FROM users o WHERE o.company_id = c.id AND o.anonymized_at IS NULL "
     "AND o.id NOT IN (SELECT user_id FROM stale)) "
     "AND NOT EXISTS (SELECT 1 FROM orders WHERE orders.company_id = c.id)), "
     "links AS (DELETE FROM email_tokens WHERE user_id IN (SELECT user_id FROM stale) "
     "OR email IN (SELECT user_email FROM stale)), "
     "mails AS (UPDATE email_outbox SET to_address = 'erased@invalid', payload = '{}' "
     "WHERE user_id IN (SELECT user_id FROM stale) OR to_address IN (SELECT user_email FROM "
     "stale)), "
     "audited AS (INSERT INTO audit_log (action, company_id, subject_id, client) "
     "SELECT 'unverified_account_erased', user_company, user_id, 'worker' FROM stale) "
     "UPDATE users SET " CODEZERO_ERASE_USER_SET " FROM stale WHERE users.id = stale.user_id"},
    {"cleanup_periodic_runs",
     "DELETE FROM periodic_runs WHERE (kind, slot) IN (SELECT kind, slot FROM periodic_runs "
     "WHERE slot < now() - interval '30 days' LIMIT $1)"},
};

#undef CODEZERO_LIMITATION_ENDED

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
