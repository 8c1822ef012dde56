// RED metrics of a listener, per route template (never per raw path, which would make a series
// per order id): http_server_requests_total{method,route,status_class},
// http_server_request_duration_seconds{method,route} and http_server_requests_in_flight
// (docs/metrics.md). A route's series are made when it is first answered (a route never called
// adds nothing to the exposition) and then kept per route, so a request costs a hash lookup and
// a few relaxed atomic operations.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <unordered_map>

#include "http/message.h"
#include "http/router.h"
#include "metrics/registry.h"

namespace codezero::http {

class RequestMetrics {
 public:
  explicit RequestMetrics(const Router& router);

  // Counts a request in flight until the guard goes, however handling it ends (an exception
  // included).
  class InFlight {
   public:
    explicit InFlight(const RequestMetrics* metrics)
        : gauge_(metrics ? &metrics->in_flight_ : nullptr) {
      if (gauge_ != nullptr) gauge_->Add(1);
    }
    ~InFlight() {
      if (gauge_ != nullptr) gauge_->Add(-1);
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    metrics::Gauge* gauge_;
  };

  // `match.route` is null for a request that matched no route (route="unmatched").
  void Finished(const Router::Match& match, Verb method, unsigned status,
                std::chrono::steady_clock::duration took) const;

 private:
  // Filled in at first use; a pipeline may serve several loops, hence the atomics (two threads
  // filling one in at once store the same pointer).
  struct Series {
    std::array<std::atomic<metrics::Counter*>, 5> by_status_class{};  // 1xx … 5xx
    std::atomic<metrics::Histogram*> duration{nullptr};
  };

  // By the route's own method; a HEAD answered by a GET route is looked up each time.
  std::unordered_map<const RouteEntry*, std::unique_ptr<Series>> routes_;
  metrics::Gauge& in_flight_;
};

// "GET", "POST", … for the standard methods, "OTHER" for anything else.
[[nodiscard]] std::string_view MethodLabel(Verb method);

}  // namespace codezero::http
