#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <list>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "common/log.h"
#include "common/no_throw.h"
#include "http/access_log.h"
#include "http/problem.h"
#include "http/request_id.h"
#include "http/server_span.h"
#include "tracing/active_spans.h"
#include "tracing/traced_executor.h"

namespace codezero::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

using Clock = std::chrono::steady_clock;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// A connection's state as its loop's timeout sweep and shutdown see it.
struct Connection {
  tcp::socket* socket = nullptr;
  // The current read or write must finish by then. Checked by the loop's sweep rather than a
  // timer per operation: arming and cancelling two timers per request cost more than all of
  // the routing (bench/http).
  Clock::time_point deadline = Clock::time_point::max();
  bool waiting_for_request = false;  // true between requests: safe to close at shutdown
  bool closed_by_shutdown = false;   // a request read after this is not handled
};

// What a loop owns. Touched only on that loop's thread.
struct Shard {
  asio::io_context* context = nullptr;
  std::shared_ptr<const Pipeline> pipeline;
  std::list<Connection> connections;
  std::unique_ptr<asio::steady_timer> sweep_timer;
  bool stopping = false;
  bool reported_drained = false;
};

bool IsQuietDisconnect(const boost::system::error_code& ec) {
  return ec == beast::http::error::end_of_stream || ec == asio::error::operation_aborted ||
         ec == asio::error::connection_reset || ec == asio::error::eof ||
         ec == asio::error::bad_descriptor || ec == asio::error::broken_pipe ||
         ec == beast::http::error::partial_message;
}

ErrorCode ParseErrorCode(const boost::system::error_code& ec) {
  if (ec == beast::http::error::header_limit) return ErrorCode::kHeadersTooLarge;
  if (ec == beast::http::error::body_limit) return ErrorCode::kPayloadTooLarge;
  return ErrorCode::kBadRequest;
}

std::string ParseErrorMessage(const boost::system::error_code& ec) {
  if (ec == beast::http::error::header_limit) return "The request headers are too large.";
  if (ec == beast::http::error::body_limit) return "The request body is too large.";
  return "The request is not valid HTTP/1.1: " + ec.message() + ".";
}

}  // namespace

struct Server::Impl {
  EventLoops& loops;
  ServerOptions options;
  std::vector<Shard> shards;
  tcp::acceptor acceptor;
  asio::steady_timer grace_timer;
  std::size_t next_shard = 0;
  bool shutting_down = false;  // loop 0 only
  std::size_t drained_shards = 0;
  bool forced = false;
  std::function<void(bool)> on_stopped;
  std::chrono::milliseconds sweep_interval;

  Impl(EventLoops& l, ServerOptions o, std::vector<std::shared_ptr<const Pipeline>> pipelines)
      : loops(l), options(std::move(o)), acceptor(l[0]), grace_timer(l[0]) {
    shards.resize(loops.size());
    for (std::size_t i = 0; i < loops.size(); ++i) {
      shards[i].context = &loops[i];
      shards[i].pipeline = std::move(pipelines.at(i));
      shards[i].sweep_timer = std::make_unique<asio::steady_timer>(loops[i]);
    }
    const auto shortest = std::min(options.read_timeout, options.write_timeout);
    sweep_interval =
        std::clamp(shortest / 8, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  }

  // Closes the connections whose read or write is overdue, every sweep_interval, until the
  // shard has shut down.
  asio::awaitable<void> SweepLoop(Shard& shard) {
    for (;;) {
      shard.sweep_timer->expires_after(sweep_interval);
      (void)co_await shard.sweep_timer->async_wait(kNoThrow);
      if (shard.reported_drained) co_return;
      const auto now = Clock::now();
      for (Connection& connection : shard.connections) {
        if (connection.socket && connection.deadline <= now) {
          boost::system::error_code ignored;
          connection.socket->close(ignored);
        }
      }
    }
  }

  asio::awaitable<void> AcceptLoop() {
    for (;;) {
      Shard& shard = shards[next_shard];
      next_shard = (next_shard + 1) % shards.size();
      auto [ec, socket] = co_await acceptor.async_accept(*shard.context, kNoThrow);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        // Out of file descriptors or a transient network error: pause, then go on.
        log::Warn("accept failed", {{"error", ec.message()}});
        asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
        co_await pause.async_wait(kNoThrow);
        continue;
      }
      if (tracing::Enabled()) {
        // The connection's coroutines carry a key to the span of the request being handled, so
        // its SQL statements, Redis commands and outbound calls become that span's children.
        const std::uint64_t span_key = tracing::NewActiveSpanKey();
        asio::co_spawn(tracing::WithActiveSpan(shard.context->get_executor(), span_key),
                       Serve(std::move(socket), shard, span_key), asio::detached);
      } else {
        asio::co_spawn(*shard.context, Serve(std::move(socket), shard, 0), asio::detached);
      }
    }
  }

  asio::awaitable<void> Serve(tcp::socket socket, Shard& shard, std::uint64_t span_key) {
    auto connection = shard.connections.emplace(shard.connections.end());
    try {
      co_await ServeConnection(std::move(socket), shard, *connection, span_key);
    } catch (const std::exception& e) {
      log::Error("connection failed", {{"error", e.what()}});
    }
    shard.connections.erase(connection);
    if (shard.stopping) ReportIfDrained(shard);
  }

  asio::awaitable<void> ServeConnection(tcp::socket socket, Shard& shard, Connection& connection,
                                        std::uint64_t span_key) {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto remote = socket.remote_endpoint(ignored).address();
    const std::string client = TruncatedAddress(remote);
    const std::string remote_text = remote.to_string();
    connection.socket = &socket;
    beast::flat_buffer buffer;
    std::string wire;
    const Pipeline& pipeline = *shard.pipeline;

    for (;;) {
      if (shard.stopping) break;
      beast::http::request_parser<beast::http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);

      connection.waiting_for_request = buffer.size() == 0;
      connection.deadline = Clock::now() + options.read_timeout;
      auto [read_ec, bytes_in] =
          co_await beast::http::async_read_header(socket, buffer, parser, kNoThrow);
      connection.waiting_for_request = false;
      // Shutdown closed this idle connection while a request's completion was already queued:
      // the client sees the connection closed and retries elsewhere; do not run it half-way.
      if (connection.closed_by_shutdown) break;

      RequestContext context;
      Router::Match match;
      Verb method = Verb::unknown;  // for the access log of a request refused while being read
      if (!read_ec) {
        // The route decides how much body it takes: a larger one is refused before it is read.
        const std::string_view target = parser.get().target();
        method = parser.get().method();
        context.path = target.substr(0, target.find('?'));
        match = pipeline.Route(method, context.path, context.params);
        const std::size_t limit = BodyLimitOf(match, options.max_body_bytes);
        if (parser.content_length() && *parser.content_length() > limit) {
          read_ec = beast::http::error::body_limit;
        } else if (!parser.is_done()) {
          parser.body_limit(limit);
          // A small body usually arrives with its header: parse it from the buffer rather than
          // going through another asynchronous read.
          if (parser.content_length() && buffer.size() >= *parser.content_length()) {
            const std::size_t used = parser.put(buffer.data(), read_ec);
            buffer.consume(used);
            bytes_in += used;
          }
          if (!read_ec && !parser.is_done() && buffer.size() == 0 &&
              beast::iequals(parser.get()[Field::expect], "100-continue")) {
            // The client waits for this before it sends the body (RFC 9110 §10.1.1).
            connection.deadline = Clock::now() + options.write_timeout;
            auto [continue_ec, continue_bytes] =
                co_await asio::async_write(socket, asio::buffer(kContinue), kNoThrow);
            connection.deadline = Clock::now() + options.read_timeout;
            read_ec = continue_ec;
          }
          if (!read_ec && !parser.is_done()) {
            auto [body_ec, body_bytes] =
                co_await beast::http::async_read(socket, buffer, parser, kNoThrow);
            read_ec = body_ec;
            bytes_in += body_bytes;
          }
        }
      }
      connection.deadline = Clock::time_point::max();

      context.remote = remote;
      context.remote_text = remote_text;
      context.client = client;
      context.started = std::chrono::steady_clock::now();
      const RequestMetrics* request_metrics = pipeline.request_metrics();
      if (read_ec) {
        if (IsQuietDisconnect(read_ec)) break;
        const RequestMetrics::InFlight in_flight(request_metrics);
        // Malformed or oversized: answer once, then close (the stream is out of step).
        context.request_id = RequestIdFor({});
        Error error{ParseErrorCode(read_ec), ParseErrorMessage(read_ec), read_ec.message(), {}};
        Response response = ProblemResponse(error, context);
        response.keep_alive(false);
        response.prepare_payload();
        pipeline.Serialize(response, context, wire);
        connection.deadline = Clock::now() + options.write_timeout;
        auto [write_ec, bytes_out] =
            co_await asio::async_write(socket, asio::buffer(wire), kNoThrow);
        LogAccess(context, method, response.result_int(), bytes_in, bytes_out);
        if (request_metrics != nullptr) {
          request_metrics->Finished(match, method, response.result_int(),
                                    std::chrono::steady_clock::now() - context.started);
        }
        if (!write_ec && error.code == ErrorCode::kPayloadTooLarge) {
          co_await DiscardTheRest(socket, connection);
        }
        break;
      }

      const RequestMetrics::InFlight in_flight(request_metrics);
      Request request = parser.release();
      PrepareContext(request, context);
      // Calls made while handling (web's to the API) and log lines find this request's span
      // by its id.
      std::optional<tracing::ActiveSpanScope> active;
      if (tracing::Enabled()) active.emplace(context.request_id, context.span, span_key);
      Response response = co_await pipeline.Handle(request, context, match);

      response.keep_alive(request.keep_alive() && !shard.stopping);
      const bool head = request.method() == Verb::head;
      response.prepare_payload();
      if (head) response.body().clear();  // Content-Length stays that of the GET
      pipeline.Serialize(response, context, wire);
      connection.deadline = Clock::now() + options.write_timeout;
      auto [write_ec, bytes_out] = co_await asio::async_write(socket, asio::buffer(wire), kNoThrow);
      connection.deadline = Clock::time_point::max();
      LogAccess(context, request.method(), response.result_int(), bytes_in, bytes_out);
      if (request_metrics != nullptr) {
        request_metrics->Finished(match, request.method(), response.result_int(),
                                  std::chrono::steady_clock::now() - context.started);
        ExportServerSpan(context, match, request.method(), response.result_int());
      }
      active.reset();
      if (write_ec || !response.keep_alive()) break;
    }
    connection.socket = nullptr;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
  }

  // After refusing a body that is still arriving: closing a socket with unread data resets the
  // connection, and a client still writing its body never reads the 413. So stop sending,
  // take in what is still coming for at most a couple of seconds (the read timeout if
  // shorter), then close, as nginx's lingering close does.
  asio::awaitable<void> DiscardTheRest(tcp::socket& socket, Connection& connection) {
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    connection.deadline =
        Clock::now() + std::min<Clock::duration>(options.read_timeout, std::chrono::seconds(2));
    std::array<char, 64 * 1024> sink;
    for (;;) {
      auto [ec, bytes] = co_await socket.async_read_some(asio::buffer(sink), kNoThrow);
      if (ec) break;  // the client closed, or the sweep did at the deadline
    }
  }

  // On the shard's thread.
  void ReportIfDrained(Shard& shard) {
    if (!shard.connections.empty() || shard.reported_drained) return;
    shard.reported_drained = true;
    shard.sweep_timer->cancel();
    asio::post(loops[0], [this] {
      if (++drained_shards < shards.size()) return;
      grace_timer.cancel();
      if (on_stopped) {
        auto callback = std::move(on_stopped);
        on_stopped = nullptr;
        callback(!forced);
      }
    });
  }

  // On loop 0.
  void BeginShutdown(std::function<void(bool)> callback) {
    if (shutting_down) return;
    shutting_down = true;
    on_stopped = std::move(callback);
    boost::system::error_code ignored;
    acceptor.close(ignored);
    log::Info("shutting down: no new connections; finishing requests in flight",
              {{"grace_ms", static_cast<std::int64_t>(options.shutdown_grace.count())}});
    for (Shard& shard : shards) {
      asio::post(*shard.context, [this, &shard] {
        shard.stopping = true;
        for (Connection& connection : shard.connections) {
          if (connection.waiting_for_request && connection.socket) {
            connection.closed_by_shutdown = true;
            boost::system::error_code not_open;
            connection.socket->close(not_open);
          }
        }
        ReportIfDrained(shard);
      });
    }
    grace_timer.expires_after(options.shutdown_grace);
    grace_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;  // drained in time
      forced = true;
      // A handler stuck on something without a deadline would keep its connection's coroutine
      // alive after its socket is closed; give up on it after a little longer.
      grace_timer.expires_after(std::chrono::seconds(2));
      grace_timer.async_wait([this](boost::system::error_code hard_ec) {
        if (hard_ec || !on_stopped) return;
        log::Error("requests still running after the grace period; stopping anyway");
        auto stop = std::move(on_stopped);
        on_stopped = nullptr;
        stop(false);
      });
      for (Shard& shard : shards) {
        asio::post(*shard.context, [&shard] {
          if (!shard.connections.empty()) {
            log::Warn("grace period over: closing connections",
                      {{"connections", shard.connections.size()}});
          }
          for (Connection& connection : shard.connections) {
            if (connection.socket) {
              boost::system::error_code not_open;
              connection.socket->close(not_open);
            }
          }
        });
      }
    });
  }
};

Server::Server(EventLoops& loops, ServerOptions options,
               std::vector<std::shared_ptr<const Pipeline>> pipelines)
    : impl_(std::make_unique<Impl>(loops, std::move(options), std::move(pipelines))) {}

Server::~Server() = default;

std::uint16_t Server::Start() {
  const tcp::endpoint endpoint(asio::ip::make_address(impl_->options.host), impl_->options.port);
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  const std::uint16_t port = acceptor.local_endpoint().port();
  asio::co_spawn(impl_->loops[0], impl_->AcceptLoop(), asio::detached);
  for (Shard& shard : impl_->shards) {
    asio::co_spawn(*shard.context, impl_->SweepLoop(shard), asio::detached);
  }
  return port;
}

void Server::Shutdown(std::function<void(bool clean)> on_stopped) {
  asio::post(impl_->loops[0], [impl = impl_.get(), callback = std::move(on_stopped)]() mutable {
    impl->BeginShutdown(std::move(callback));
  });
}

}  // namespace codezero::http
