// Spans as an OTLP ExportTraceServiceRequest in protobuf's binary encoding, the body of an
// OTLP/HTTP POST to /v1/traces with `Content-Type: application/x-protobuf`
// (https://opentelemetry.io/docs/specs/otlp/#otlphttp; the message definitions are
// opentelemetry/proto/trace/v1/trace.proto and collector/trace/v1/trace_service.proto). Written
// by hand: the schema is small and fixed, and it spares the build a protobuf compiler.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "tracing/span_data.h"

namespace codezero::tracing {

struct Resource {
  std::vector<std::pair<std::string, std::string>> attributes;  // service.name, service.version, …
};

[[nodiscard]] std::string EncodeExportRequest(const Resource& resource,
                                              std::span<const SpanData> spans);

}  // namespace codezero::tracing
