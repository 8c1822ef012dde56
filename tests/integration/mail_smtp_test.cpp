// E-mail over SMTP (libcurl) against a scripted SMTP server on loopback, through the
// `email.send` job: a message is delivered as a valid RFC 5322 message; a temporary refusal
// (451) retries and then delivers once; a permanent one (550) discards the job and records the
// reason on the outbox row; a server that is not there is a temporary failure.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "mail/outbox.h"
#include "support/api_server.h"
#include "support/environment.h"
#include "support/eventually.h"
#include "support/fake_smtp_server.h"
#include "support/run_in_transaction.h"
#include "support/worker_harness.h"

namespace codezero::mail {
namespace {

namespace asio = boost::asio;

class MailSmtp : public ::testing::Test {
 protected:
  MailSmtp() { testing::ApplyMigrations(database); }

  // Queues a verification e-mail to `to` as the API does; returns the outbox id.
  std::string Queue(const std::string& to) {
    auto id = testing::RunInTransaction<std::optional<std::int64_t>>(
        database.url(),
        [&](db::Transaction& tx) -> asio::awaitable<Result<std::optional<std::int64_t>>> {
          co_return co_await EnqueueEmail(
              tx, to, "verify_email", "de",
              R"({"name":"Jürgen","link":"https://codezero.ai/verify?token=abc"})", "",
              "verify:" + to);
        });
    EXPECT_TRUE(id && *id);
    return id && *id ? std::to_string(**id) : "";
  }

  testing::WorkerHarnessOptions Options(const std::string& smtp_url) {
    auto options = testing::TestWorkerOptions(database.url(), testing::TestRedisUrl(), "");
    options.smtp_url = smtp_url;
    return options;
  }

  bool WaitFor(const std::string& sql, const std::string& expected) {
    return testing::Eventually([&] { return database.QueryValue(sql) == expected; });
  }

  testing::TestDatabase database;
};

TEST_F(MailSmtp, ATemporaryRefusalRetriesAndThenDeliversOnce) {
  std::atomic<int> refusals{0};
  testing::FakeSmtpServer server([&](const std::string&) {
    return refusals.fetch_add(1) == 0 ? std::string("451 4.3.0 greylisted, try again later")
                                      : std::string("250 2.1.5 OK");
  });
  const std::string id = Queue("jurgen@example.com");
  testing::WorkerHarness worker(Options(server.url()));
  ASSERT_TRUE(WaitFor("SELECT sent_at IS NOT NULL FROM email_outbox WHERE id = " + id, "t"));
  ASSERT_TRUE(WaitFor("SELECT state FROM jobs WHERE kind = 'email.send'", "completed"));
  worker.Shutdown();

  EXPECT_EQ(database.QueryValue("SELECT attempt FROM jobs WHERE kind = 'email.send'"), "2");
  const std::string first_error =
      database.QueryValue("SELECT errors->0->>'error' FROM jobs WHERE kind = 'email.send'");
  EXPECT_NE(first_error.find("451"), std::string::npos) << first_error;
  const std::vector<std::string> messages = server.messages();
  ASSERT_EQ(messages.size(), 1u);
  const std::string& message = messages[0];
  EXPECT_NE(message.find("To: jurgen@example.com"), std::string::npos) << message;
  EXPECT_NE(message.find("Message-ID: <"), std::string::npos);
  EXPECT_NE(message.find("Content-Type: multipart/alternative"), std::string::npos);
  EXPECT_NE(message.find("=?UTF-8?"), std::string::npos);  // the German subject, encoded
  // The Message-ID of the delivered message is the one on record.
  const std::string message_id =
      database.QueryValue("SELECT message_id FROM email_outbox WHERE id = " + id);
  EXPECT_NE(message.find(message_id), std::string::npos);
  // The link with its token is gone from the row once sent.
  EXPECT_EQ(database.QueryValue("SELECT payload->>'link' FROM email_outbox WHERE id = " + id),
            "[sent]");
}

TEST_F(MailSmtp, APermanentRefusalDiscardsWithTheReason) {
  testing::FakeSmtpServer server([](const std::string& recipient) {
    return recipient == "nobody@example.com" ? std::string("550 5.1.1 no such mailbox")
                                             : std::string("250 2.1.5 OK");
  });
  const std::string missing = Queue("nobody@example.com");
  const std::string present = Queue("somebody@example.com");
  testing::WorkerHarness worker(Options(server.url()));
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM jobs WHERE state IN ('completed', 'discarded')", "2"));
  worker.Shutdown();

  EXPECT_EQ(database.QueryValue("SELECT state || ' ' || attempt FROM jobs WHERE args->>'outbox_id' "
                                "= '" +
                                missing + "'"),
            "discarded 1");
  const std::string failure =
      database.QueryValue("SELECT failure FROM email_outbox WHERE id = " + missing);
  EXPECT_NE(failure.find("550"), std::string::npos) << failure;
  EXPECT_EQ(database.QueryValue("SELECT sent_at IS NULL AND failed_at IS NOT NULL FROM "
                                "email_outbox WHERE id = " +
                                missing),
            "t");
  EXPECT_EQ(
      database.QueryValue("SELECT sent_at IS NOT NULL FROM email_outbox WHERE id = " + present),
      "t");
  EXPECT_EQ(server.messages().size(), 1u);
}

TEST_F(MailSmtp, AServerThatIsNotThereIsATemporaryFailure) {
  std::string url;
  {
    testing::FakeSmtpServer gone;  // a port that was just free and is closed again
    url = gone.url();
  }
  const std::string id = Queue("later@example.com");
  testing::WorkerHarness worker(Options(url));
  ASSERT_TRUE(
      WaitFor("SELECT jsonb_array_length(errors) >= 2 FROM jobs WHERE kind = 'email.send'", "t"));
  worker.Shutdown();
  EXPECT_EQ(database.QueryValue("SELECT state IN ('retryable', 'available') FROM jobs WHERE "
                                "kind = 'email.send'"),
            "t");
  EXPECT_EQ(database.QueryValue("SELECT sent_at IS NULL AND failed_at IS NULL AND sending_by IS "
                                "NULL FROM email_outbox WHERE id = " +
                                id),
            "t");
}

}  // namespace
}  // namespace codezero::mail
