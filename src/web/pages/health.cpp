// Liveness and readiness of `codezero web`, for load balancers:
//   GET /healthz  200 while the process serves requests
//   GET /readyz   200 when the catalog is loaded and the API answers; 503 otherwise (Redis is
//                 reported but not required: without it pages are only slower)
#include <boost/json/value.hpp>

#include "http/json_body.h"
#include "metrics/registry.h"
#include "web/pages/pages.h"

namespace codezero::web {

namespace asio = boost::asio;

void AddWebHealthRoutes(http::Router& router, Site& site) {
  router.Get(
      "/healthz",
      [](http::Request& request, http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
        static const boost::json::value kOk = {{"status", "ok"}};
        co_return http::JsonResponse(http::Status::ok, kOk, request.version());
      });
  router.Get(
      "/readyz",
      [&site](http::Request& request,
              http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
        const bool api = co_await site.api().Ready();
        auto catalogs = co_await site.catalogs().Current();
        const bool ready = api && catalogs.has_value();
        // codezero_ready{dependency} (docs/metrics.md); Redis is not required here.
        auto& gauge = metrics::Default().AddGauge(
            "codezero_ready", "1 when the last readiness check reached the dependency, else 0.",
            {"dependency"});
        gauge.With({"api"}).Set(api ? 1 : 0);
        gauge.With({"catalog"}).Set(catalogs ? 1 : 0);
        const boost::json::value body = {
            {"status", ready ? "ok" : "unavailable"},
            {"checks",
             {{"api", api ? "ok" : "unavailable"},
              {"catalog", catalogs ? "ok" : "unavailable"},
              {"redis", site.cache().connected() ? "ok" : "unavailable"}}}};
        co_return http::JsonResponse(ready ? http::Status::ok : http::Status::service_unavailable,
                                     body, request.version());
      });
}

}  // namespace codezero::web
