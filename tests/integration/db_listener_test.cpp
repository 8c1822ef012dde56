// LISTEN/NOTIFY: the worker's wake-up call.
#include "db/listener.h"

#include <gtest/gtest.h>

#include "db/pool.h"
#include "support/environment.h"
#include "support/eventually.h"
#include "support/run_async.h"

namespace codezero::db {
namespace {

namespace asio = boost::asio;
using testing::RunAsync;
using testing::TestDatabase;

ConnectOptions ConnectTo(const std::string& url) {
  ConnectOptions options;
  options.url = url;
  options.application_name = "codezero-listener-test";
  return options;
}

// Waits until the listener reports a notification (10 s at most).
Wakeup WaitForNotification(asio::io_context& context, NotificationListener& listener) {
  Wakeup received;
  testing::Eventually(
      [&] {
        auto wakeup = RunAsync(context, listener.Wait(std::chrono::milliseconds(100)));
        if (!wakeup || wakeup->notifications.empty()) return false;
        received = *wakeup;
        return true;
      },
      std::chrono::seconds(10), std::chrono::milliseconds(0));
  return received;
}

TEST(DbListener, DeliversANotificationSentByAnotherConnection) {
  TestDatabase database;
  asio::io_context context;
  NotificationListener listener(context.get_executor(), ConnectTo(database.url()), {"jobs"});
  auto first = RunAsync(context, listener.Wait(std::chrono::milliseconds(10)));
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->resumed);  // first connect: the caller should look for work itself

  Pool pool(context.get_executor(), PoolOptions{.connect = ConnectTo(database.url()), .size = 1});
  auto sent = RunAsync(context, [&]() -> asio::awaitable<Result<void>> {
    auto connection = co_await pool.Acquire();
    if (!connection) co_return tl::unexpected(connection.error());
    co_return co_await Notify(**connection, "jobs", "job 42");
  }());
  ASSERT_TRUE(sent);

  const Wakeup wakeup = WaitForNotification(context, listener);
  ASSERT_EQ(wakeup.notifications.size(), 1u);
  EXPECT_EQ(wakeup.notifications[0].channel, "jobs");
  EXPECT_EQ(wakeup.notifications[0].payload, "job 42");
}

TEST(DbListener, ANotificationInARolledBackTransactionIsNeverDelivered) {
  TestDatabase database;
  asio::io_context context;
  NotificationListener listener(context.get_executor(), ConnectTo(database.url()), {"jobs"});
  ASSERT_TRUE(RunAsync(context, listener.Wait(std::chrono::milliseconds(10))));
  Pool pool(context.get_executor(), PoolOptions{.connect = ConnectTo(database.url()), .size = 1});
  auto rolled_back =
      RunAsync(context, pool.Transact([](Transaction& tx) -> asio::awaitable<Result<int>> {
        (void)co_await Notify(tx.connection(), "jobs", "never");
        co_return Fail(ErrorCode::kConflict, "abort");
      }));
  ASSERT_FALSE(rolled_back);
  auto committed =
      RunAsync(context, pool.Transact([](Transaction& tx) -> asio::awaitable<Result<int>> {
        auto sent = co_await Notify(tx.connection(), "jobs", "committed");
        if (!sent) co_return tl::unexpected(sent.error());
        co_return 1;
      }));
  ASSERT_TRUE(committed);
  const Wakeup wakeup = WaitForNotification(context, listener);
  ASSERT_EQ(wakeup.notifications.size(), 1u);
  EXPECT_EQ(wakeup.notifications[0].payload, "committed");
}

TEST(DbListener, ListensAgainAfterItsConnectionIsKilled) {
  TestDatabase database;
  asio::io_context context;
  NotificationListener listener(context.get_executor(), ConnectTo(database.url()), {"jobs"});
  ASSERT_TRUE(RunAsync(context, listener.Wait(std::chrono::milliseconds(10))));
  // Only this test's own database: the other listener tests run at the same time on the same
  // server, and killing their connections made them miss a notification.
  database.Execute(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE application_name = 'codezero-listener-test' AND datname = current_database()");
  ASSERT_TRUE(testing::Eventually(
      [&] {
        auto wakeup = RunAsync(context, listener.Wait(std::chrono::milliseconds(100)));
        return wakeup && wakeup->resumed;
      },
      std::chrono::seconds(10), std::chrono::milliseconds(0)));
  database.Execute("NOTIFY jobs, 'after restart'");
  const Wakeup wakeup = WaitForNotification(context, listener);
  ASSERT_EQ(wakeup.notifications.size(), 1u);
  EXPECT_EQ(wakeup.notifications[0].payload, "after restart");
}

}  // namespace
}  // namespace codezero::db
