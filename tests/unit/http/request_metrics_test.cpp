#include "http/request_metrics.h"

#include <string>

#include <gtest/gtest.h>

#include "http/router.h"
#include "metrics/registry.h"

namespace codezero::http {
namespace {

// The value of one series line of the process registry ("name{labels}"), or -1 when absent.
double ValueOf(const std::string& series) {
  const std::string text = metrics::Default().Render();
  const std::size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

Handler Nothing() {
  return [](Request&, RequestContext&) -> boost::asio::awaitable<Result<Response>> {
    co_return Response(Status::ok, 11);
  };
}

TEST(RequestMetrics, CountsByRouteTemplateNeverByRawPath) {
  Router router;
  router.Get("/test-metrics/orders/{id}", Nothing());
  const RequestMetrics request_metrics(router);
  std::vector<PathParam> params;

  for (const char* path : {"/test-metrics/orders/1", "/test-metrics/orders/2"}) {
    const Router::Match match = router.Find(Verb::get, path, params);
    request_metrics.Finished(match, Verb::get, 200, std::chrono::microseconds(300));
  }
  const Router::Match failed = router.Find(Verb::get, "/test-metrics/orders/3", params);
  request_metrics.Finished(failed, Verb::get, 503, std::chrono::milliseconds(2));

  EXPECT_EQ(
      ValueOf(
          R"(http_server_requests_total{method="GET",route="/test-metrics/orders/{id}",status_class="2xx"})"),
      2);
  EXPECT_EQ(
      ValueOf(
          R"(http_server_requests_total{method="GET",route="/test-metrics/orders/{id}",status_class="5xx"})"),
      1);
  EXPECT_EQ(
      ValueOf(
          R"(http_server_request_duration_seconds_bucket{method="GET",route="/test-metrics/orders/{id}",le="0.0005"})"),
      2);
  EXPECT_EQ(
      ValueOf(
          R"(http_server_request_duration_seconds_count{method="GET",route="/test-metrics/orders/{id}"})"),
      3);
  EXPECT_EQ(metrics::Default().Render().find("/test-metrics/orders/1"), std::string::npos);
}

TEST(RequestMetrics, AnUnknownPathIsUnmatchedAndHeadKeepsItsMethod) {
  Router router;
  router.Get("/test-metrics/head", Nothing());
  const RequestMetrics request_metrics(router);
  std::vector<PathParam> params;

  const double unmatched_before = std::max(
      0.0,
      ValueOf(
          R"(http_server_requests_total{method="OTHER",route="unmatched",status_class="4xx"})"));
  const Router::Match none = router.Find(Verb::get, "/test-metrics/secret-token-abc", params);
  request_metrics.Finished(none, Verb::propfind, 404, std::chrono::microseconds(50));
  const Router::Match head = router.Find(Verb::head, "/test-metrics/head", params);
  request_metrics.Finished(head, Verb::head, 200, std::chrono::microseconds(50));

  EXPECT_EQ(
      ValueOf(R"(http_server_requests_total{method="OTHER",route="unmatched",status_class="4xx"})"),
      unmatched_before + 1);
  EXPECT_EQ(
      ValueOf(
          R"(http_server_requests_total{method="HEAD",route="/test-metrics/head",status_class="2xx"})"),
      1);
  EXPECT_EQ(metrics::Default().Render().find("secret-token-abc"), std::string::npos);
}

}  // namespace
}  // namespace codezero::http
