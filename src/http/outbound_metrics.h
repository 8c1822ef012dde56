// codezero_outbound_request_duration_seconds{service,status_class} and
// codezero_outbound_retries_total{service} (docs/metrics.md): each try of a call to another
// service (Stripe, VIES, the provisioning endpoint, the mail relay), timed and classed by its
// answer, so a dashboard shows whose slowness or errors customers feel.
#pragma once

#include <chrono>
#include <string_view>

namespace codezero::http {

// `status`: the HTTP status (or an SMTP-like code mapped by the caller), 0 when no answer came.
void RecordOutboundCall(std::string_view service, int status,
                        std::chrono::steady_clock::duration took);
void RecordOutboundRetry(std::string_view service);

// Times one try from construction to Done().
class OutboundTimer {
 public:
  explicit OutboundTimer(std::string_view service)
      : service_(service), started_(std::chrono::steady_clock::now()) {}
  void Done(int status) const {
    RecordOutboundCall(service_, status, std::chrono::steady_clock::now() - started_);
  }

 private:
  std::string_view service_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace codezero::http
