#include "http/outbound_metrics.h"

#include <array>

#include "metrics/registry.h"

namespace codezero::http {

void RecordOutboundCall(std::string_view service, int status,
                        std::chrono::steady_clock::duration took) {
  static constexpr std::array<std::string_view, 5> kClasses{"1xx", "2xx", "3xx", "4xx", "5xx"};
  const int hundreds = status / 100;
  const std::string_view status_class =
      hundreds >= 1 && hundreds <= 5 ? kClasses[static_cast<std::size_t>(hundreds - 1)] : "error";
  metrics::Default()
      .AddHistogram("codezero_outbound_request_duration_seconds",
                    "One try of a call to another service, by its answer's status class.",
                    {"service", "status_class"})
      .With({service, status_class})
      .Observe(std::chrono::duration<double>(took).count());
}

void RecordOutboundRetry(std::string_view service) {
  metrics::Default()
      .AddCounter("codezero_outbound_retries_total", "Tries of an outbound call after the first.",
                  {"service"})
      .With({service})
      .Inc();
}

}  // namespace codezero::http
