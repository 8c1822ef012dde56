#include "http/outbound_call.h"

#include <cstdint>

#include "http/outbound_metrics.h"
#include "tracing/traced_executor.h"

namespace codezero::http {

OutboundCall::OutboundCall(std::string_view service, std::string_view operation,
                           const boost::asio::any_io_executor& executor, Protocol protocol)
    : service_(service), protocol_(protocol), started_(std::chrono::steady_clock::now()) {
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

void OutboundCall::Propagate(OutboundRequest& request) const {
  if (span_ && span_->recording())
    request.headers.emplace_back("traceparent", span_->traceparent());
}

void OutboundCall::Done(int status) {
  RecordOutboundCall(service_, status, std::chrono::steady_clock::now() - started_);
  if (!span_) return;
  const bool smtp = protocol_ == Protocol::kSmtp;
  span_->SetAttribute(smtp ? "codezero.smtp.reply_code" : "http.response.status_code",
                      static_cast<std::int64_t>(status));
  if (status == 0 || status >= (smtp ? 400 : 500)) {
    span_->SetError(status == 0 ? "no answer" : "answered " + std::to_string(status));
  }
  span_->End();
}

}  // namespace codezero::http
