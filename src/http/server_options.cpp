#include "http/server_options.h"

#include <boost/asio/ip/address.hpp>

#include "common/event_loops.h"

namespace codezero::http {

namespace {

// <name>_HOST (an IP address, loopback by default) and <name>_PORT into `options`.
void ReadAddress(SettingsReader& reader, const std::string& name, std::uint16_t default_port,
                 std::string host_help, std::string port_help, ServerOptions& options) {
  options.host = reader.String(
      {.name = name + "_HOST", .default_value = "127.0.0.1", .help = std::move(host_help)});
  boost::system::error_code ec;
  boost::asio::ip::make_address(options.host, ec);
  if (ec) reader.AddProblem(name + "_HOST", "'" + options.host + "' is not an IP address");
  options.port = reader.Port({.name = name + "_PORT",
                              .default_value = std::to_string(default_port),
                              .help = std::move(port_help)});
}

}  // namespace

ServerOptions ReadServerOptions(SettingsReader& reader, std::string_view prefix,
                                std::uint16_t default_port, bool single_loop) {
  const std::string p(prefix);
  ServerOptions options;
  ReadAddress(reader, p, default_port, "address to listen on (0.0.0.0 for all)",
              "TCP port to listen on (0: any free port)", options);
  if (single_loop) {
    options.threads = 1;
  } else {
    const std::int64_t threads = reader.Integer({.name = p + "_THREADS",
                                                 .default_value = "0",
                                                 .help = "event-loop threads (0: one per core)"},
                                                0, 256);
    options.threads = threads == 0 ? EventLoops::DefaultCount() : static_cast<std::size_t>(threads);
  }
  options.read_timeout = reader.Milliseconds(
      {.name = p + "_READ_TIMEOUT_MS",
       .default_value = "10000",
       .help = "a request (and a kept-alive connection's idle time) must arrive within this"},
      100, 600'000);
  options.write_timeout = reader.Milliseconds({.name = p + "_WRITE_TIMEOUT_MS",
                                               .default_value = "10000",
                                               .help = "a response must be sent within this"},
                                              100, 600'000);
  options.max_header_bytes =
      static_cast<std::size_t>(reader.Integer({.name = p + "_MAX_HEADER_BYTES",
                                               .default_value = "16384",
                                               .help = "larger request headers are answered 431"},
                                              1024, 1 << 20));
  options.max_body_bytes =
      static_cast<std::size_t>(reader.Integer({.name = p + "_MAX_BODY_BYTES",
                                               .default_value = "1048576",
                                               .help = "larger request bodies are answered 413"},
                                              0, 64 << 20));
  options.shutdown_grace =
      reader.Milliseconds({.name = p + "_SHUTDOWN_GRACE_MS",
                           .default_value = "10000",
                           .help = "on SIGTERM, how long in-flight requests may still take"},
                          0, 600'000);
  return options;
}

ServerOptions ReadMetricsServerOptions(SettingsReader& reader, std::string_view prefix,
                                       std::uint16_t default_port) {
  ServerOptions options;
  ReadAddress(reader, std::string(prefix) + "_METRICS", default_port,
              "address of the Prometheus endpoint /metrics (keep it off the public network)",
              "TCP port of /metrics (0: any free port)", options);
  options.threads = 1;
  options.max_body_bytes = 0;
  options.shutdown_grace = std::chrono::milliseconds(1000);
  return options;
}

}  // namespace codezero::http
