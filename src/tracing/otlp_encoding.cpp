#include "tracing/otlp_encoding.h"

#include <cstring>

namespace codezero::tracing {
namespace {

// Protobuf wire types (https://protobuf.dev/programming-guides/encoding/).
enum WireType : unsigned { kVarint = 0, kFixed64 = 1, kLength = 2 };

void PutVarint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

void PutTag(std::string& out, unsigned field, WireType type) {
  PutVarint(out, (field << 3) | type);
}

void PutFixed64(std::string& out, unsigned field, std::uint64_t value) {
  PutTag(out, field, kFixed64);
  for (int i = 0; i < 8; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

void PutBytes(std::string& out, unsigned field, std::string_view bytes) {
  PutTag(out, field, kLength);
  PutVarint(out, bytes.size());
  out.append(bytes);
}

void PutVarintField(std::string& out, unsigned field, std::uint64_t value) {
  PutTag(out, field, kVarint);
  PutVarint(out, value);
}

// "0a1b…" as the bytes it spells; empty when it is not even-length hex.
std::string HexToBytes(std::string_view hex) {
  if (hex.size() % 2 != 0) return {};
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return {};
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

// AnyValue: string_value = 1, bool_value = 2, int_value = 3, double_value = 4.
std::string AnyValue(const AttributeValue& value) {
  std::string out;
  if (const auto* text = std::get_if<std::string>(&value)) {
    PutBytes(out, 1, *text);
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    PutVarintField(out, 2, *flag ? 1 : 0);
  } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
    PutVarintField(out, 3, static_cast<std::uint64_t>(*number));
  } else if (const auto* real = std::get_if<double>(&value)) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, real, sizeof bits);
    PutFixed64(out, 4, bits);
  }
  return out;
}

// KeyValue: key = 1, value = 2.
std::string KeyValue(const Attribute& attribute) {
  std::string out;
  PutBytes(out, 1, attribute.key);
  PutBytes(out, 2, AnyValue(attribute.value));
  return out;
}

// Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, kind = 6,
// start_time_unix_nano = 7, end_time_unix_nano = 8, attributes = 9, status = 15.
std::string EncodeSpan(const SpanData& span) {
  std::string out;
  PutBytes(out, 1, HexToBytes(span.trace_id));
  PutBytes(out, 2, HexToBytes(span.span_id));
  if (!span.parent_span_id.empty()) PutBytes(out, 4, HexToBytes(span.parent_span_id));
  PutBytes(out, 5, span.name);
  PutVarintField(out, 6, static_cast<std::uint64_t>(span.kind));
  PutFixed64(out, 7, span.start_unix_nano);
  PutFixed64(out, 8, span.end_unix_nano);
  for (const Attribute& attribute : span.attributes) PutBytes(out, 9, KeyValue(attribute));
  if (span.error) {
    // Status: message = 2, code = 3 (STATUS_CODE_ERROR = 2).
    std::string status;
    if (!span.status_message.empty()) PutBytes(status, 2, span.status_message);
    PutVarintField(status, 3, 2);
    PutBytes(out, 15, status);
  }
  return out;
}

}  // namespace

std::string EncodeExportRequest(const Resource& resource, std::span<const SpanData> spans) {
  // Resource: attributes = 1.
  std::string resource_message;
  for (const Attribute& attribute : resource.attributes) {
    PutBytes(resource_message, 1, KeyValue(attribute));
  }
  // InstrumentationScope: name = 1.
  std::string scope;
  PutBytes(scope, 1, "codezero");
  // ScopeSpans: scope = 1, spans = 2.
  std::string scope_spans;
  PutBytes(scope_spans, 1, scope);
  for (const SpanData& span : spans) PutBytes(scope_spans, 2, EncodeSpan(span));
  // ResourceSpans: resource = 1, scope_spans = 2.
  std::string resource_spans;
  PutBytes(resource_spans, 1, resource_message);
  PutBytes(resource_spans, 2, scope_spans);
  // ExportTraceServiceRequest: resource_spans = 1.
  std::string request;
  PutBytes(request, 1, resource_spans);
  return request;
}

}  // namespace codezero::tracing
