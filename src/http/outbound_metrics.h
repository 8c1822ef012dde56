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

}  // namespace codezero::http
