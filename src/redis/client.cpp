#include "redis/client.h"

#include <hiredis/hiredis.h>

#include <deque>

#include <boost/asio/post.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "common/log.h"
#include "common/no_throw.h"
#include "common/random.h"
#include "common/spawn.h"
#include "metrics/registry.h"
#include "tracing/traced_executor.h"

namespace codezero::redis {
namespace {

// codezero_redis_* (docs/metrics.md): one set for all of a process's clients.
struct RedisMetrics {
  metrics::Histogram& command_duration =
      metrics::Default()
          .AddHistogram("codezero_redis_command_duration_seconds",
                        "One Redis command, sent to answered.", {})
          .With({});
  metrics::Counter& errors =
      metrics::Default()
          .AddCounter(
              "codezero_redis_errors_total",
              "Redis commands that failed: no connection, no answer in time, an error reply.")
          .With({});
  metrics::Counter& reconnects = metrics::Default()
                                     .AddCounter("codezero_redis_reconnects_total",
                                                 "Redis connections made again after a loss.")
                                     .With({});
};

RedisMetrics& Metrics() {
  static RedisMetrics metrics;
  return metrics;
}

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;
using Socket = asio::generic::stream_protocol::socket;

Reply Convert(const redisReply* raw) {
  Reply reply;
  switch (raw->type) {
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      break;
    case REDIS_REPLY_ERROR:
      reply.type = Reply::Type::kError;
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      break;
    default:
      reply.type = Reply::Type::kNil;
      break;
  }
  if (raw->type == REDIS_REPLY_STRING || raw->type == REDIS_REPLY_STATUS ||
      raw->type == REDIS_REPLY_ERROR) {
    reply.text.assign(raw->str, raw->len);
  }
  reply.integer = raw->integer;
  for (std::size_t i = 0; i < raw->elements; ++i)
    reply.elements.push_back(Convert(raw->element[i]));
  return reply;
}

std::string Format(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  char* formatted = nullptr;
  const int length = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv.data(),
                                            lengths.data());
  if (length < 0) throw std::bad_alloc();
  std::string command(formatted, static_cast<std::size_t>(length));
  redisFreeCommand(formatted);
  return command;
}

Error Unavailable(std::string reason) {
  return Error{ErrorCode::kUnavailable, "cache unavailable", std::move(reason), {}};
}

// An error reply. The ones that mean "not now" (a replica loading or read-only after a
// failover, a busy script, out of memory) are outages (503); the rest are bugs (500).
Error ErrorReply(const std::string& text) {
  static constexpr std::string_view kTransient[] = {
      "LOADING", "BUSY", "READONLY", "MASTERDOWN", "OOM", "TRYAGAIN", "CLUSTERDOWN"};
  for (std::string_view prefix : kTransient) {
    if (text.starts_with(prefix))
      return Error{ErrorCode::kUnavailable, "cache unavailable", text, {}};
  }
  return Error{ErrorCode::kInternal, "cache error", text, {}};
}

// A command sent and not yet answered. Shared by the waiting caller and the reader.
struct Pending {
  std::optional<Result<Reply>> outcome;
  asio::steady_timer* wake = nullptr;  // the caller's timer; null once the caller gave up

  void Complete(Result<Reply> result) {
    outcome = std::move(result);
    if (wake) wake->cancel();
  }
};

}  // namespace

struct Client::Impl : std::enable_shared_from_this<Impl> {
  asio::any_io_executor executor;
  ClientOptions options;
  Socket socket;
  asio::steady_timer backoff_timer;
  std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader{nullptr, &redisReaderFree};
  std::deque<std::shared_ptr<Pending>> in_flight;
  std::string outbox;
  bool writing = false;
  bool connected = false;
  bool closed = false;
  bool outage_logged = false;
  bool ever_connected = false;  // a later connection is a reconnect
  // Until the first connection attempt has ended, commands wait for it instead of failing: a
  // process that has just started has not lost Redis, and the first requests a load balancer
  // sends it must not fail. The timer bounds the wait: twice what the attempt may take (connect,
  // AUTH, SELECT), counted from the client's creation, as the resolver has no timeout of its
  // own. It is cancelled when the attempt ends, whichever way.
  bool first_attempt_over = false;
  asio::steady_timer first_attempt;
  // Bumped for every new socket, so that the read and write loops of an old connection,
  // finishing late, leave the new one alone.
  std::uint64_t generation = 0;
  Clock::time_point last_input = Clock::now();

  Impl(asio::any_io_executor e, ClientOptions o)
      : executor(e),
        options(std::move(o)),
        socket(e),
        backoff_timer(e),
        first_attempt(e, 2 * (options.connect_timeout + 2 * options.command_timeout)) {}

  std::string Describe() const {
    return options.endpoint.socket_path.empty()
               ? options.endpoint.host + ":" + std::to_string(options.endpoint.port)
               : options.endpoint.socket_path;
  }

  // Connects, authenticates and serves replies until the connection ends; then again.
  asio::awaitable<void> Run() {
    auto self = shared_from_this();
    std::chrono::milliseconds delay(50);
    while (!closed) {
      auto opened = co_await Connect();
      if (opened) {
        reader.reset(redisReaderCreate());
        last_input = Clock::now();
        SpawnLogged(executor, self->ReadLoop(generation), "redis read loop");
        auto ready = co_await Handshake();
        if (ready) {
          if (ever_connected) Metrics().reconnects.Inc();
          ever_connected = true;
          connected = true;
          EndFirstAttempt();
          delay = std::chrono::milliseconds(50);
          if (outage_logged) log::Info("redis connection restored", {{"redis", Describe()}});
          outage_logged = false;
          // Wait here until the connection ends (the read loop closes the socket).
          while (socket.is_open() && !closed) {
            backoff_timer.expires_after(std::chrono::hours(24));
            co_await backoff_timer.async_wait(kNoThrow);
          }
        } else {
          opened = tl::unexpected(ready.error());
        }
      }
      Disconnect(opened ? "connection lost" : opened.error().reason);
      EndFirstAttempt();
      if (!outage_logged && !closed) {
        log::Warn("redis unavailable; reconnecting",
                  {{"redis", Describe()},
                   {"reason", opened ? "connection lost" : opened.error().reason}});
        outage_logged = true;
      }
      if (closed) break;
      const auto jittered = std::chrono::milliseconds(
          static_cast<std::int64_t>(static_cast<double>(delay.count()) * (0.5 + FastRandomUnit())));
      backoff_timer.expires_after(jittered);
      co_await backoff_timer.async_wait(kNoThrow);
      delay = std::min(delay * 2, options.max_reconnect_delay);
    }
  }

  void EndFirstAttempt() {
    if (first_attempt_over) return;
    first_attempt_over = true;
    first_attempt.cancel();
  }

  asio::awaitable<Result<void>> Connect() {
    const Endpoint& endpoint = options.endpoint;
    asio::generic::stream_protocol::endpoint target;
    if (!endpoint.socket_path.empty()) {
      try {
        target = asio::local::stream_protocol::endpoint(endpoint.socket_path);
      } catch (const std::exception& e) {
        co_return tl::unexpected(Unavailable(std::string("socket path: ") + e.what()));
      }
    } else {
      asio::ip::tcp::resolver resolver(executor);
      auto [ec, results] =
          co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), kNoThrow);
      if (ec || results.empty()) co_return tl::unexpected(Unavailable("resolve: " + ec.message()));
      target = results.begin()->endpoint();
    }
    socket = Socket(executor);
    ++generation;
    writing = false;
    asio::steady_timer timer(executor, options.connect_timeout);
    auto outcome = co_await (socket.async_connect(target, kNoThrow) || timer.async_wait(kNoThrow));
    if (outcome.index() == 1) {
      boost::system::error_code ignored;
      socket.close(ignored);
      co_return tl::unexpected(Unavailable("connect timeout"));
    }
    if (auto [ec] = std::get<0>(outcome); ec) {
      boost::system::error_code ignored;
      socket.close(ignored);
      co_return tl::unexpected(Unavailable("connect: " + ec.message()));
    }
    if (endpoint.socket_path.empty()) {
      boost::system::error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    }
    co_return Result<void>{};
  }

  asio::awaitable<Result<void>> Handshake() {
    const Endpoint& endpoint = options.endpoint;
    if (!endpoint.password.empty()) {
      std::vector<std::string> auth;
      auth.emplace_back("AUTH");
      if (!endpoint.username.empty()) auth.push_back(endpoint.username);
      auth.push_back(endpoint.password);
      auto authed = co_await Send(std::move(auth));
      if (!authed) co_return tl::unexpected(authed.error());
    }
    if (endpoint.database != 0) {
      std::vector<std::string> select;
      select.emplace_back("SELECT");
      select.push_back(std::to_string(endpoint.database));
      auto selected = co_await Send(std::move(select));
      if (!selected) co_return tl::unexpected(selected.error());
    }
    co_return Result<void>{};
  }

  asio::awaitable<void> ReadLoop(std::uint64_t connection) {
    auto self = shared_from_this();
    char buffer[16 * 1024];
    for (;;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), kNoThrow);
      if (ec) break;
      last_input = Clock::now();
      if (redisReaderFeed(reader.get(), buffer, n) != REDIS_OK) break;
      bool protocol_error = false;
      for (;;) {
        void* raw = nullptr;
        if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) {
          protocol_error = true;
          break;
        }
        if (raw == nullptr) break;
        Reply reply = Convert(static_cast<redisReply*>(raw));
        freeReplyObject(raw);
        if (in_flight.empty()) {
          protocol_error = true;  // a reply nobody asked for: out of step
          break;
        }
        std::shared_ptr<Pending> pending = std::move(in_flight.front());
        in_flight.pop_front();
        if (reply.type == Reply::Type::kError) {
          pending->Complete(tl::unexpected(ErrorReply(reply.text)));
        } else {
          pending->Complete(std::move(reply));
        }
      }
      if (protocol_error) break;
    }
    if (connection != generation) co_return;
    boost::system::error_code ignored;
    socket.close(ignored);
    backoff_timer.cancel();  // wakes Run()
  }

  void Disconnect(const std::string& reason) {
    connected = false;
    ++generation;
    writing = false;
    boost::system::error_code ignored;
    socket.close(ignored);
    outbox.clear();
    auto failed = std::move(in_flight);
    in_flight.clear();
    for (auto& pending : failed) pending->Complete(tl::unexpected(Unavailable(reason)));
  }

  asio::awaitable<void> WriteLoop(std::uint64_t connection) {
    auto self = shared_from_this();
    writing = true;
    while (connection == generation && !outbox.empty() && socket.is_open()) {
      std::string sending = std::move(outbox);
      outbox.clear();
      auto [ec, n] = co_await asio::async_write(socket, asio::buffer(sending), kNoThrow);
      if (ec && connection == generation) {
        boost::system::error_code ignored;
        socket.close(ignored);
        break;
      }
    }
    if (connection == generation) writing = false;
  }

  // Sends one command on the current connection and waits for its reply or the timeout.
  asio::awaitable<Result<Reply>> Send(std::vector<std::string> args) {
    auto self = shared_from_this();
    // Counted in the Redis metrics however the wait ends: an error unless a reply that is not
    // an error reply came.
    struct Measure {
      Clock::time_point started = Clock::now();
      bool answered = false;
      ~Measure() {
        Metrics().command_duration.Observe(
            std::chrono::duration<double>(Clock::now() - started).count());
        if (!answered) Metrics().errors.Inc();
      }
    } measure;
    if (!socket.is_open()) co_return tl::unexpected(Unavailable("not connected"));
    auto pending = std::make_shared<Pending>();
    asio::steady_timer timer(executor, options.command_timeout);
    pending->wake = &timer;
    in_flight.push_back(pending);
    outbox += Format(args);
    if (!writing) SpawnLogged(executor, WriteLoop(generation), "redis write loop");
    const auto sent_at = Clock::now();
    auto [wait_ec] = co_await timer.async_wait(kNoThrow);
    pending->wake = nullptr;
    if (pending->outcome) {
      measure.answered =
          pending->outcome->has_value() && (*pending->outcome)->type != Reply::Type::kError;
      co_return std::move(*pending->outcome);
    }
    if (wait_ec == asio::error::operation_aborted) {
      // The caller gave up (a deadline of its own): nothing is known about the connection.
      co_return Fail(ErrorCode::kTimeout, "cache timeout", args.front() + " was cancelled");
    }
    // Timed out. The reply may still come; the reader will drop it. A connection with no
    // input at all since this command was sent, for a whole timeout, is presumed dead.
    if (Clock::now() - std::max(last_input, sent_at) >= options.command_timeout &&
        socket.is_open()) {
      log::Warn("redis silent past the command timeout; reconnecting", {{"redis", Describe()}});
      boost::system::error_code ignored;
      socket.close(ignored);
    }
    co_return Fail(ErrorCode::kTimeout, "cache timeout",
                   args.front() + " had no answer within " +
                       std::to_string(options.command_timeout.count()) + " ms");
  }

  void Close() {
    if (closed) return;
    closed = true;
    Disconnect("client closed");
    EndFirstAttempt();
    backoff_timer.cancel();
  }
};

Client::Client(asio::any_io_executor executor, ClientOptions options)
    : impl_(std::make_shared<Impl>(executor, std::move(options))) {
  SpawnLogged(executor, impl_->Run(), "redis connection");
}

// Close only posts; what could escape is std::bad_alloc, and terminating on it is right.
Client::~Client() { Close(); }  // NOLINT(bugprone-exception-escape)

void Client::Close() {
  // Closing must happen on the client's loop; a destructor may run elsewhere at exit.
  asio::post(impl_->executor, [impl = impl_] { impl->Close(); });
}

bool Client::connected() const { return impl_->connected; }

asio::awaitable<Result<Reply>> Client::Command(std::vector<std::string> args) {
  auto impl = impl_;
  // A client span under the request's or job's, named by the command: never its keys or
  // values (a rate limit's key holds a client address).
  const auto executor = co_await asio::this_coro::executor;
  std::optional<tracing::Span> span = tracing::StartChildSpan(
      executor, args.empty() ? std::string_view() : std::string_view(args.front()),
      tracing::SpanKind::kClient);
  if (span) {
    span->SetAttribute("db.system.name", std::string("redis"));
    if (!args.empty()) span->SetAttribute("db.operation.name", args.front());
  }
  if (!impl->connected && !impl->first_attempt_over) {
    co_await impl->first_attempt.async_wait(kNoThrow);
  }
  if (!impl->connected) {
    Metrics().errors.Inc();
    if (span) span->SetError("not connected");
    co_return tl::unexpected(Unavailable("not connected"));
  }
  auto reply = co_await impl->Send(std::move(args));
  if (span && !reply) span->SetError(std::string(ToString(reply.error().code)));
  co_return reply;
}

asio::awaitable<Result<void>> Client::Ping() {
  auto reply = co_await Run("PING");
  if (!reply) co_return tl::unexpected(reply.error());
  co_return Result<void>{};
}

asio::awaitable<Result<std::optional<std::string>>> Client::Get(std::string key) {
  auto reply = co_await Run("GET", key);
  if (!reply) co_return tl::unexpected(reply.error());
  if (reply->is_nil()) co_return std::optional<std::string>();
  co_return std::optional<std::string>(std::move(reply->text));
}

asio::awaitable<Result<bool>> Client::Set(std::string key, std::string value, SetOptions options) {
  std::vector<std::string> args;
  args.reserve(6);
  args.emplace_back("SET");
  args.push_back(std::move(key));
  args.push_back(std::move(value));
  if (options.expire) {
    args.emplace_back("PX");
    args.push_back(std::to_string(options.expire->count()));
  }
  if (options.only_if_absent) args.emplace_back("NX");
  if (options.only_if_present) args.emplace_back("XX");
  auto reply = co_await Command(std::move(args));
  if (!reply) co_return tl::unexpected(reply.error());
  co_return !reply->is_nil();
}

asio::awaitable<Result<std::int64_t>> Client::Incr(std::string key) {
  auto reply = co_await Run("INCR", key);
  if (!reply) co_return tl::unexpected(reply.error());
  co_return reply->integer;
}

asio::awaitable<Result<std::int64_t>> Client::Del(std::vector<std::string> keys) {
  keys.insert(keys.begin(), "DEL");
  auto reply = co_await Command(std::move(keys));
  if (!reply) co_return tl::unexpected(reply.error());
  co_return reply->integer;
}

asio::awaitable<Result<Reply>> Client::Eval(const Script& script, std::vector<std::string> keys,
                                            std::vector<std::string> args) {
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.emplace_back("EVALSHA");
  command.push_back(script.sha1());
  command.push_back(std::to_string(keys.size()));
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  auto reply = co_await Command(command);
  if (reply || !reply.error().reason.starts_with("NOSCRIPT")) co_return reply;
  auto loaded = co_await Run("SCRIPT", "LOAD", script.source());
  if (!loaded) co_return tl::unexpected(loaded.error());
  co_return co_await Command(std::move(command));
}

}  // namespace codezero::redis
