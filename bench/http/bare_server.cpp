// The baseline for bench/http: the least a Beast coroutine server can do. One coroutine per
// connection reads a request and answers "hello", keeping the connection alive. No router, no
// timeouts, no headers beyond HTTP's own, no logging.
//
//   bench_http_bare PORT [THREADS] [per-thread|shared] [BODY_BYTES]
// With several threads, "per-thread" runs one io_context per thread (accepting on the first and
// handing connections round robin, as the platform does); "shared" runs one io_context on all
// threads. docs/adr/0002 compares the two. BODY_BYTES answers a body of that many bytes instead
// of "hello" (bench/web compares a page with the same number of bytes sent by the bare loop).
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string body = "hello";

asio::awaitable<void> Serve(tcp::socket socket) {
  beast::flat_buffer buffer;
  for (;;) {
    beast::http::request<beast::http::string_body> request;
    auto [read_ec, n] = co_await beast::http::async_read(socket, buffer, request, kNoThrow);
    if (read_ec) break;
    beast::http::response<beast::http::string_body> response(beast::http::status::ok,
                                                             request.version());
    response.set(beast::http::field::content_type, "text/plain");
    response.body() = body;
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    auto [write_ec, m] = co_await beast::http::async_write(socket, response, kNoThrow);
    if (write_ec || !response.keep_alive()) break;
  }
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor, std::vector<asio::io_context*> targets) {
  std::size_t next = 0;
  for (;;) {
    asio::io_context& target = *targets[next];
    next = (next + 1) % targets.size();
    auto [ec, socket] = co_await acceptor.async_accept(target, kNoThrow);
    if (ec) co_return;
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(target, Serve(std::move(socket)), asio::detached);
  }
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_http_bare PORT [THREADS] [per-thread|shared]\n";
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  const bool shared = argc > 3 && std::string(argv[3]) == "shared";
  if (argc > 4) body.assign(static_cast<std::size_t>(std::max(1, std::atoi(argv[4]))), 'x');

  const int contexts = shared ? 1 : threads;
  std::vector<std::unique_ptr<asio::io_context>> loops;
  for (int i = 0; i < contexts; ++i) {
    loops.push_back(std::make_unique<asio::io_context>(shared ? threads : 1));
  }
  std::vector<asio::io_context*> targets;
  for (auto& loop : loops) targets.push_back(loop.get());

  tcp::acceptor acceptor(*loops[0], {asio::ip::make_address("127.0.0.1"), port});
  asio::co_spawn(*loops[0], Accept(acceptor, targets), asio::detached);
  asio::signal_set signals(*loops[0], SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) {
    for (auto& loop : loops) loop->stop();
  });

  std::vector<std::jthread> workers;
  for (int t = 1; t < threads; ++t) {
    asio::io_context& loop = *loops[shared ? 0 : static_cast<std::size_t>(t)];
    auto guard = std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(
        loop.get_executor());
    workers.emplace_back([&loop, guard] { loop.run(); });
  }
  loops[0]->run();
  for (auto& loop : loops) loop->stop();
  return 0;
}
