// The HTTP server's settings, read from the environment with a per-process prefix
// (API_PORT, WEB_PORT, ...), each with a default that suits production.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/settings.h"

namespace codezero::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  std::size_t threads = 1;
  // The whole request, from its first byte (or from the end of the previous response on a
  // kept-alive connection) to its last, must arrive within this: slow clients are cut off.
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  // On SIGTERM: how long in-flight requests may take before their connections are closed.
  std::chrono::milliseconds shutdown_grace{10'000};
};

// Reads <PREFIX>_HOST, _PORT, _THREADS, _READ_TIMEOUT_MS, _WRITE_TIMEOUT_MS,
// _MAX_HEADER_BYTES, _MAX_BODY_BYTES, _SHUTDOWN_GRACE_MS. A process with one event loop of its
// own passes `single_loop` and has no _THREADS setting.
[[nodiscard]] ServerOptions ReadServerOptions(SettingsReader& reader, std::string_view prefix,
                                              std::uint16_t default_port, bool single_loop = false);

// The Prometheus listener's options (cli/metrics_listener.h): <PREFIX>_METRICS_HOST (loopback by
// default) and <PREFIX>_METRICS_PORT; one loop, no request bodies.
[[nodiscard]] ServerOptions ReadMetricsServerOptions(SettingsReader& reader,
                                                     std::string_view prefix,
                                                     std::uint16_t default_port);

}  // namespace codezero::http
