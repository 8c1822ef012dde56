#include "http/request_metrics.h"

namespace codezero::http {
namespace {

metrics::Family<metrics::Counter>& RequestsTotal() {
  return metrics::Default().AddCounter("http_server_requests_total",
                                       "Requests answered, by route template and status class.",
                                       {"method", "route", "status_class"});
}

metrics::Family<metrics::Histogram>& RequestDuration() {
  return metrics::Default().AddHistogram(
      "http_server_request_duration_seconds",
      "Time from a request read to its answer written, by route template.", {"method", "route"});
}

constexpr std::array<std::string_view, 5> kStatusClasses{"1xx", "2xx", "3xx", "4xx", "5xx"};

std::size_t StatusClassIndex(unsigned status) {
  const unsigned hundreds = status / 100;
  return hundreds >= 1 && hundreds <= 5 ? hundreds - 1 : 4;
}

constexpr std::string_view kUnmatched = "unmatched";

}  // namespace

std::string_view MethodLabel(Verb method) {
  switch (method) {
    case Verb::get:
      return "GET";
    case Verb::head:
      return "HEAD";
    case Verb::post:
      return "POST";
    case Verb::put:
      return "PUT";
    case Verb::patch:
      return "PATCH";
    case Verb::delete_:
      return "DELETE";
    case Verb::options:
      return "OPTIONS";
    default:
      return "OTHER";
  }
}

RequestMetrics::RequestMetrics(const Router& router)
    : in_flight_(metrics::Default()
                     .AddGauge("http_server_requests_in_flight", "Requests being handled now.")
                     .With({})) {
  for (const RouteEntry* route : router.Routes()) {
    routes_.emplace(route, std::make_unique<Series>());
  }
}

void RequestMetrics::Finished(const Router::Match& match, Verb method, unsigned status,
                              std::chrono::steady_clock::duration took) const {
  const double seconds = std::chrono::duration<double>(took).count();
  const std::size_t status_class = StatusClassIndex(status);
  if (match.route != nullptr && match.route->method == method) {
    const auto found = routes_.find(match.route);
    if (found != routes_.end()) {
      Series& series = *found->second;
      const std::string_view method_label = MethodLabel(method);
      metrics::Counter* counter =
          series.by_status_class[status_class].load(std::memory_order_acquire);
      if (counter == nullptr) {
        counter = &RequestsTotal().With(
            {method_label, match.route->pattern, kStatusClasses[status_class]});
        series.by_status_class[status_class].store(counter, std::memory_order_release);
      }
      metrics::Histogram* duration = series.duration.load(std::memory_order_acquire);
      if (duration == nullptr) {
        duration = &RequestDuration().With({method_label, match.route->pattern});
        series.duration.store(duration, std::memory_order_release);
      }
      counter->Inc();
      duration->Observe(seconds);
      return;
    }
  }
  // HEAD answered by a GET route, a 405, or no route at all: rarer, looked up each time.
  const std::string_view route =
      match.route != nullptr ? std::string_view(match.route->pattern) : kUnmatched;
  const std::string_view method_label = MethodLabel(method);
  RequestsTotal().With({method_label, route, kStatusClasses[status_class]}).Inc();
  RequestDuration().With({method_label, route}).Observe(seconds);
}

}  // namespace codezero::http
