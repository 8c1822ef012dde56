#include "http/outbound_call.h"

#include <cstdint>

#include "http/outbound_metrics.h"
#include "tracing/traced_executor.h"

namespace codezero::http {

OutboundCall::OutboundCall(std::string_view service, std::string_view operation,
                           const boost::asio::any_io_executor& executor)
    : service_(service), started_(std::chrono::steady_clock::now()) {
  if (!tracing::Enabled()) return;
  std::string name(service);
  name += ' ';
  name += operation;
  span_ = tracing::StartChildSpan(executor, name, tracing::SpanKind::kClient);
  if (span_) {
    span_->SetAttribute("peer.service", std::string(service));
    span_->SetAttribute("codezero.outbound.operation", std::string(operation));
  }
}

std::string OutboundCall::traceparent() const {
  return span_ && span_->recording() ? span_->traceparent() : std::string();
}

void OutboundCall::Done(int status) {
  RecordOutboundCall(service_, status, std::chrono::steady_clock::now() - started_);
  if (!span_) return;
  if (service_ != "mail") {
    span_->SetAttribute("http.response.status_code", static_cast<std::int64_t>(status));
  } else {
    span_->SetAttribute("codezero.smtp.reply_code", static_cast<std::int64_t>(status));
  }
  if (status == 0 || status >= 500 || (service_ == "mail" && status >= 400)) {
    span_->SetError(status == 0 ? "no answer" : "answered " + std::to_string(status));
  }
  span_->End();
}

}  // namespace codezero::http
