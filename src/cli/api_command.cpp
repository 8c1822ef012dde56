// `codezero api`: serves the REST API until SIGTERM or SIGINT, then drains and exits 0.
#include <csignal>
#include <iostream>
#include <system_error>

#include <boost/asio/signal_set.hpp>

#include "api/api_service.h"
#include "cli/command.h"
#include "common/build_info.h"
#include "common/event_loops.h"
#include "common/log.h"
#include "http/curl_client.h"
#include "http/server.h"
#include "stripe/client.h"

namespace codezero::cli {

void DescribeApiSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)api::ReadApiSettings(reader);
}

int RunApiCommand(std::span<char* const>) {
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  const api::ApiSettings settings = api::ReadApiSettings(reader);
  if (ReportSettingsProblems("api", reader)) return kExitUsage;

  EventLoops loops(settings.server.threads);
  auth::PasswordHasher hasher(settings.password_policy, settings.password_threads);
  // Declared after the loops: destroyed before them (transfers still running fail then).
  http::CurlClient curl;
  stripe::Client stripe(curl, settings.stripe);
  std::vector<std::unique_ptr<api::ApiLoop>> api_loops;
  std::vector<std::shared_ptr<const http::Pipeline>> pipelines;
  for (std::size_t i = 0; i < loops.size(); ++i) {
    api_loops.push_back(
        std::make_unique<api::ApiLoop>(loops[i].get_executor(), settings, loops.size(),
                                       api::ApiShared{.hasher = hasher, .stripe = stripe}));
    pipelines.push_back(api_loops.back()->pipeline());
  }

  http::Server server(loops, settings.server, pipelines);
  std::uint16_t port = 0;
  try {
    port = server.Start();
  } catch (const std::system_error& e) {
    log::Error(
        "cannot listen",
        {{"host", settings.server.host}, {"port", settings.server.port}, {"error", e.what()}});
    return kExitFailure;
  }
  log::Info("api listening",
            {{"url", "http://" + settings.server.host + ":" + std::to_string(port)},
             {"threads", loops.size()},
             {"version", GetBuildInfo().version},
             {"commit", GetBuildInfo().commit}});

  boost::asio::signal_set signals(loops[0], SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    log::Info("signal received", {{"signal", signal}});
    server.Shutdown([&](bool clean) {
      for (std::size_t i = 0; i < loops.size(); ++i) {
        boost::asio::post(loops[i], [&api_loops, i] { api_loops[i]->Close(); });
      }
      loops.ReleaseWork();
      if (!clean) loops.Stop();
      log::Info("api stopped", {{"clean", clean}});
    });
  });

  loops.Run();
  return kExitOk;
}

}  // namespace codezero::cli
