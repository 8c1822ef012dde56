// One finished span as OpenTelemetry describes it
// (https://opentelemetry.io/docs/specs/otel/trace/api/#span): ids, name, kind, times,
// attributes and status. Attributes never hold parameter values, e-mail addresses, tokens or
// raw paths with ids: route templates, statement names, job kinds, status codes.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace codezero::tracing {

// The numbers are OTLP's SpanKind.
enum class SpanKind { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };

using AttributeValue = std::variant<std::string, std::int64_t, bool, double>;

struct Attribute {
  std::string key;
  AttributeValue value;
};

struct SpanData {
  std::string trace_id;        // 32 lowercase hex characters
  std::string span_id;         // 16 lowercase hex characters
  std::string parent_span_id;  // 16, or empty for a root span
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  std::uint64_t start_unix_nano = 0;
  std::uint64_t end_unix_nano = 0;
  std::vector<Attribute> attributes;
  bool error = false;          // OTLP status ERROR; otherwise UNSET
  std::string status_message;  // with `error`: what went wrong, without personal data
};

}  // namespace codezero::tracing
