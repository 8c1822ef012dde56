#include "db/connection.h"

#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "common/no_throw.h"
#include "tracing/traced_executor.h"

namespace codezero::db {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

// The margin a client deadline leaves over the server's statement_timeout, so that normally
// the server cancels first and reports 57014 cleanly.
constexpr std::chrono::milliseconds kClientMargin{1'000};

void ForwardNotice(void*, const PGresult* result) {
  const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
  log::Debug("postgres notice",
             {{"severity", severity ? severity : ""}, {"message", message ? message : ""}});
}

// libpq's messages can quote parts of the connection string, the password included (a
// malformed percent escape, a password with '@' read as a host name). Every message passes
// through here, which cuts the password out before it can reach a log or an error.
std::string Scrub(std::string message, const std::string& password) {
  if (password.size() >= 3) {
    for (std::size_t at = message.find(password); at != std::string::npos;
         at = message.find(password, at)) {
      message.replace(at, password.size(), "[redacted]");
    }
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// The password in a connection string, "" when none (or when it cannot be parsed).
std::string PasswordOf(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  std::string password;
  for (PQconninfoOption* option = options; option != nullptr && option->keyword != nullptr;
       ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr)
      password = option->val;
  }
  if (options != nullptr) PQconninfoFree(options);
  return password;
}

ErrorCode CodeOfSqlState(std::string_view state) {
  if (state == "40001" || state == "40P01") return ErrorCode::kConflict;  // retried by Transact
  // Unique, foreign-key and exclusion violations are conflicts with existing state; other
  // integrity violations (not-null, check) mean the code let invalid data through: a bug.
  if (state == "23505" || state == "23503" || state == "23P01") return ErrorCode::kConflict;
  if (state == "57014") return ErrorCode::kTimeout;  // statement timeout / cancel
  if (state.starts_with("08") || state.starts_with("53") || state.starts_with("57P") ||
      state == "25006") {
    return ErrorCode::kUnavailable;  // connection, resources, shutdown, read-only after failover
  }
  return ErrorCode::kInternal;
}

// The statement's first keyword (SELECT, INSERT, WITH, ...), for its span.
std::string_view OperationOf(std::string_view sql) {
  const std::size_t begin = sql.find_first_not_of(" \t\r\n(");
  if (begin == std::string_view::npos) return {};
  const std::size_t end = sql.find_first_of(" \t\r\n(", begin);
  return sql.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
}

}  // namespace

bool IsValidConnectionString(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (error != nullptr) PQfreemem(error);  // may quote the password: never shown
  if (options == nullptr) return false;
  PQconninfoFree(options);
  return true;
}

std::string Connection::Message() const { return Scrub(PQerrorMessage(connection_), password_); }

Error DatabaseError(std::string_view sqlstate, std::string_view message) {
  return Error{CodeOfSqlState(sqlstate),
               "database error",
               std::string(sqlstate) + ": " + std::string(message),
               {}};
}

std::string_view SqlStateOf(const Error& error) {
  const std::string_view reason = error.reason;
  if (reason.size() >= 7 && reason[5] == ':' && reason[6] == ' ') return reason.substr(0, 5);
  return {};
}

bool IsRetryable(const Error& error) {
  const std::string_view state = SqlStateOf(error);
  return state == "40001" || state == "40P01";
}

ConnectOptions DirectConnectOptions(ConnectOptions options) {
  if (!options.direct_url.empty()) options.url = options.direct_url;
  options.transaction_pooler = false;
  return options;
}

asio::awaitable<Result<std::unique_ptr<Connection>>> Connection::Open(
    asio::any_io_executor executor, ConnectOptions options) {
  const std::string server_options =
      "-c statement_timeout=" + std::to_string(options.statement_timeout.count()) +
      " -c idle_in_transaction_session_timeout=" +
      std::to_string(options.idle_in_transaction_timeout.count());
  // Entries before "dbname" are defaults that the URL may override. Through a transaction
  // pooler the session settings stay out: PgBouncer refuses the `options` parameter.
  const char* keywords[] = {"application_name", "options", "dbname", nullptr};
  const char* values[] = {options.application_name.c_str(), server_options.c_str(),
                          options.url.c_str(), nullptr};
  const char* pooled_keywords[] = {"application_name", "dbname", nullptr};
  const char* pooled_values[] = {options.application_name.c_str(), options.url.c_str(), nullptr};
  pg_conn* raw = options.transaction_pooler
                     ? PQconnectStartParams(pooled_keywords, pooled_values, /*expand_dbname=*/1)
                     : PQconnectStartParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr)
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", "out of memory");
  std::unique_ptr<Connection> connection(
      new Connection(executor, raw, options.statement_timeout + kClientMargin));
  connection->password_ = PasswordOf(options.url);
  connection->transaction_pooler_ = options.transaction_pooler;
  if (PQstatus(raw) == CONNECTION_BAD) {
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", connection->Message());
  }
  PQsetNoticeReceiver(raw, &ForwardNotice, nullptr);

  const auto deadline = Clock::now() + options.connect_timeout;
  PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
  for (;;) {
    // libpq may have closed its socket and opened another under the same number (trying the
    // next address): watch a fresh duplicate at every step of the handshake.
    connection->socket_fd_ = -1;
    if (auto adopted = connection->AdoptSocket(); !adopted)
      co_return tl::unexpected(adopted.error());
    if (poll == PGRES_POLLING_OK) break;
    if (poll == PGRES_POLLING_FAILED) {
      co_return Fail(ErrorCode::kUnavailable, "database unavailable", connection->Message());
    }
    auto waited = co_await connection->Wait(poll == PGRES_POLLING_WRITING, deadline);
    if (!waited) {
      co_return Fail(waited.error().code, "database unavailable",
                     "connect: " + waited.error().reason);
    }
    poll = PQconnectPoll(raw);
  }
  if (PQsetnonblocking(raw, 1) != 0) {
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", connection->Message());
  }
  co_return connection;
}

Connection::Connection(asio::any_io_executor executor, pg_conn* connection,
                       std::chrono::milliseconds operation_timeout)
    : executor_(std::move(executor)),
      connection_(connection),
      operation_timeout_(operation_timeout) {}

Connection::~Connection() {
  if (socket_) {
    boost::system::error_code ignored;
    socket_->close(ignored);  // closes our dup; libpq closes its own descriptor
  }
  PQfinish(connection_);
}

Result<void> Connection::AdoptSocket() {
  const int fd = PQsocket(connection_);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "database unavailable", Message());
  if (fd == socket_fd_ && socket_) return {};
  // libpq may switch sockets while connecting (another address of the host). We watch a
  // duplicate, so that libpq closing its descriptor never leaves the reactor holding a stale
  // (and possibly reused) number.
  if (socket_) {
    boost::system::error_code ignored;
    socket_->close(ignored);
  }
  const int duplicate = ::dup(fd);
  if (duplicate < 0) return Fail(ErrorCode::kUnavailable, "database unavailable", "dup failed");
  socket_ = std::make_unique<asio::posix::stream_descriptor>(executor_, duplicate);
  socket_fd_ = fd;
  return {};
}

asio::awaitable<Result<void>> Connection::Wait(bool writable, Clock::time_point deadline) {
  asio::steady_timer timer(executor_, deadline);
  const auto wait_type =
      writable ? asio::posix::descriptor_base::wait_write : asio::posix::descriptor_base::wait_read;
  auto outcome = co_await (socket_->async_wait(wait_type, kNoThrow) || timer.async_wait(kNoThrow));
  if (outcome.index() == 1) {
    broken_ = true;  // the server may still be working on what we sent
    co_return Fail(ErrorCode::kTimeout, "database timeout", "no answer before the deadline");
  }
  const auto [ec] = std::get<0>(outcome);
  if (ec) {
    broken_ = true;
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", ec.message());
  }
  co_return Result<void>{};
}

asio::awaitable<Result<Rows>> Connection::Finish(Clock::time_point deadline) {
  for (;;) {
    const int flushed = PQflush(connection_);
    if (flushed == 0) break;
    if (flushed < 0) {
      broken_ = true;
      co_return Fail(ErrorCode::kUnavailable, "database unavailable", Message());
    }
    if (auto waited = co_await Wait(true, deadline); !waited)
      co_return tl::unexpected(waited.error());
  }

  Rows last;
  std::optional<Error> failure;
  for (;;) {
    while (PQisBusy(connection_) == 1) {
      if (auto waited = co_await Wait(false, deadline); !waited) {
        co_return tl::unexpected(waited.error());
      }
      if (PQconsumeInput(connection_) == 0) {
        broken_ = true;
        co_return Fail(ErrorCode::kUnavailable, "database unavailable", Message());
      }
    }
    PGresult* result = PQgetResult(connection_);
    if (result == nullptr) break;
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR ||
        status == PGRES_BAD_RESPONSE) {
      if (!failure) {
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
        failure = DatabaseError(state ? state : "XX000", message ? message : Message());
      }
      PQclear(result);
    } else {
      last = Rows(result);
    }
  }
  if (PQstatus(connection_) != CONNECTION_OK) broken_ = true;
  if (failure) co_return tl::unexpected(std::move(*failure));
  co_return last;
}

asio::awaitable<Result<Rows>> Connection::ExecuteParams(const Statement& statement,
                                                        std::vector<Param> params) {
  if (!IsUsable())
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", "connection is broken");
  // A client span under the request's or job's, named by the statement: never its SQL's
  // values, which travel as parameters and are not recorded.
  const auto executor = co_await asio::this_coro::executor;
  std::optional<tracing::Span> span =
      tracing::StartChildSpan(executor, statement.name, tracing::SpanKind::kClient);
  if (span) {
    span->SetAttribute("db.system.name", std::string("postgresql"));
    span->SetAttribute("db.operation.name", std::string(OperationOf(statement.sql)));
  }
  const auto deadline = Clock::now() + operation_timeout_;
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.size());
  lengths.reserve(params.size());
  for (const Param& param : params) {
    values.push_back(param.data());
    lengths.push_back(param.length());
  }
  const std::string sql(statement.sql);
  int sent = 0;
  if (transaction_pooler_) {
    // One unnamed statement: parsed, bound and run in one round trip, on whichever server
    // connection the pooler lends for it.
    sent = PQsendQueryParams(connection_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             values.data(), lengths.data(), nullptr, 0);
  } else {
    auto prepared = prepared_.find(sql);
    if (prepared == prepared_.end()) {
      const std::string name = "s" + std::to_string(prepared_.size() + 1);
      if (PQsendPrepare(connection_, name.c_str(), sql.c_str(), static_cast<int>(params.size()),
                        nullptr) == 0) {
        broken_ = true;
        if (span) span->SetError("connection broken");
        co_return Fail(ErrorCode::kUnavailable, "database unavailable", Message());
      }
      auto done = co_await Finish(deadline);
      if (!done) {
        log::Error("statement failed to prepare",
                   {{"statement", statement.name}, {"reason", done.error().reason}});
        if (span) span->SetError("failed to prepare");
        co_return tl::unexpected(done.error());
      }
      prepared = prepared_.emplace(sql, name).first;
    }
    sent =
        PQsendQueryPrepared(connection_, prepared->second.c_str(), static_cast<int>(params.size()),
                            values.data(), lengths.data(), nullptr, 0);
  }
  if (sent == 0) {
    broken_ = true;
    if (span) span->SetError("connection broken");
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", Message());
  }
  auto result = co_await Finish(deadline);
  // The error's code, not its message: Postgres quotes values in some messages.
  if (span && !result) span->SetError(std::string(ToString(result.error().code)));
  co_return result;
}

asio::awaitable<Result<Rows>> Connection::ExecuteScript(std::string sql) {
  if (!IsUsable())
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", "connection is broken");
  const auto deadline = Clock::now() + operation_timeout_;
  if (PQsendQuery(connection_, sql.c_str()) == 0) {
    broken_ = true;
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", Message());
  }
  co_return co_await Finish(deadline);
}

asio::awaitable<Result<void>> Connection::WaitForInput(std::chrono::milliseconds timeout) {
  if (!IsUsable())
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", "connection is broken");
  if (PQconsumeInput(connection_) == 0) {
    broken_ = true;
    co_return Fail(ErrorCode::kUnavailable, "database unavailable", Message());
  }
  // Notifications may already be buffered; only wait when there are none.
  if (PGnotify* pending = PQnotifies(connection_)) {
    // Put it back by re-reading is not possible; keep it in our own list.
    pending_.push_back({pending->relname, pending->extra});
    PQfreemem(pending);
    co_return Result<void>{};
  }
  asio::steady_timer timer(executor_, timeout);
  auto outcome = co_await (socket_->async_wait(asio::posix::descriptor_base::wait_read, kNoThrow) ||
                           timer.async_wait(kNoThrow));
  if (outcome.index() == 0) {
    const auto [ec] = std::get<0>(outcome);
    if (ec || PQconsumeInput(connection_) == 0 || PQstatus(connection_) != CONNECTION_OK) {
      broken_ = true;
      co_return Fail(ErrorCode::kUnavailable, "database unavailable",
                     ec ? ec.message() : Message());
    }
  }
  co_return Result<void>{};
}

void Connection::CancelWait() {
  if (socket_) socket_->cancel();
}

std::vector<Notification> Connection::TakeNotifications() {
  std::vector<Notification> notifications = std::move(pending_);
  pending_.clear();
  while (PGnotify* notify = PQnotifies(connection_)) {
    notifications.push_back({notify->relname, notify->extra});
    PQfreemem(notify);
  }
  return notifications;
}

bool Connection::IsUsable() const { return !broken_ && PQstatus(connection_) == CONNECTION_OK; }

bool Connection::StillConnected() {
  if (!IsUsable()) return false;
  // Between statements the server sends nothing unless it is ending the session: its reason
  // (FATAL) comes first, the close after. So anything readable, the reason alone included,
  // means the connection is done. (A connection that LISTENs would get notifications: the pool
  // holds none, db::Listener has its own.)
  pollfd descriptor{};
  descriptor.fd = PQsocket(connection_);
  descriptor.events = POLLIN | POLLRDHUP;
  if (::poll(&descriptor, 1, 0) != 0) broken_ = true;
  return IsUsable();
}

bool Connection::InTransaction() const { return PQtransactionStatus(connection_) != PQTRANS_IDLE; }

std::string Connection::Describe() const {
  const char* host = PQhost(connection_);
  const char* port = PQport(connection_);
  const char* db = PQdb(connection_);
  return std::string(host ? host : "") + ":" + (port ? port : "") + "/" + (db ? db : "");
}

}  // namespace codezero::db
