#include "http/server_span.h"

#include <chrono>

#include "http/request_metrics.h"

namespace codezero::http {

void ExportServerSpan(const RequestContext& context, const Router::Match& match, Verb method,
                      unsigned status) {
  if (!context.span.sampled || !tracing::Enabled()) return;
  const auto took = std::chrono::steady_clock::now() - context.started;
  tracing::SpanData span;
  span.trace_id = context.span.trace_id;
  span.span_id = context.span.span_id;
  if (context.parent_span) {
    span.parent_span_id = context.parent_span->span_id;
    span.has_parent = true;
  }
  span.kind = tracing::SpanKind::kServer;
  span.end_unix_nano = tracing::NowUnixNano();
  span.start_unix_nano =
      span.end_unix_nano - static_cast<std::uint64_t>(
                               std::chrono::duration_cast<std::chrono::nanoseconds>(took).count());
  const std::string_view method_label = MethodLabel(method);
  const std::string route = match.route != nullptr ? match.route->pattern : "unmatched";
  span.name = std::string(method_label) + " " + route;
  span.attributes.reserve(4);
  span.attributes.push_back({"http.request.method", std::string(method_label)});
  span.attributes.push_back({"http.route", route});
  span.attributes.push_back({"http.response.status_code", static_cast<std::int64_t>(status)});
  span.attributes.push_back({"codezero.request_id", context.request_id});
  if (status >= 500) {
    span.error = true;
    span.status_message = "answered " + std::to_string(status);
  }
  tracing::Export(std::move(span));
}

}  // namespace codezero::http
