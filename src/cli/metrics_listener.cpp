#include "cli/metrics_listener.h"

#include <string>

#include "common/build_info.h"
#include "common/log.h"
#include "http/pipeline.h"
#include "http/router.h"
#include "http/security_headers.h"
#include "metrics/process.h"
#include "metrics/registry.h"

namespace codezero::cli {

namespace asio = boost::asio;

void RegisterProcessMetrics(std::string_view process) {
  metrics::RegisterProcessMetrics(metrics::Default(), process, GetBuildInfo().version,
                                  GetBuildInfo().commit);
}

namespace {

http::Handler RenderMetrics() {
  return
      [](http::Request& request, http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
        http::Response response(http::Status::ok, request.version());
        response.set(http::Field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        response.body() = metrics::Default().Render();
        co_return response;
      };
}

}  // namespace

MetricsListener::MetricsListener(http::ServerOptions options) : options_(std::move(options)) {}

MetricsListener::~MetricsListener() {
  if (!thread_.joinable()) return;
  server_->Shutdown([this](bool) { loops_.ReleaseWork(); });
  thread_.join();
}

std::uint16_t MetricsListener::Start() {
  auto router = std::make_shared<http::Router>();
  router->Get("/metrics", RenderMetrics());
  std::vector<std::shared_ptr<const http::Pipeline>> pipelines{std::make_shared<http::Pipeline>(
      router, http::SecurityHeaders::ForApi(), nullptr, /*record_request_metrics=*/false)};
  server_ = std::make_unique<http::Server>(loops_, options_, pipelines);
  port_ = server_->Start();
  thread_ = std::thread([this] { loops_.Run(); });
  log::Info("metrics listening", {{"url", Url()}});
  return port_;
}

std::string MetricsListener::Url() const {
  return "http://" + options_.host + ":" + std::to_string(port_) + "/metrics";
}

}  // namespace codezero::cli
