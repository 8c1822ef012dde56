// `maintenance.cleanup`, the job that enforces the retention schedule
// (docs/compliance/retention-schedule.md), against a real PostgreSQL: for each of its sweeps a
// row a little past the period is deleted and a row a little inside it is kept, and what the
// schedule keeps (orders, invoices, the audit log, live jobs) is not touched.
#include <gtest/gtest.h>

#include "queue/enqueue.h"
#include "queue/kinds.h"
#include "support/api_server.h"
#include "support/environment.h"
#include "support/eventually.h"
#include "support/run_in_transaction.h"
#include "support/worker_harness.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

constexpr const char* kCompany = "c0000000-0000-4000-8000-00000000c1ea";
constexpr const char* kUser = "a0000000-0000-4000-8000-00000000c1ea";

class WorkerCleanup : public ::testing::Test {
 protected:
  WorkerCleanup() {
    testing::ApplyMigrations(database);
    database.Execute(std::string("INSERT INTO companies (id, name, country) VALUES ('") + kCompany +
                     "', 'Aufgeräumt GmbH', 'DE')");
    database.Execute(std::string("INSERT INTO users (id, company_id, email, name, role, locale) "
                                 "VALUES ('") +
                     kUser + "', '" + kCompany +
                     "', 'cleanup@example.org', 'Clea Nup', 'owner', 'de')");
  }

  // Runs one cleanup job to completion.
  void RunCleanup() {
    auto id = testing::RunInTransaction<std::optional<std::int64_t>>(
        database.url(),
        [](db::Transaction& tx) -> asio::awaitable<Result<std::optional<std::int64_t>>> {
          co_return co_await queue::Enqueue(tx, queue::kinds::kMaintenanceCleanup, "{}");
        });
    ASSERT_TRUE(id.has_value() && id->has_value());
    testing::WorkerHarness worker(
        testing::TestWorkerOptions(database.url(), testing::TestRedisUrl(), outbox));
    const std::string state = "SELECT state FROM jobs WHERE id = " + std::to_string(**id);
    ASSERT_TRUE(testing::Eventually([&] { return database.QueryValue(state) == "completed"; }))
        << database.QueryValue("SELECT errors FROM jobs WHERE id = " + std::to_string(**id));
  }

  // The labels left in `table` (its `label_sql` per row), sorted and comma-separated.
  std::string Left(const std::string& table, const std::string& label_sql) {
    return database.QueryValue("SELECT coalesce(string_agg(" + label_sql + ", ',' ORDER BY " +
                               label_sql + "), '') FROM " + table);
  }

  testing::TestDatabase database;
  std::filesystem::path outbox =
      std::filesystem::temp_directory_path() / ("cz-outbox-" + testing::UniqueKeyPrefix());
};

TEST_F(WorkerCleanup, EachSweepDeletesWhatIsPastItsPeriodAndKeepsTheRest) {
  // Jobs: completed ones after 24 hours, discarded and cancelled ones after 7 days, live ones
  // never.
  database.Execute(
      "INSERT INTO jobs (kind, args, state, finalized_at, run_at) VALUES "
      "('worker.noop', '{\"label\":\"completed-25h\"}', 'completed', now() - interval '25 hours', "
      "now()),"
      "('worker.noop', '{\"label\":\"completed-23h\"}', 'completed', now() - interval '23 hours', "
      "now()),"
      "('worker.noop', '{\"label\":\"discarded-8d\"}', 'discarded', now() - interval '8 days', "
      "now()),"
      "('worker.noop', '{\"label\":\"cancelled-8d\"}', 'cancelled', now() - interval '8 days', "
      "now()),"
      "('worker.noop', '{\"label\":\"discarded-6d\"}', 'discarded', now() - interval '6 days', "
      "now()),"
      "('worker.noop', '{\"label\":\"scheduled-old\"}', 'scheduled', NULL, "
      "now() + interval '1 day')");
  database.Execute("UPDATE jobs SET created_at = now() - interval '30 days'");
  // Links and tokens: e-mail links and refresh tokens 7 days after they expired, access tokens
  // after 1 day.
  database.Execute(
      std::string("INSERT INTO email_tokens (token_hash, purpose, user_id, expires_at) VALUES "
                  "('\\x01', 'verify', '") +
      kUser + "', now() - interval '8 days'), ('\\x02', 'reset', '" + kUser +
      "', now() - interval '6 days'), ('\\x03', 'verify', '" + kUser +
      "', now() + interval '1 day')");
  database.Execute(std::string("INSERT INTO refresh_tokens (token_hash, family_id, user_id, "
                               "expires_at) VALUES ('\\x11', gen_random_uuid(), '") +
                   kUser + "', now() - interval '8 days'), ('\\x12', gen_random_uuid(), '" + kUser +
                   "', now() - interval '6 days')");
  database.Execute(std::string("INSERT INTO access_tokens (token_hash, family_id, user_id, "
                               "expires_at) VALUES ('\\x21', gen_random_uuid(), '") +
                   kUser + "', now() - interval '25 hours'), ('\\x22', gen_random_uuid(), '" +
                   kUser + "', now() - interval '23 hours')");
  // E-mails 90 days after they were queued.
  database.Execute(
      "INSERT INTO email_outbox (to_address, template, locale, created_at, sent_at) VALUES "
      "('old@example.org', 'verify_email', 'de', now() - interval '91 days', now()),"
      "('unsent@example.org', 'verify_email', 'de', now() - interval '91 days', NULL),"
      "('recent@example.org', 'verify_email', 'de', now() - interval '89 days', now())");
  // Proof of consent and cancellation declarations until the limitation period of the year they
  // were made in has ended: 3 years from the end of that year, German time (§§ 195, 199(1)
  // BGB). `year_start` is 1 January, 00:00 in Berlin, three years before this one: what came
  // before it is past its period; what came at or after it is not, though it is more than 3
  // years old (on any day but 1 January).
  const std::string year_start =
      "(date_trunc('year', now(), 'Europe/Berlin') - interval '3 years')";
  database.Execute(
      "INSERT INTO consent_records (consent_id, action, statistics, marketing, policy_version, "
      "user_agent_class, recorded_at) VALUES "
      "(gen_random_uuid(), 'accept_all', true, true, 'old', 'desktop', " +
      year_start +
      " - interval '1 minute'),"
      "(gen_random_uuid(), 'reject_all', false, false, 'year-start', 'desktop', " +
      year_start + ")");
  database.Execute(
      "INSERT INTO cancellation_requests (email, name, contract, kind, reason, locale, "
      "received_at, expires_at) VALUES "
      "('old@example.org', 'Alt', '', 'ordinary', '', 'de', " +
      year_start +
      " - interval '1 minute', now()),"
      "('recent@example.org', 'Neu', '', 'ordinary', '', 'de', " +
      year_start + " + interval '1 minute', now())");
  // Records of periodic runs after 30 days.
  database.Execute(
      "INSERT INTO periodic_runs (kind, slot) VALUES "
      "('billing.reconcile', now() - interval '31 days'),"
      "('billing.reconcile', now() - interval '29 days')");
  // Stripe events: the payload blanked 90 days after the event was applied, never before it is
  // (a failed event keeps what it needs to be applied later); the row itself stays.
  database.Execute(
      "INSERT INTO stripe_events (id, type, created, livemode, payload, processed_at) VALUES "
      "('evt_applied_91d', 'invoice.paid', now(), false, '{\"id\":\"evt_applied_91d\"}', "
      "now() - interval '91 days'),"
      "('evt_applied_89d', 'invoice.paid', now(), false, '{\"id\":\"evt_applied_89d\"}', "
      "now() - interval '89 days'),"
      "('evt_unapplied', 'invoice.paid', now() - interval '1 year', false, "
      "'{\"id\":\"evt_unapplied\"}', NULL)");
  database.Execute("UPDATE stripe_events SET received_at = now() - interval '1 year'");
  // What the schedule keeps whatever its age: the audit log (§ 147 AO, decided elsewhere).
  database.Execute(std::string("INSERT INTO audit_log (occurred_at, action, actor_id) VALUES "
                               "(now() - interval '11 years', 'ancient', '") +
                   kUser + "')");

  RunCleanup();

  EXPECT_EQ(Left("jobs WHERE kind = 'worker.noop'", "args->>'label'"),
            "completed-23h,discarded-6d,scheduled-old");
  EXPECT_EQ(Left("email_tokens", "encode(token_hash, 'hex')"), "02,03");
  EXPECT_EQ(Left("refresh_tokens", "encode(token_hash, 'hex')"), "12");
  EXPECT_EQ(Left("access_tokens", "encode(token_hash, 'hex')"), "22");
  EXPECT_EQ(Left("email_outbox", "to_address::text"), "recent@example.org");
  EXPECT_EQ(Left("consent_records", "policy_version"), "year-start");
  EXPECT_EQ(Left("cancellation_requests", "name"), "Neu");
  EXPECT_EQ(Left("stripe_events", "id || '=' || payload"),
            "evt_applied_89d={\"id\":\"evt_applied_89d\"},evt_applied_91d={},"
            "evt_unapplied={\"id\":\"evt_unapplied\"}");
  EXPECT_EQ(Left("periodic_runs", "(now() - slot < interval '30 days')::text"), "true");
  EXPECT_EQ(Left("audit_log WHERE action = 'ancient'", "action"), "ancient");
}

// A sign-up never confirmed is erased after 30 days, with its company when nobody else is in it
// and it ordered nothing; a confirmed or younger account is left alone.
TEST_F(WorkerCleanup, ASignUpNeverConfirmedIsErasedAfterThirtyDays) {
  // Each company has one owner; `lone` and `ordered` were never confirmed and are 31 days old.
  database.Execute(
      "INSERT INTO companies (id, name, country, vat_id) VALUES "
      "('c0000000-0000-4000-8000-000000000001', 'Lone GmbH', 'DE', 'DE123456789'),"
      "('c0000000-0000-4000-8000-000000000002', 'Ordered GmbH', 'DE', NULL),"
      "('c0000000-0000-4000-8000-000000000003', 'Young GmbH', 'DE', NULL),"
      "('c0000000-0000-4000-8000-000000000004', 'Confirmed GmbH', 'DE', NULL)");
  database.Execute(
      "INSERT INTO users (id, company_id, email, name, role, password_hash, created_at, "
      "email_verified_at) VALUES "
      "('a0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', "
      "'lone@example.org', 'Lone', 'owner', 'hash', now() - interval '31 days', NULL),"
      "('a0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000002', "
      "'ordered@example.org', 'Ordered', 'owner', 'hash', now() - interval '31 days', NULL),"
      "('a0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000003', "
      "'young@example.org', 'Young', 'owner', 'hash', now() - interval '29 days', NULL),"
      "('a0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000004', "
      "'confirmed@example.org', 'Confirmed', 'owner', 'hash', now() - interval '1 year', "
      "now() - interval '1 year')");
  // An order keeps its company (the records of § 147 AO name it), whoever placed it.
  database.Execute(
      "INSERT INTO orders (company_id, created_by, idempotency_key, request_digest, status, "
      "catalog_version, quote_id, plan, billing_interval, currency, locale, tax_treatment, "
      "tax_country, tax_rate_bps, amount_subtotal, amount_discount, amount_tax, amount_total, "
      "recurring_subtotal, recurring_tax, recurring_total) VALUES "
      "('c0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000002', 'k', "
      "'d', 'expired', 1, 'q', 'starter', 'month', 'eur', 'de', 'standard', 'DE', 1900, 100, 0, "
      "19, 119, 100, 19, 119)");
  database.Execute(
      "INSERT INTO email_outbox (to_address, user_id, template, locale, payload) VALUES "
      "('lone@example.org', 'a0000000-0000-4000-8000-000000000001', 'verify_email', 'de', "
      "'{\"name\":\"Lone\"}'),"
      "('young@example.org', 'a0000000-0000-4000-8000-000000000003', 'verify_email', 'de', "
      "'{\"name\":\"Young\"}')");
  // A reset link asked for just now (a reset would have confirmed the address) goes with it.
  database.Execute(
      "INSERT INTO email_tokens (token_hash, purpose, user_id, expires_at) VALUES "
      "('\\x31', 'reset', 'a0000000-0000-4000-8000-000000000001', now() + interval '1 hour'),"
      "('\\x32', 'verify', 'a0000000-0000-4000-8000-000000000003', now() + interval '1 hour')");

  RunCleanup();

  EXPECT_EQ(Left("users WHERE id::text LIKE 'a0000000-0000-4000-8000-00000000000%'",
                 "right(id::text, 1) || name || ':' || email || ':' || "
                 "(anonymized_at IS NOT NULL)::text || ':' || "
                 "(password_hash IS NULL)::text"),
            "1:erased-a0000000-0000-4000-8000-000000000001@invalid:true:true,"
            "2:erased-a0000000-0000-4000-8000-000000000002@invalid:true:true,"
            "3Young:young@example.org:false:false,4Confirmed:confirmed@example.org:false:false");
  EXPECT_EQ(Left("companies WHERE id::text LIKE 'c0000000-0000-4000-8000-00000000000%'",
                 "right(id::text, 1) || name || ':' || coalesce(vat_id, '-') || ':' || "
                 "(deleted_at IS NOT NULL)::text"),
            "1deleted:-:true,2Ordered GmbH:-:false,3Young GmbH:-:false,4Confirmed GmbH:-:false");
  EXPECT_EQ(Left("email_outbox", "to_address::text || '=' || payload::text"),
            "erased@invalid={},young@example.org={\"name\": \"Young\"}");
  EXPECT_EQ(Left("email_tokens", "encode(token_hash, 'hex')"), "32");
  EXPECT_EQ(Left("audit_log WHERE action = 'unverified_account_erased'", "subject_id::text"),
            "a0000000-0000-4000-8000-000000000001,a0000000-0000-4000-8000-000000000002");

  // A second run finds nothing more to do.
  RunCleanup();
  EXPECT_EQ(database.QueryValue(
                "SELECT count(*) FROM audit_log WHERE action = 'unverified_account_erased'"),
            "2");
}

TEST_F(WorkerCleanup, ASweepLargerThanOneBatchIsDeletedWhole) {
  // 12,001 expired access tokens: three batches of 5,000, the last one short.
  database.Execute(std::string("INSERT INTO access_tokens (token_hash, family_id, user_id, "
                               "expires_at) SELECT int4send(i), gen_random_uuid(), '") +
                   kUser + "', now() - interval '2 days' FROM generate_series(1, 12001) i");
  RunCleanup();
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM access_tokens"), "0");
}

}  // namespace
}  // namespace codezero::worker
