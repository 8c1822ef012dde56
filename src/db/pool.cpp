#include "db/pool.h"

#include <algorithm>
#include <deque>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "common/no_throw.h"
#include "common/random.h"

namespace codezero::db {
namespace {

namespace asio = boost::asio;

}  // namespace

// The pool's series of codezero_db_pool_* (docs/metrics.md), shared by the pools of one name.
struct PoolMetrics {
  explicit PoolMetrics(const std::string& name) {
    metrics::Registry& registry = metrics::Default();
    size = &registry.AddGauge("codezero_db_pool_size", "Connections the pool may hold.", {"pool"})
                .With({name});
    in_use = &registry.AddGauge("codezero_db_pool_in_use", "Connections lent out now.", {"pool"})
                  .With({name});
    waiting =
        &registry
             .AddGauge("codezero_db_pool_waiting", "Callers waiting for a connection.", {"pool"})
             .With({name});
    acquire = &registry
                   .AddHistogram("codezero_db_pool_acquire_seconds",
                                 "Time to get a connection from the pool.", {"pool"})
                   .With({name});
    timeouts = &registry
                    .AddCounter("codezero_db_pool_acquire_timeouts_total",
                                "Callers that got no connection in time.", {"pool"})
                    .With({name});
  }
  metrics::Gauge* size;
  metrics::Gauge* in_use;
  metrics::Gauge* waiting;
  metrics::Histogram* acquire;
  metrics::Counter* timeouts;
};

// A caller waiting in line. It lives in the waiting coroutine's frame.
struct PoolWaiter {
  explicit PoolWaiter(asio::any_io_executor executor) : timer(executor) {}
  asio::steady_timer timer;
  std::unique_ptr<Connection> handed;  // a connection given to this waiter
  bool may_open = false;               // a slot freed up: this waiter may open a connection
};

struct PoolState {
  asio::any_io_executor executor;
  PoolOptions options;
  std::optional<PoolMetrics> metrics;
  std::deque<std::unique_ptr<Connection>> idle;
  std::list<PoolWaiter*> waiters;
  std::size_t open = 0;
  bool closed = false;

  void ReleaseSlot() {
    if (closed) return;  // Close() already reset the count
    --open;
    WakeOneToOpen();
  }

  void WakeOneToOpen() {
    if (waiters.empty()) return;
    PoolWaiter* waiter = waiters.front();
    waiters.pop_front();
    waiter->may_open = true;
    waiter->timer.cancel();
  }

  void Return(std::unique_ptr<Connection> connection) {
    if (closed) return;  // Close() already forgot every connection
    if (!connection->IsUsable() || connection->InTransaction()) {
      if (connection->IsUsable()) {
        log::Warn("connection returned inside a transaction; closing it");
      }
      connection.reset();
      ReleaseSlot();
      return;
    }
    if (!waiters.empty()) {
      PoolWaiter* waiter = waiters.front();
      waiters.pop_front();
      waiter->handed = std::move(connection);
      waiter->timer.cancel();
      return;
    }
    idle.push_back(std::move(connection));
  }
};

namespace {

// Keeps a waiter in line only while its coroutine waits: when the coroutine is cancelled (an
// exception at its next co_await), the waiter leaves the line and a connection already handed
// to it goes back to the pool.
class WaiterRegistration {
 public:
  WaiterRegistration(PoolState& state, PoolWaiter& waiter) : state_(state), waiter_(waiter) {
    state_.waiters.push_back(&waiter_);
    state_.metrics->waiting->Add(1);
  }
  ~WaiterRegistration() {
    state_.metrics->waiting->Add(-1);
    state_.waiters.remove(&waiter_);
    if (waiter_.handed) state_.Return(std::move(waiter_.handed));
    // A freed slot this waiter was told about passes on (at worst a waiter wakes for nothing).
    if (waiter_.may_open) state_.WakeOneToOpen();
  }
  WaiterRegistration(const WaiterRegistration&) = delete;
  WaiterRegistration& operator=(const WaiterRegistration&) = delete;

 private:
  PoolState& state_;
  PoolWaiter& waiter_;
};

// A slot of the pool's size, taken before connecting; given back unless kept.
class OpenSlot {
 public:
  explicit OpenSlot(PoolState& state) : state_(state) { ++state_.open; }
  ~OpenSlot() {
    if (!kept_) state_.ReleaseSlot();
  }
  OpenSlot(const OpenSlot&) = delete;
  OpenSlot& operator=(const OpenSlot&) = delete;
  void Keep() { kept_ = true; }

 private:
  PoolState& state_;
  bool kept_ = false;
};

}  // namespace

PooledConnection::PooledConnection(std::weak_ptr<PoolState> pool,
                                   std::unique_ptr<Connection> connection)
    : pool_(std::move(pool)), connection_(std::move(connection)) {
  if (auto state = pool_.lock()) {
    in_use_ = state->metrics->in_use;
    in_use_->Add(1);
  }
}

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
    in_use_ = other.in_use_;
  }
  return *this;
}

PooledConnection::~PooledConnection() { Release(); }

void PooledConnection::Release() {
  if (!connection_) return;
  if (in_use_ != nullptr) in_use_->Add(-1);
  if (auto pool = pool_.lock()) {
    pool->Return(std::move(connection_));
  }
  connection_.reset();
}

Pool::Pool(asio::any_io_executor executor, PoolOptions options)
    : state_(std::make_shared<State>()) {
  state_->executor = std::move(executor);
  state_->options = std::move(options);
  if (state_->options.size == 0) state_->options.size = 1;
  state_->metrics.emplace(state_->options.metrics_name);
  state_->metrics->size->Add(static_cast<double>(state_->options.size));
}

Pool::~Pool() {
  state_->metrics->size->Add(-static_cast<double>(state_->options.size));
  Close();
}

void Pool::Close() {
  state_->closed = true;
  state_->idle.clear();
  state_->open = 0;
  for (PoolWaiter* waiter : state_->waiters) waiter->timer.cancel();
  state_->waiters.clear();
}

Pool::Stats Pool::stats() const {
  return {state_->open, state_->idle.size(), state_->waiters.size()};
}

asio::awaitable<Result<PooledConnection>> Pool::Acquire(
    std::optional<std::chrono::milliseconds> timeout) {
  std::shared_ptr<State> state = state_;
  const auto limit = timeout.value_or(state->options.acquire_timeout);
  const auto started = Clock::now();
  const auto deadline = started + limit;
  // Observed however the wait ends, success or not.
  struct AcquireTimer {
    metrics::Histogram& histogram;
    Clock::time_point started;
    ~AcquireTimer() {
      histogram.Observe(std::chrono::duration<double>(Clock::now() - started).count());
    }
  } acquire_timer{*state->metrics->acquire, started};
  for (;;) {
    if (state->closed)
      co_return Fail(ErrorCode::kUnavailable, "database unavailable", "pool closed");

    while (!state->idle.empty()) {
      std::unique_ptr<Connection> connection = std::move(state->idle.back());
      state->idle.pop_back();
      // A connection the server closed while it was idle (a restart) is dropped here rather
      // than failing the caller's first statement.
      if (connection->StillConnected()) co_return PooledConnection(state, std::move(connection));
      if (state->open > 0) --state->open;
    }

    if (state->open < state->options.size) {
      OpenSlot slot(*state);
      ConnectOptions connect = state->options.connect;
      connect.connect_timeout =
          std::min(connect.connect_timeout,
                   std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
      auto opened = co_await Connection::Open(state->executor, std::move(connect));
      if (!opened) {
        log::Warn("database connection failed", {{"reason", opened.error().reason}});
        co_return tl::unexpected(opened.error());
      }
      if (state->closed)
        co_return Fail(ErrorCode::kUnavailable, "database unavailable", "pool closed");
      slot.Keep();
      co_return PooledConnection(state, std::move(*opened));
    }

    if (Clock::now() >= deadline) break;
    PoolWaiter waiter(state->executor);
    waiter.timer.expires_at(deadline);
    {
      WaiterRegistration registration(*state, waiter);
      co_await waiter.timer.async_wait(kNoThrow);
      if (waiter.handed) co_return PooledConnection(state, std::move(waiter.handed));
    }
    if (!waiter.may_open && Clock::now() >= deadline) break;
  }
  state->metrics->timeouts->Inc();
  co_return Fail(ErrorCode::kUnavailable, "database unavailable",
                 "no pooled connection within " + std::to_string(limit.count()) + " ms");
}

asio::awaitable<Result<Rows>> Pool::ExecuteParams(const Statement& statement,
                                                  std::vector<Param> params) {
  auto connection = co_await Acquire();
  if (!connection) co_return tl::unexpected(connection.error());
  co_return co_await (*connection)->ExecuteParams(statement, std::move(params));
}

asio::awaitable<Result<void>> Pool::Begin(Connection& connection,
                                          const TransactionOptions& options) {
  std::string sql = "BEGIN ISOLATION LEVEL ";
  switch (options.isolation) {
    case Isolation::kReadCommitted:
      sql += "READ COMMITTED";
      break;
    case Isolation::kRepeatableRead:
      sql += "REPEATABLE READ";
      break;
    case Isolation::kSerializable:
      sql += "SERIALIZABLE";
      break;
  }
  if (options.read_only) sql += " READ ONLY";
  auto begun = co_await connection.ExecuteScript(sql);
  if (!begun) co_return tl::unexpected(begun.error());
  co_return Result<void>{};
}

asio::awaitable<Result<void>> Pool::Commit(Connection& connection) {
  auto committed = co_await connection.ExecuteScript("COMMIT");
  if (!committed) co_return tl::unexpected(committed.error());
  // COMMIT of a transaction that already failed answers ROLLBACK instead of an error.
  if (committed->command() == "ROLLBACK") {
    co_return Fail(ErrorCode::kInternal, "database error",
                   "the transaction had failed and was rolled back at COMMIT");
  }
  co_return Result<void>{};
}

asio::awaitable<void> Pool::Rollback(Connection& connection) {
  if (!connection.IsUsable()) co_return;
  auto rolled_back = co_await connection.ExecuteScript("ROLLBACK");
  if (!rolled_back) log::Warn("rollback failed", {{"reason", rolled_back.error().reason}});
}

asio::awaitable<void> Pool::PauseBeforeRetry(int attempt) {
  // A few milliseconds, growing with the attempt, randomised so that the transactions that
  // collided do not collide again.
  const double upper_ms = 2.0 * attempt * attempt;
  asio::steady_timer timer(state_->executor);
  timer.expires_after(std::chrono::microseconds(
      static_cast<std::int64_t>((0.5 + FastRandomUnit()) * upper_ms * 1000.0)));
  co_await timer.async_wait(kNoThrow);
}

}  // namespace codezero::db
