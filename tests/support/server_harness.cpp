#include "support/server_harness.h"

#include "http/pipeline.h"
#include "http/security_headers.h"

namespace codezero::testing {

ServerHarness::ServerHarness(RouteSetup setup, http::ServerOptions options)
    : ServerHarness(std::move(options), [setup](boost::asio::io_context& loop) {
        auto router = std::make_shared<http::Router>();
        setup(*router, loop);
        return std::make_shared<const http::Pipeline>(router, http::SecurityHeaders::ForApi());
      }) {}

ServerHarness::ServerHarness(http::ServerOptions options, PipelineFactory factory)
    : stopped_future_(stopped_.get_future().share()) {
  options.port = 0;
  options.host = "127.0.0.1";
  if (options.threads == 0) options.threads = 1;
  loops_ = std::make_unique<EventLoops>(options.threads);
  std::vector<std::shared_ptr<const http::Pipeline>> pipelines;
  for (std::size_t i = 0; i < loops_->size(); ++i) pipelines.push_back(factory((*loops_)[i]));
  server_ = std::make_unique<http::Server>(*loops_, options, pipelines);
  port_ = server_->Start();
  thread_ = std::thread([this] { loops_->Run(); });
}

std::shared_future<bool> ServerHarness::Shutdown() {
  if (!shutdown_requested_.exchange(true)) {
    server_->Shutdown([this](bool clean) {
      loops_->ReleaseWork();
      stopped_.set_value(clean);
    });
  }
  return stopped_future_;
}

void ServerHarness::Stop() {
  if (!thread_.joinable()) return;
  Shutdown();
  (void)stopped_future_.wait_for(std::chrono::seconds(20));
  loops_->Stop();
  thread_.join();
}

ServerHarness::~ServerHarness() { Stop(); }

}  // namespace codezero::testing
