// The `codezero` executable as an operator meets it: settings errors, --help, migrate,
// `stripe setup` against the stand-in, and a SIGTERM that ends `codezero api` with exit code 0.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <thread>

#include "support/environment.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/private_redis.h"
#include "support/stripe_fake_server.h"

namespace codezero {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the binary with exactly the given environment.
Outcome RunCodezero(const std::vector<std::string>& args,
                    const std::vector<std::string>& environment) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], 1);
    ::dup2(pipe_fds[1], 2);
    ::close(pipe_fds[0]);
    std::vector<char*> argv{const_cast<char*>(CODEZERO_BINARY)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    ::execve(CODEZERO_BINARY, argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  Outcome outcome;
  std::array<char, 4096> buffer;
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer.data(), buffer.size())) > 0)
    outcome.output.append(buffer.data(), static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

TEST(Cli, InvalidSettingsExitWithCode2AndOneLineEach) {
  const Outcome outcome = RunCodezero({"api"}, {"API_PORT=eighty", "LOG_LEVEL=loud"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("codezero api: API_PORT: 'eighty' is not a whole number\n"),
            std::string::npos)
      << outcome.output;
  EXPECT_NE(
      outcome.output.find("codezero api: LOG_LEVEL: 'loud' is not debug, info, warn or error\n"),
      std::string::npos);
  EXPECT_NE(outcome.output.find("codezero api: DATABASE_URL: required but not set"),
            std::string::npos);
  EXPECT_NE(outcome.output.find("codezero api: REDIS_URL: required but not set"),
            std::string::npos);
}

TEST(Cli, SecretsAreNeverEchoedInSettingsErrors) {
  const Outcome outcome = RunCodezero({"api"}, {"DATABASE_URL=mysql://root:hunter2-secret@db/x",
                                                "REDIS_URL=rediss://:pw-secret@h"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.output.find("hunter2-secret"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("pw-secret"), std::string::npos) << outcome.output;
}

TEST(Cli, HelpListsEverySettingWithItsDefault) {
  const Outcome outcome = RunCodezero({"api", "--help"}, {});
  EXPECT_EQ(outcome.exit_code, 0);
  for (const char* expected :
       {"API_PORT", "[default: 8081]", "API_THREADS", "API_READ_TIMEOUT_MS", "API_MAX_BODY_BYTES",
        "API_SHUTDOWN_GRACE_MS", "DATABASE_URL", "DB_POOL_SIZE", "REDIS_URL",
        "REDIS_COMMAND_TIMEOUT_MS", "LOG_LEVEL", "X_FILE"}) {
    EXPECT_NE(outcome.output.find(expected), std::string::npos) << expected;
  }
}

TEST(Cli, UnknownCommandIsAUsageError) {
  EXPECT_EQ(RunCodezero({"frobnicate"}, {}).exit_code, 2);
  EXPECT_EQ(RunCodezero({}, {}).exit_code, 2);
  EXPECT_EQ(RunCodezero({"version"}, {}).exit_code, 0);
}

TEST(Cli, MigrateAppliesOnceThenReportsUpToDate) {
  testing::TestDatabase database;
  const std::vector<std::string> environment{"DATABASE_URL=" + database.url(), "LOG_LEVEL=warn"};
  const Outcome first = RunCodezero({"migrate"}, environment);
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("applied 0001_init.sql"), std::string::npos);
  const Outcome second = RunCodezero({"migrate"}, environment);
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_EQ(second.output.find("applied"), std::string::npos);
  EXPECT_NE(second.output.find("database is up to date"), std::string::npos);
}

TEST(Cli, MigrateFailsClearlyWithoutADatabase) {
  const Outcome outcome = RunCodezero({"migrate"}, {"DATABASE_URL=postgresql://u:p@127.0.0.1:1/x"});
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("cannot connect to the database"), std::string::npos);
  EXPECT_EQ(outcome.output.find("u:p@"), std::string::npos);
}

TEST(Cli, StripeSetupCreatesTheWebhookEndpointOnThePinnedVersionOnce) {
  testing::StripeFakeServer fake;
  const std::vector<std::string> env{"STRIPE_SECRET_KEY=" + fake.api_key(),
                                     "STRIPE_API_BASE=" + fake.base_url(), "LOG_LEVEL=warn"};
  const std::string url = "https://api.example/v1/webhooks/stripe";
  const std::string catalog = CODEZERO_SOURCE_DIR "/catalog/catalog-v1.json";
  const std::vector<std::string> setup{
      "stripe",         "setup",     "--webhook-url", url,         "--seller-vat-id",
      "DE 136 695 976", "--catalog", catalog,         "--web-url", "https://www.example/"};
  const Outcome first = RunCodezero(setup, env);
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("signing secret (shown once"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("seller tax ID DE136695976 created"), std::string::npos);
  EXPECT_NE(first.output.find("10 products checked, 10 created"), std::string::npos)
      << first.output;
  const boost::json::array endpoints = fake.Get("/v1/webhook_endpoints").at("data").as_array();
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].at("api_version"), "2024-06-20");
  EXPECT_EQ(endpoints[0].at("url").as_string(), url);
  EXPECT_EQ(endpoints[0].at("enabled_events").as_array().size(), 15u);
  EXPECT_EQ(fake.Get("/v1/products/codezero_team").at("name"), "Team");
  const boost::json::array portals =
      fake.Get("/v1/billing_portal/configurations").at("data").as_array();
  ASSERT_EQ(portals.size(), 1u);
  const boost::json::value& portal = portals[0];
  EXPECT_EQ(portal.at("business_profile").at("terms_of_service_url"), "https://www.example/de/agb");
  EXPECT_EQ(portal.at("features").at("invoice_history").at("enabled"), true);
  EXPECT_EQ(portal.at("features").at("subscription_cancel").at("enabled"), false);
  EXPECT_EQ(portal.at("features").at("customer_update").at("enabled"), false);

  // Again: everything is found, nothing created.
  const Outcome second = RunCodezero(setup, env);
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("is set up"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("seller tax ID DE136695976 is set up"), std::string::npos);
  EXPECT_NE(second.output.find("10 products checked, 0 created"), std::string::npos);
  EXPECT_EQ(second.output.find("signing secret"), std::string::npos) << second.output;
  EXPECT_EQ(fake.Get("/v1/webhook_endpoints").at("data").as_array().size(), 1u);
  EXPECT_EQ(fake.Get("/v1/tax_ids").at("data").as_array().size(), 1u);
  EXPECT_NE(second.output.find("portal configuration bpc_"), std::string::npos);
  EXPECT_EQ(second.output.find("updated"), std::string::npos) << second.output;
  EXPECT_EQ(fake.Get("/v1/billing_portal/configurations").at("data").as_array().size(), 1u);

  // An endpoint on the account's default version cannot be changed: reported, then replaced
  // only when asked.
  const std::string old_url = "https://old.example/v1/webhooks/stripe";
  fake.Post("/v1/webhook_endpoints", {{"url", old_url}, {"enabled_events[]", "*"}});
  const std::vector<std::string> old{"stripe", "setup", "--webhook-url", old_url};
  const Outcome refused = RunCodezero(old, env);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("cannot change an endpoint's version"), std::string::npos);
  std::vector<std::string> replace = old;
  replace.emplace_back("--replace-endpoint");
  const Outcome replaced = RunCodezero(replace, env);
  EXPECT_EQ(replaced.exit_code, 0) << replaced.output;
  EXPECT_NE(replaced.output.find("delete the old endpoint"), std::string::npos);
  EXPECT_EQ(RunCodezero(old, env).exit_code, 0);  // the new one is found now
  EXPECT_EQ(RunCodezero({"stripe", "setup", "--webhook-url", url, "--seller-vat-id", "DE123"}, env)
                .exit_code,
            2);
}

// A port another process holds is a clear error and exit status 1, not a crash (boost's
// system_error is no std::system_error): the worker's and the API's own port and their metrics
// port alike.
TEST(Cli, APortInUseIsAClearErrorAndExitStatusOne) {
  testing::TestDatabase database;
  boost::asio::io_context context;
  boost::asio::ip::tcp::acceptor taken(context, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::string port = std::to_string(taken.local_endpoint().port());
  const std::vector<std::string> common{
      "DATABASE_URL=" + database.url(), "REDIS_URL=" + testing::TestRedisUrl(),
      "QUOTE_SIGNING_SECRET=test-secret-test-secret-test-secret-1234"};
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
      {"worker", {"WORKER_HOST=127.0.0.1", "WORKER_PORT=" + port, "WORKER_METRICS_PORT=0"}},
      {"worker", {"WORKER_PORT=0", "WORKER_METRICS_HOST=127.0.0.1", "WORKER_METRICS_PORT=" + port}},
      {"api", {"API_HOST=127.0.0.1", "API_PORT=" + port, "API_METRICS_PORT=0"}},
      {"api", {"API_PORT=0", "API_METRICS_HOST=127.0.0.1", "API_METRICS_PORT=" + port}},
  };
  for (const auto& [command, settings] : cases) {
    std::vector<std::string> environment = common;
    environment.insert(environment.end(), settings.begin(), settings.end());
    const Outcome outcome = RunCodezero({command}, environment);
    EXPECT_EQ(outcome.exit_code, 1) << command << " " << settings[1] << "\n" << outcome.output;
    EXPECT_NE(outcome.output.find("cannot listen"), std::string::npos) << outcome.output;
  }
}

TEST(Cli, ApiExitsZeroOnSigterm) {
  testing::TestDatabase database;
  const std::uint16_t port = testing::FreePort();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    const std::string database_url = "DATABASE_URL=" + database.url();
    const std::string redis_url = "REDIS_URL=" + testing::TestRedisUrl();
    const std::string api_port = "API_PORT=" + std::to_string(port);
    char* const argv[] = {const_cast<char*>(CODEZERO_BINARY), const_cast<char*>("api"), nullptr};
    char* const envp[] = {
        const_cast<char*>(database_url.c_str()),
        const_cast<char*>(redis_url.c_str()),
        const_cast<char*>(api_port.c_str()),
        const_cast<char*>("API_METRICS_PORT=0"),
        const_cast<char*>("API_THREADS=2"),
        const_cast<char*>("QUOTE_SIGNING_SECRET=test-secret-test-secret-test-secret-1234"),
        nullptr};
    ::execve(CODEZERO_BINARY, argv, envp);
    ::_exit(127);
  }
  EXPECT_TRUE(testing::Eventually([&] {
    try {
      return testing::Get(port, "/readyz").result() == http::Status::ok;
    } catch (const std::exception&) {
      return false;  // not listening yet
    }
  }));
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(testing::ConnectionRefused(port));
}

}  // namespace
}  // namespace codezero
