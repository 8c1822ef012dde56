// Operating the job queue by hand, through /v1/admin/jobs (platform admins only, audited) and
// `codezero jobs`: listing with filters and pages, retrying a discarded job (which then runs),
// cancelling a waiting one, and the refusals: a running job, a finished one, a unique key
// held by another live job, an unknown id, a bad filter.
#include <gtest/gtest.h>

#include <thread>

#include "support/api_test.h"
#include "support/child_process.h"
#include "support/eventually.h"
#include "support/worker_harness.h"

namespace codezero::api {
namespace {

using testing::JsonOf;

class JobsAdmin : public testing::ApiTest {
 protected:
  // Inserts a job as the worker would have left it; returns its id.
  std::string InsertJob(const std::string& state, const std::string& unique_key = "",
                        int attempt = 0, int max_attempts = 20) {
    return database.QueryValue(
        "INSERT INTO jobs (kind, state, attempt, max_attempts, unique_key, errors, finalized_at) "
        "VALUES ('worker.noop', '" +
        state + "', " + std::to_string(attempt) + ", " + std::to_string(max_attempts) + ", " +
        (unique_key.empty() ? "NULL" : "'" + unique_key + "'") + ", " +
        (attempt > 0 ? "'[{\"attempt\":1,\"at\":\"2026-11-29T10:00:00.000Z\","
                       "\"error\":\"boom\",\"worker\":\"worker-1:4242\"}]'"
                     : "'[]'") +
        ", " +
        (state == "completed" || state == "discarded" || state == "cancelled" ? "now()" : "NULL") +
        ") RETURNING id");
  }

  std::vector<std::string> CliEnvironment() {
    return {"DATABASE_URL=" + database.url(), "LOG_LEVEL=warn"};
  }
};

TEST_F(JobsAdmin, PlatformAdminsListRetryAndCancelJobs) {
  Start();
  SignUpAndVerify("customer@example.com");
  const Tokens customer = Login("customer@example.com");
  const Tokens admin = LoginAsNewPlatformAdmin("ops@codezero.ai");
  ASSERT_FALSE(admin.access.empty());
  database.Execute("DELETE FROM jobs");  // the sign-up's e-mail job

  const std::string discarded = InsertJob("discarded", "nightly", 3, 3);
  const std::string running = InsertJob("running");
  const std::string waiting = InsertJob("scheduled");
  const std::string completed = InsertJob("completed");
  const std::string holder = InsertJob("available", "held");
  const std::string blocked = InsertJob("discarded", "held", 20, 20);

  EXPECT_EQ(Send(http::Verb::get, "/v1/admin/jobs", "", customer.access).result(),
            http::Status::forbidden);
  EXPECT_EQ(Send(http::Verb::get, "/v1/admin/jobs").result(), http::Status::unauthorized);

  // Lists: filtered by state, newest first, in pages.
  const auto listed =
      JsonOf(Send(http::Verb::get, "/v1/admin/jobs?state=discarded", "", admin.access));
  ASSERT_EQ(listed.at("data").as_array().size(), 2u);
  EXPECT_EQ(listed.at("data").at(0).at("id").as_int64(), std::stoll(blocked));
  EXPECT_EQ(listed.at("data").at(1).at("errors").at(0).at("error"), "boom");
  EXPECT_EQ(listed.at("has_more"), false);
  const auto first_page = JsonOf(Send(http::Verb::get, "/v1/admin/jobs?limit=4", "", admin.access));
  ASSERT_EQ(first_page.at("data").as_array().size(), 4u);
  EXPECT_EQ(first_page.at("has_more"), true);
  const auto rest = JsonOf(Send(http::Verb::get,
                                "/v1/admin/jobs?limit=4&before=" +
                                    std::to_string(first_page.at("data").at(3).at("id").as_int64()),
                                "", admin.access));
  ASSERT_EQ(rest.at("data").as_array().size(), 2u);
  EXPECT_EQ(rest.at("data").at(1).at("id").as_int64(), std::stoll(discarded));
  EXPECT_EQ(rest.at("has_more"), false);
  EXPECT_EQ(Send(http::Verb::get, "/v1/admin/jobs?state=sleeping", "", admin.access).result(),
            http::Status::bad_request);
  EXPECT_EQ(Send(http::Verb::get, "/v1/admin/jobs?limit=0", "", admin.access).result(),
            http::Status::bad_request);
  EXPECT_EQ(Send(http::Verb::get, "/v1/admin/jobs/" + running, "", admin.access).result(),
            http::Status::ok);
  EXPECT_EQ(Send(http::Verb::get, "/v1/admin/jobs/999999", "", admin.access).result(),
            http::Status::not_found);
  EXPECT_EQ(Send(http::Verb::get, "/v1/admin/jobs/abc", "", admin.access).result(),
            http::Status::not_found);

  // Retry: a discarded job gets one more attempt and keeps its history.
  const auto retried =
      Send(http::Verb::post, "/v1/admin/jobs/" + discarded + "/retry", "", admin.access);
  ASSERT_EQ(retried.result(), http::Status::ok) << retried.body();
  const auto retried_job = JsonOf(retried);
  EXPECT_EQ(retried_job.at("state"), "available");
  EXPECT_EQ(retried_job.at("attempt").as_int64(), 3);
  EXPECT_EQ(retried_job.at("max_attempts").as_int64(), 4);
  EXPECT_TRUE(retried_job.at("finalized_at").is_null());
  EXPECT_EQ(retried_job.at("errors").as_array().size(), 1u);
  // ... and the refusals.
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/jobs/" + running + "/retry", "", admin.access).result(),
      http::Status::conflict);
  const auto held =
      Send(http::Verb::post, "/v1/admin/jobs/" + blocked + "/retry", "", admin.access);
  EXPECT_EQ(held.result(), http::Status::conflict);
  EXPECT_NE(held.body().find("unique key"), std::string::npos) << held.body();
  EXPECT_EQ(Send(http::Verb::post, "/v1/admin/jobs/999999/retry", "", admin.access).result(),
            http::Status::not_found);
  EXPECT_EQ(Send(http::Verb::post, "/v1/admin/jobs/" + discarded + "/retry", "", customer.access)
                .result(),
            http::Status::forbidden);

  // Cancel: a waiting job, with the reason on record; twice is the same; finished or running
  // jobs are refused.
  const auto cancelled = Send(http::Verb::post, "/v1/admin/jobs/" + waiting + "/cancel",
                              R"({"reason":"customer asked"})", admin.access);
  ASSERT_EQ(cancelled.result(), http::Status::ok) << cancelled.body();
  const auto cancelled_job = JsonOf(cancelled);
  EXPECT_EQ(cancelled_job.at("state"), "cancelled");
  EXPECT_EQ(cancelled_job.at("errors").at(0).at("error"),
            "cancelled by ops@codezero.ai: customer asked");
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/jobs/" + waiting + "/cancel", "", admin.access).result(),
      http::Status::ok);
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/jobs/" + completed + "/cancel", "", admin.access).result(),
      http::Status::conflict);
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/jobs/" + running + "/cancel", "", admin.access).result(),
      http::Status::conflict);
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/jobs/" + holder + "/cancel", R"({"why":1})", admin.access)
          .result(),
      http::Status::unprocessable_entity);
  EXPECT_EQ(database.QueryValue("SELECT state FROM jobs WHERE id = " + holder), "available");

  // Every change is audited, refusals are not.
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM audit_log WHERE action = "
                                "'admin_job_retried' AND details->>'job_id' = '" +
                                discarded + "'"),
            "1");
  EXPECT_EQ(
      database.QueryValue("SELECT count(*) FROM audit_log WHERE action = 'admin_job_cancelled'"),
      "2");

  // The retried job runs to completion on a worker.
  database.Execute("UPDATE jobs SET state = 'completed', finalized_at = now() WHERE id IN (" +
                   running + "," + holder + ")");
  const auto outbox =
      std::filesystem::temp_directory_path() / ("cz-jobs-admin-" + testing::UniqueKeyPrefix());
  {
    testing::WorkerHarness worker(testing::TestWorkerOptions(database.url(), redis_url, outbox));
    EXPECT_TRUE(testing::Eventually([&] {
      return database.QueryValue("SELECT state FROM jobs WHERE id = " + discarded) == "completed";
    }));
  }
  EXPECT_EQ(database.QueryValue("SELECT state || ' ' || attempt FROM jobs WHERE id = " + discarded),
            "completed 4");
  std::filesystem::remove_all(outbox);
}

TEST_F(JobsAdmin, TheCommandLineFollowsTheSameRules) {
  testing::ApplyMigrations(database);
  const std::string discarded = InsertJob("discarded", "", 20, 20);
  const std::string waiting = InsertJob("retryable", "", 1);

  const auto listed = testing::RunToEnd(CODEZERO_BINARY, {"jobs", "list", "--state", "discarded"},
                                        CliEnvironment());
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_NE(listed.output.find("ID"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find(discarded), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("boom"), std::string::npos) << listed.output;
  EXPECT_EQ(listed.output.find(waiting + " "), std::string::npos) << listed.output;

  const auto as_json =
      testing::RunToEnd(CODEZERO_BINARY, {"jobs", "list", "--json"}, CliEnvironment());
  EXPECT_EQ(as_json.exit_code, 0);
  EXPECT_NE(as_json.output.find("\"has_more\":false"), std::string::npos) << as_json.output;

  const auto retried =
      testing::RunToEnd(CODEZERO_BINARY, {"jobs", "retry", discarded}, CliEnvironment());
  EXPECT_EQ(retried.exit_code, 0) << retried.output;
  EXPECT_NE(retried.output.find("\"state\" : \"available\""), std::string::npos) << retried.output;
  EXPECT_EQ(
      database.QueryValue("SELECT state || ' ' || max_attempts FROM jobs WHERE id = " + discarded),
      "available 21");

  const auto cancelled = testing::RunToEnd(
      CODEZERO_BINARY, {"jobs", "cancel", waiting, "--reason", "duplicate"}, CliEnvironment());
  EXPECT_EQ(cancelled.exit_code, 0) << cancelled.output;
  EXPECT_EQ(database.QueryValue("SELECT errors->-1->>'error' FROM jobs WHERE id = " + waiting),
            "cancelled from the command line: duplicate");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM audit_log WHERE client = 'cli'"), "2");

  const auto again =
      testing::RunToEnd(CODEZERO_BINARY, {"jobs", "retry", "999999"}, CliEnvironment());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("No such job."), std::string::npos) << again.output;
  EXPECT_EQ(testing::RunToEnd(CODEZERO_BINARY, {"jobs", "frobnicate"}, CliEnvironment()).exit_code,
            2);
  EXPECT_EQ(
      testing::RunToEnd(CODEZERO_BINARY, {"jobs", "list", "--state", "sleeping"}, CliEnvironment())
          .exit_code,
      2);
}

}  // namespace
}  // namespace codezero::api
