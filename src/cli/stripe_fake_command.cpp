// `codezero stripe-fake`: the local stand-in for api.stripe.com (docs/stripe-fake.md), until
// SIGTERM or SIGINT; then it drains, saves its state file and exits 0.
#include "cli/command.h"
#include "cli/serve.h"
#include "common/event_loops.h"
#include "common/log.h"
#include "stripe_fake/service.h"
#include "stripe_fake/settings.h"

namespace codezero::cli {

void DescribeStripeFakeSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)ReadTracingSettings(reader, "codezero-stripe-fake");
  (void)ReadErrorReportSettings(reader, "stripe-fake");
  (void)stripe_fake::ReadFakeSettings(reader);
}

int RunStripeFakeCommand(std::span<char* const>) {
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  stripe_fake::FakeSettings settings = stripe_fake::ReadFakeSettings(reader);
  tracing::TracingSettings tracing_settings = ReadTracingSettings(reader, "codezero-stripe-fake");
  error_reports::SentrySettings sentry_settings = ReadErrorReportSettings(reader, "stripe-fake");
  if (ReportSettingsProblems("stripe-fake", reader)) return kExitUsage;
  tracing::Start(std::move(tracing_settings));
  error_reports::Start(std::move(sentry_settings));

  EventLoops loops(1);
  std::unique_ptr<stripe_fake::StripeFake> fake;
  try {
    fake = std::make_unique<stripe_fake::StripeFake>(loops[0].get_executor(), settings);
  } catch (const std::exception& e) {
    log::Error("cannot start the stripe stand-in", {{"error", e.what()}});
    return kExitFailure;
  }
  http::Server server(loops, settings.server, {fake->pipeline()});
  return Serve("stripe-fake", loops, server, settings.server, settings.metrics_server,
               {.started =
                    [&](std::uint16_t port) {
                      // Listening on every address, the pages are still reached through
                      // loopback by default.
                      const std::string page_host =
                          settings.server.host == "0.0.0.0" || settings.server.host == "::"
                              ? "127.0.0.1"
                              : settings.server.host;
                      const std::string base = "http://" + page_host + ":" + std::to_string(port);
                      if (settings.public_url.empty()) fake->SetPublicUrl(base);
                      fake->Start();
                      log::Info("stripe-fake listening",
                                {{"url", base},
                                 {"public_url", fake->public_url()},
                                 {"webhook_endpoints", settings.webhook_endpoints.size()},
                                 {"time_factor", settings.time_factor}});
                    },
                .close = [&] { fake->Close(); }});
}

}  // namespace codezero::cli
