#include "api/routes/health.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value.hpp>

#include "common/build_info.h"
#include "http/json_body.h"
#include "metrics/registry.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

constexpr db::Statement kPing{"health_ping", "SELECT 1"};

// "ok", or why not.
asio::awaitable<std::string> CheckPostgres(db::Pool& pool, std::chrono::milliseconds timeout) {
  auto connection = co_await pool.Acquire(timeout);
  if (!connection) co_return "unavailable";
  auto rows = co_await (*connection)->Execute(kPing);
  co_return rows ? "ok" : "unavailable";
}

asio::awaitable<std::string> CheckRedis(redis::Client& cache) {
  auto pong = co_await cache.Ping();
  if (pong) co_return "ok";
  co_return pong.error().code == ErrorCode::kTimeout ? "timeout" : "unavailable";
}

// Runs `check` with a deadline: "timeout" when it takes longer.
asio::awaitable<std::string> WithDeadline(asio::awaitable<std::string> check,
                                          std::chrono::milliseconds timeout) {
  asio::steady_timer timer(co_await asio::this_coro::executor, timeout);
  auto outcome =
      co_await (std::move(check) || timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (outcome.index() == 1) co_return "timeout";
  co_return std::get<0>(std::move(outcome));
}

// codezero_ready{dependency} (docs/metrics.md), as the last readiness check found it.
void RecordReadiness(bool postgres, bool redis) {
  auto& family = metrics::Default().AddGauge(
      "codezero_ready", "1 when the last readiness check reached the dependency, else 0.",
      {"dependency"});
  family.With({"postgres"}).Set(postgres ? 1 : 0);
  family.With({"redis"}).Set(redis ? 1 : 0);
}

}  // namespace

void AddLivenessRoute(http::Router& router) {
  router.Add(
      http::Verb::get, "/healthz",
      [](http::Request& request, http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
        static const boost::json::value kOk = {{"status", "ok"}};
        co_return http::JsonResponse(http::Status::ok, kOk, request.version());
      },
      {.name = "getLiveness"});
}

void AddHealthRoutes(http::Router& router, HealthDependencies deps) {
  AddLivenessRoute(router);

  router.Add(
      http::Verb::get, "/readyz",
      [deps](http::Request& request,
             http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
        auto [postgres, redis] = co_await (
            WithDeadline(CheckPostgres(deps.database, deps.check_timeout), deps.check_timeout) &&
            WithDeadline(CheckRedis(deps.cache), deps.check_timeout));
        const bool ready = postgres == "ok" && redis == "ok";
        RecordReadiness(postgres == "ok", redis == "ok");
        boost::json::object body{
            {"status", ready ? "ok" : "unavailable"},
            {"checks", boost::json::object{{"postgres", postgres}, {"redis", redis}}}};
        co_return http::JsonResponse(ready ? http::Status::ok : http::Status::service_unavailable,
                                     body, request.version());
      },
      {.name = "getReadiness"});

  router.Add(
      http::Verb::get, "/version",
      [](http::Request& request, http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
        const BuildInfo& info = GetBuildInfo();
        co_return http::JsonResponse(
            http::Status::ok,
            boost::json::object{
                {"version", info.version}, {"commit", info.commit}, {"built_at", info.built_at}},
            request.version());
      },
      {.name = "getVersion"});
}

}  // namespace codezero::api
