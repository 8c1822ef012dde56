// The Prometheus endpoint of a process: GET /metrics renders the process's registry, on a
// listener apart from the public one (its own address, loopback by default, and its own
// thread, so a scrape neither reaches the edge nor waits behind customers' requests).
// docs/metrics.md lists the settings and the series.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <thread>

#include "common/event_loops.h"
#include "http/server.h"
#include "http/server_options.h"

namespace codezero::cli {

// Registers the process metrics and build info under `process` ("api", "web", ...).
void RegisterProcessMetrics(std::string_view process);

class MetricsListener {
 public:
  explicit MetricsListener(http::ServerOptions options);
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;
  // Closes the listener and waits for its thread.
  ~MetricsListener();

  // Binds and starts serving; throws boost::system::system_error (a std::runtime_error, not a
  // std::system_error) when the address cannot be bound.
  // Logs "metrics listening" with the address. Returns the bound port.
  std::uint16_t Start();

  // "http://host:port/metrics" once started.
  [[nodiscard]] std::string Url() const;

 private:
  http::ServerOptions options_;
  std::uint16_t port_ = 0;
  EventLoops loops_{1};
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

}  // namespace codezero::cli
