// `codezero api`: serves the REST API until SIGTERM or SIGINT, then drains and exits 0.
#include <boost/asio/post.hpp>

#include "api/api_service.h"
#include "cli/command.h"
#include "cli/serve.h"
#include "common/build_info.h"
#include "common/event_loops.h"
#include "common/log.h"
#include "http/curl_client.h"
#include "http/server.h"
#include "stripe/client.h"

namespace codezero::cli {

void DescribeApiSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)ReadTracingSettings(reader, "codezero-api");
  (void)ReadErrorReportSettings(reader, "api");
  (void)api::ReadApiSettings(reader);
}

int RunApiCommand(std::span<char* const>) {
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  const api::ApiSettings settings = api::ReadApiSettings(reader);
  tracing::TracingSettings tracing_settings = ReadTracingSettings(reader, "codezero-api");
  error_reports::SentrySettings sentry_settings = ReadErrorReportSettings(reader, "api");
  if (ReportSettingsProblems("api", reader)) return kExitUsage;
  tracing::Start(std::move(tracing_settings));
  error_reports::Start(std::move(sentry_settings));
  if (settings.vies_required && !settings.vies) {
    log::Warn(
        "VIES_REQUIRED is on but VIES_URL is not set: no VAT ID can be confirmed, so "
        "businesses in other member states are charged their VAT (oss), none reverse "
        "charged");
  }

  EventLoops loops(settings.server.threads);
  auth::PasswordHasher hasher(settings.password_policy, settings.password_threads,
                              settings.password_queue);
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
  return Serve("api", loops, server, settings.server, settings.metrics_server,
               {.started =
                    [&](std::uint16_t port) {
                      log::Info("api listening", {{"url", "http://" + settings.server.host + ":" +
                                                              std::to_string(port)},
                                                  {"threads", loops.size()},
                                                  {"version", GetBuildInfo().version},
                                                  {"commit", GetBuildInfo().commit}});
                    },
                .close =
                    [&] {
                      for (std::size_t i = 0; i < loops.size(); ++i) {
                        boost::asio::post(loops[i], [&api_loops, i] { api_loops[i]->Close(); });
                      }
                    }});
}

}  // namespace codezero::cli
