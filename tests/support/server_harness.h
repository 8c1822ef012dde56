// Runs an http::Server with the routes a test gives it on a background thread, on a free
// port, and shuts it down at the end of the test.
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "common/event_loops.h"
#include "http/pipeline.h"
#include "http/router.h"
#include "http/server.h"

namespace codezero::testing {

class ServerHarness {
 public:
  using RouteSetup = std::function<void(http::Router& router, boost::asio::io_context& loop)>;

  using PipelineFactory =
      std::function<std::shared_ptr<const http::Pipeline>(boost::asio::io_context& loop)>;

  explicit ServerHarness(RouteSetup setup, http::ServerOptions options = {});
  // For tests of a whole process's composition (e.g. api::ApiLoop).
  ServerHarness(http::ServerOptions options, PipelineFactory factory);
  ~ServerHarness();

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] EventLoops& loops() { return *loops_; }

  // Starts the graceful shutdown; the future gets `clean` when every connection has closed.
  std::shared_future<bool> Shutdown();
  // Shuts down and waits for the loops' thread; the loops themselves live on until the
  // harness is destroyed, so objects bound to them can be destroyed first. Idempotent.
  void Stop();

 private:
  std::unique_ptr<EventLoops> loops_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::promise<bool> stopped_;
  std::shared_future<bool> stopped_future_;
  std::atomic<bool> shutdown_requested_{false};
};

}  // namespace codezero::testing
