// `codezero stripe-fake`: the local stand-in for api.stripe.com (docs/stripe-fake.md), until
// SIGTERM or SIGINT; then it drains, saves its state file and exits 0.
#include <csignal>
#include <system_error>

#include <boost/asio/signal_set.hpp>

#include "cli/command.h"
#include "common/event_loops.h"
#include "common/log.h"
#include "http/server.h"
#include "stripe_fake/service.h"
#include "stripe_fake/settings.h"

namespace codezero::cli {

void DescribeStripeFakeSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)stripe_fake::ReadFakeSettings(reader);
}

int RunStripeFakeCommand(std::span<char* const>) {
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  stripe_fake::FakeSettings settings = stripe_fake::ReadFakeSettings(reader);
  if (ReportSettingsProblems("stripe-fake", reader)) return kExitUsage;

  EventLoops loops(1);
  std::unique_ptr<stripe_fake::StripeFake> fake;
  try {
    fake = std::make_unique<stripe_fake::StripeFake>(loops[0].get_executor(), settings);
  } catch (const std::exception& e) {
    log::Error("cannot start the stripe stand-in", {{"error", e.what()}});
    return kExitFailure;
  }
  http::Server server(loops, settings.server, {fake->pipeline()});
  std::uint16_t port = 0;
  try {
    port = server.Start();
  } catch (const std::system_error& e) {
    log::Error(
        "cannot listen",
        {{"host", settings.server.host}, {"port", settings.server.port}, {"error", e.what()}});
    return kExitFailure;
  }
  // Listening on every address, the pages are still reached through loopback by default.
  const std::string page_host = settings.server.host == "0.0.0.0" || settings.server.host == "::"
                                    ? "127.0.0.1"
                                    : settings.server.host;
  const std::string base = "http://" + page_host + ":" + std::to_string(port);
  if (settings.public_url.empty()) fake->SetPublicUrl(base);
  fake->Start();
  log::Info("stripe-fake listening", {{"url", base},
                                      {"public_url", fake->public_url()},
                                      {"webhook_endpoints", settings.webhook_endpoints.size()},
                                      {"time_factor", settings.time_factor}});

  boost::asio::signal_set signals(loops[0], SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    log::Info("signal received", {{"signal", signal}});
    server.Shutdown([&](bool clean) {
      fake->Close();
      loops.ReleaseWork();
      if (!clean) loops.Stop();
      log::Info("stripe-fake stopped", {{"clean", clean}});
    });
  });

  loops.Run();
  return kExitOk;
}

}  // namespace codezero::cli
