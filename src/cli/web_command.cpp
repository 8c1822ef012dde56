// `codezero web`: serves the public website until SIGTERM or SIGINT, then drains and exits 0.
#include <boost/asio/post.hpp>

#include "cli/command.h"
#include "cli/serve.h"
#include "common/build_info.h"
#include "common/event_loops.h"
#include "common/log.h"
#include "http/curl_client.h"
#include "http/server.h"
#include "web/web_service.h"

namespace codezero::cli {

void DescribeWebSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)ReadTracingSettings(reader, "codezero-web");
  (void)ReadErrorReportSettings(reader, "web");
  (void)web::ReadWebSettings(reader);
}

int RunWebCommand(std::span<char* const>) {
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  const web::WebSettings settings = web::ReadWebSettings(reader);
  tracing::TracingSettings tracing_settings = ReadTracingSettings(reader, "codezero-web");
  error_reports::SentrySettings sentry_settings = ReadErrorReportSettings(reader, "web");
  if (ReportSettingsProblems("web", reader)) return kExitUsage;
  tracing::Start(std::move(tracing_settings));
  error_reports::Start(std::move(sentry_settings));

  // Templates, translations and assets are checked here, before anything listens: a broken
  // build fails at start, not on a visitor's first request.
  const web::Translations translations;
  const web::Assets assets;
  EventLoops loops(settings.server.threads);
  // Declared after the loops: destroyed before them (transfers still running fail then).
  http::CurlClient curl;
  std::vector<std::unique_ptr<web::WebLoop>> web_loops;
  std::vector<std::shared_ptr<const http::Pipeline>> pipelines;
  for (std::size_t i = 0; i < loops.size(); ++i) {
    web_loops.push_back(std::make_unique<web::WebLoop>(
        loops[i].get_executor(), settings,
        web::WebShared{.assets = assets, .translations = translations, .curl = curl}));
    pipelines.push_back(web_loops.back()->pipeline());
  }

  http::Server server(loops, settings.server, pipelines);
  return Serve("web", loops, server, settings.server, settings.metrics_server,
               {.started =
                    [&](std::uint16_t port) {
                      for (std::size_t i = 0; i < loops.size(); ++i) {
                        boost::asio::post(loops[i], [&web_loops, i] { web_loops[i]->Start(); });
                      }
                      log::Info("web listening", {{"url", "http://" + settings.server.host + ":" +
                                                              std::to_string(port)},
                                                  {"public_url", settings.public_url},
                                                  {"api", settings.api.base_url},
                                                  {"threads", loops.size()},
                                                  {"version", GetBuildInfo().version},
                                                  {"commit", GetBuildInfo().commit}});
                    },
                .close =
                    [&] {
                      for (std::size_t i = 0; i < loops.size(); ++i) {
                        boost::asio::post(loops[i], [&web_loops, i] { web_loops[i]->Close(); });
                      }
                    }});
}

}  // namespace codezero::cli
