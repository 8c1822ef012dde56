// One PostgreSQL connection driven without blocking: libpq in non-blocking mode, its socket
// watched by the event loop, so a thread never waits on the database. Every operation has a
// deadline; a connection whose operation timed out is left in an unknown state and marked
// unusable (the pool closes it). Server-side, each session gets a statement_timeout and an
// idle_in_transaction_session_timeout, so a runaway query or a forgotten transaction cannot
// hold locks for long.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "common/error.h"
#include "db/rows.h"
#include "db/statement.h"

extern "C" {
struct pg_conn;
}

namespace codezero::db {

struct ConnectOptions {
  std::string url;  // a libpq URI (postgresql://...) or key=value string; holds the password
  std::string application_name = "codezero";
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds statement_timeout{5'000};
  std::chrono::milliseconds idle_in_transaction_timeout{60'000};
  // `url` leads to a pooler in transaction mode (PgBouncer's pool_mode=transaction, before
  // 1.21's prepared statement support): each statement goes as an unnamed one, since a named
  // statement prepared on one server connection is unknown on the next, and no session
  // settings go in the start-up packet (PgBouncer refuses `options`): the timeouts then come
  // from the role (ALTER ROLE ... SET statement_timeout), see deploy/pgbouncer/.
  bool transaction_pooler = false;
  // PostgreSQL itself, bypassing the pooler, for what needs a session of its own: LISTEN and
  // the migrations' advisory lock. Empty: `url`.
  std::string direct_url;
};

// `options` for a session of its own on PostgreSQL itself (`direct_url` when set).
[[nodiscard]] ConnectOptions DirectConnectOptions(ConnectOptions options);

struct Notification {
  std::string channel;
  std::string payload;
};

using Clock = std::chrono::steady_clock;

class Connection {
 public:
  // Connects within options.connect_timeout.
  [[nodiscard]] static boost::asio::awaitable<Result<std::unique_ptr<Connection>>> Open(
      boost::asio::any_io_executor executor, ConnectOptions options);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs a prepared statement (prepared on first use on this connection):
  //   co_await connection.Execute(kFindOrder, order_id, company_id);
  template <class... Args>
  [[nodiscard]] boost::asio::awaitable<Result<Rows>> Execute(const Statement& statement,
                                                             Args&&... args) {
    return ExecuteParams(statement, MakeParams(std::forward<Args>(args)...));
  }
  [[nodiscard]] boost::asio::awaitable<Result<Rows>> ExecuteParams(const Statement& statement,
                                                                   std::vector<Param> params);
  // Runs SQL text that may hold several statements and no parameters (migrations, BEGIN).
  [[nodiscard]] boost::asio::awaitable<Result<Rows>> ExecuteScript(std::string sql);

  // Waits until the server sends something (a notification) or `timeout` passes; then the
  // received notifications are in TakeNotifications(). An error means the connection broke.
  [[nodiscard]] boost::asio::awaitable<Result<void>> WaitForInput(
      std::chrono::milliseconds timeout);
  [[nodiscard]] std::vector<Notification> TakeNotifications();
  // Ends a WaitForInput() in progress (it fails as if the connection broke).
  void CancelWait();

  // False once the connection broke or an operation on it timed out.
  [[nodiscard]] bool IsUsable() const;
  // For a connection that sat idle (and LISTENs for nothing): looks, without waiting, whether
  // the server sent anything meanwhile. False (and the connection broken) when it did: the
  // server is ending the session, as a restart, an administrator's pg_terminate_backend or an
  // idle timeout does.
  [[nodiscard]] bool StillConnected();
  // True inside a transaction block (also a failed one).
  [[nodiscard]] bool InTransaction() const;

  // Where it is connected: "host:port/db", no credentials.
  [[nodiscard]] std::string Describe() const;
  // libpq's last error message, with the password cut out.
  [[nodiscard]] std::string Message() const;

 private:
  Connection(boost::asio::any_io_executor executor, pg_conn* connection,
             std::chrono::milliseconds operation_timeout);

  // Sends what libpq has buffered, then reads until the command's results are complete.
  boost::asio::awaitable<Result<Rows>> Finish(Clock::time_point deadline);
  // Waits for the socket to become readable (or writable) before `deadline`.
  boost::asio::awaitable<Result<void>> Wait(bool writable, Clock::time_point deadline);
  Result<void> AdoptSocket();

  boost::asio::any_io_executor executor_;
  pg_conn* connection_;
  std::unique_ptr<boost::asio::posix::stream_descriptor> socket_;
  int socket_fd_ = -1;  // libpq's descriptor, which socket_ holds a dup of
  std::chrono::milliseconds operation_timeout_;
  bool transaction_pooler_ = false;                        // ConnectOptions::transaction_pooler
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> prepared name
  std::string password_;                                   // only to cut it out of libpq's messages
  std::vector<Notification> pending_;                      // taken off libpq before a wait
  bool broken_ = false;
};

// The error of a failed command, with its SQLSTATE in `reason` ("40001: could not ...").
// Server-side failures keep a generic message: a database message may name tables or values.
[[nodiscard]] Error DatabaseError(std::string_view sqlstate, std::string_view message);

// Whether libpq can parse `url` (checked at start; libpq's own message may quote the
// password, so callers report the problem in their own words).
[[nodiscard]] bool IsValidConnectionString(const std::string& url);

// The SQLSTATE of a database error, or empty.
[[nodiscard]] std::string_view SqlStateOf(const Error& error);

// Serialization failure (40001) and deadlock (40P01): worth running the transaction again.
[[nodiscard]] bool IsRetryable(const Error& error);

}  // namespace codezero::db
