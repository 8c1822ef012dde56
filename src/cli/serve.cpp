#include "cli/serve.h"

#include <csignal>
#include <stdexcept>
#include <string>

#include <boost/asio/signal_set.hpp>

#include "cli/command.h"
#include "cli/metrics_listener.h"

namespace codezero::cli {

int Serve(std::string_view name, EventLoops& loops, http::Server& server,
          const http::ServerOptions& options, const http::ServerOptions& metrics_options,
          ServeHooks hooks) {
  RegisterProcessMetrics(name);
  MetricsListener metrics(metrics_options);
  try {
    metrics.Start();
  } catch (const std::runtime_error& e) {  // std:: and boost::system::system_error
    log::Error(
        "cannot listen for metrics",
        {{"host", metrics_options.host}, {"port", metrics_options.port}, {"error", e.what()}});
    return kExitFailure;
  }
  std::uint16_t port = 0;
  try {
    port = server.Start();
  } catch (const std::runtime_error& e) {  // std:: and boost::system::system_error
    log::Error("cannot listen",
               {{"host", options.host}, {"port", options.port}, {"error", e.what()}});
    return kExitFailure;
  }
  if (hooks.started) hooks.started(port);

  const std::string stopped = std::string(name) + " stopped";
  boost::asio::signal_set signals(loops[0], SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    log::Info("signal received", {{"signal", signal}});
    server.Shutdown([&](bool clean) {
      if (hooks.close) hooks.close();
      loops.ReleaseWork();
      if (!clean) loops.Stop();
      log::Info(stopped, {{"clean", clean}});
    });
  });

  loops.Run();
  tracing::Shutdown();  // the spans still queued go out now
  error_reports::Shutdown();
  return kExitOk;
}

}  // namespace codezero::cli
