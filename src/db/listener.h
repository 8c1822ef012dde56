// Waits for PostgreSQL notifications (LISTEN/NOTIFY) on a dedicated connection, which the
// worker uses to wake up as soon as a job is enqueued. When the connection drops, the next
// Wait() reconnects and listens again, and reports `resumed` so the caller knows it may have
// missed notifications in between and should look for work itself.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "db/connection.h"

namespace codezero::db {

struct Wakeup {
  std::vector<Notification> notifications;  // empty when the wait timed out
  bool resumed = false;                     // the connection was (re)established first
};

class NotificationListener {
 public:
  // REQUIRES: each channel is a lowercase identifier ([a-z0-9_.]+).
  NotificationListener(boost::asio::any_io_executor executor, ConnectOptions options,
                       std::vector<std::string> channels);
  ~NotificationListener();

  // Waits up to `timeout`. An error means the database cannot be reached right now (the wait
  // still took about `timeout`, so a caller's loop does not spin).
  [[nodiscard]] boost::asio::awaitable<Result<Wakeup>> Wait(std::chrono::milliseconds timeout);
  // Ends a Wait() in progress at once (it fails); for a quick shutdown. Call on the executor.
  void Cancel();

 private:
  boost::asio::awaitable<Result<void>> Connect();

  boost::asio::any_io_executor executor_;
  ConnectOptions options_;
  std::vector<std::string> channels_;
  std::unique_ptr<Connection> connection_;
};

// Sends a notification in the same transaction (or autocommit statement) as `connection`'s
// current work: it is delivered if and only if that commits.
[[nodiscard]] boost::asio::awaitable<Result<void>> Notify(Connection& connection,
                                                          std::string channel, std::string payload);

}  // namespace codezero::db
