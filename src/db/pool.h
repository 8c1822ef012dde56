// A bounded pool of connections for one event loop. Acquire() hands out an idle connection,
// opens a new one while fewer than `size` exist, or waits in line until one is returned or
// the acquire timeout passes (then: kUnavailable, which the API answers 503). A connection
// comes back to the pool when its PooledConnection is destroyed; a broken one, or one left
// inside a transaction, is closed instead. Not thread-safe: use it on its own loop only.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "db/connection.h"
#include "metrics/registry.h"

namespace codezero::db {

struct PoolOptions {
  ConnectOptions connect;
  std::size_t size = 8;
  std::chrono::milliseconds acquire_timeout{2'000};
  // The `pool` label of its metrics (codezero_db_pool_*, docs/metrics.md); the pools of one
  // process's loops share it, so their series add up.
  std::string metrics_name = "main";
};

class Pool;
struct PoolState;  // the pool's shared state (pool.cpp)

class PooledConnection {
 public:
  PooledConnection(PooledConnection&&) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) noexcept;
  ~PooledConnection();

  Connection* operator->() const { return connection_.get(); }
  Connection& operator*() const { return *connection_; }

 private:
  friend class Pool;
  PooledConnection(std::weak_ptr<PoolState> pool, std::unique_ptr<Connection> connection);
  void Release();

  std::weak_ptr<PoolState> pool_;
  std::unique_ptr<Connection> connection_;
  metrics::Gauge* in_use_ = nullptr;  // the registry outlives the pool
};

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct TransactionOptions {
  Isolation isolation = Isolation::kReadCommitted;
  bool read_only = false;
  int max_attempts = 5;  // serialization failures and deadlocks are retried up to this
};

// A connection inside BEGIN ... COMMIT; the body of Pool::Transact runs its statements on it.
class Transaction {
 public:
  explicit Transaction(Connection& connection, int attempt)
      : connection_(connection), attempt_(attempt) {}
  template <class... Args>
  [[nodiscard]] boost::asio::awaitable<Result<Rows>> Execute(const Statement& statement,
                                                             Args&&... args) {
    return connection_.ExecuteParams(statement, MakeParams(std::forward<Args>(args)...));
  }
  // For SQL without parameters only (the caller's own constants).
  [[nodiscard]] boost::asio::awaitable<Result<Rows>> ExecuteScript(std::string sql) {
    return connection_.ExecuteScript(std::move(sql));
  }
  [[nodiscard]] int attempt() const { return attempt_; }
  [[nodiscard]] Connection& connection() { return connection_; }
  // The W3C traceparent of the work this transaction does (common/trace_context.h): jobs
  // enqueued in it carry it (queue::Enqueue). Empty: none.
  void set_trace_context(std::string traceparent) { trace_context_ = std::move(traceparent); }
  [[nodiscard]] const std::string& trace_context() const { return trace_context_; }

 private:
  Connection& connection_;
  int attempt_;
  std::string trace_context_;
};

class Pool {
 public:
  Pool(boost::asio::any_io_executor executor, PoolOptions options);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool();

  // `timeout` overrides the pool's acquire timeout (readiness checks use a shorter one).
  [[nodiscard]] boost::asio::awaitable<Result<PooledConnection>> Acquire(
      std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // Acquires, runs one statement, releases.
  template <class... Args>
  [[nodiscard]] boost::asio::awaitable<Result<Rows>> Execute(const Statement& statement,
                                                             Args&&... args) {
    return ExecuteParams(statement, MakeParams(std::forward<Args>(args)...));
  }
  [[nodiscard]] boost::asio::awaitable<Result<Rows>> ExecuteParams(const Statement& statement,
                                                                   std::vector<Param> params);

  // Runs `body(Transaction&) -> awaitable<Result<T>>` inside a transaction and commits when it
  // succeeds, rolls back when it fails. When the body or the commit fails with a
  // serialization failure or a deadlock, the whole transaction runs again (with a short
  // random pause), up to options.max_attempts times: so `body` must be safe to call again,
  // with no effects outside the database.
  template <class Body>
  [[nodiscard]] auto Transact(Body body, TransactionOptions options = {})
      -> std::invoke_result_t<Body&, Transaction&>;

  // Closes idle connections and fails waiters; connections in use close when released.
  void Close();

  struct Stats {
    std::size_t open = 0;  // connected or connecting
    std::size_t idle = 0;
    std::size_t waiting = 0;
  };
  [[nodiscard]] Stats stats() const;

 private:
  using State = PoolState;
  [[nodiscard]] boost::asio::awaitable<Result<void>> Begin(Connection& connection,
                                                           const TransactionOptions& options);
  [[nodiscard]] boost::asio::awaitable<Result<void>> Commit(Connection& connection);
  [[nodiscard]] boost::asio::awaitable<void> Rollback(Connection& connection);
  [[nodiscard]] boost::asio::awaitable<void> PauseBeforeRetry(int attempt);

  std::shared_ptr<State> state_;
};

template <class Body>
auto Pool::Transact(Body body, TransactionOptions options)
    -> std::invoke_result_t<Body&, Transaction&> {
  using ResultType = typename std::invoke_result_t<Body&, Transaction&>::value_type;
  for (int attempt = 1;; ++attempt) {
    auto connection = co_await Acquire();
    if (!connection) co_return tl::unexpected(connection.error());
    if (auto begun = co_await Begin(**connection, options); !begun) {
      co_return tl::unexpected(begun.error());
    }
    Transaction transaction(**connection, attempt);
    ResultType result = co_await body(transaction);
    std::optional<Error> failure;
    if (result) {
      auto committed = co_await Commit(**connection);
      if (committed) co_return result;
      failure = committed.error();
    } else {
      failure = result.error();
      co_await Rollback(**connection);
    }
    if (!IsRetryable(*failure) || attempt >= options.max_attempts) {
      co_return tl::unexpected(std::move(*failure));
    }
    co_await PauseBeforeRetry(attempt);
  }
}

}  // namespace codezero::db
