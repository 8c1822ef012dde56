// One finished span as OpenTelemetry describes it
// (https://opentelemetry.io/docs/specs/otel/trace/api/#span): ids, name, kind, times,
// attributes and status. Attributes never hold parameter values, e-mail addresses, tokens or
// raw paths with ids: route templates, statement names, job kinds, status codes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace codezero::tracing {

// The numbers are OTLP's SpanKind.
enum class SpanKind { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };

using AttributeValue = std::variant<std::string, std::int64_t, bool, double>;

// A span's attribute. Its key is a literal of the code (static storage), so recording one
// copies no key.
struct Attribute {
  std::string_view key;
  AttributeValue value;
};

// Ids as lowercase hex, in fixed arrays: making a span's context allocates nothing.
using TraceId = std::array<char, 32>;
using SpanId = std::array<char, 16>;

struct SpanData {
  TraceId trace_id{};
  SpanId span_id{};
  SpanId parent_span_id{};
  bool has_parent = false;  // false: a root span
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  std::uint64_t start_unix_nano = 0;
  std::uint64_t end_unix_nano = 0;
  std::vector<Attribute> attributes;
  bool error = false;          // OTLP status ERROR; otherwise UNSET
  std::string status_message;  // with `error`: what went wrong, without personal data
};

}  // namespace codezero::tracing
