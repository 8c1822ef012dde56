#include "tracing/otlp_encoding.h"

#include <array>
#include <cassert>
#include <cstring>
#include <vector>

namespace codezero::tracing {
namespace {

// Protobuf's wire format (https://protobuf.dev/programming-guides/encoding/). Every field here
// has a number below 16, so each tag is one byte. A message's length precedes it, so each size
// is computed first and the bytes are then written once into one buffer, with no temporary
// string per span or attribute (the exporter encodes a few hundred spans per batch).
enum WireType : unsigned { kVarint = 0, kFixed64 = 1, kLength = 2 };

std::size_t VarintSize(std::uint64_t value) {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// A length-delimited field of `length` bytes, with its tag and length.
std::size_t FieldSize(std::size_t length) { return 1 + VarintSize(length) + length; }

// The writers put their bytes at `at` and advance it: the buffer is sized for the whole
// request before anything is written, so no write checks for room.
void PutVarint(char*& at, std::uint64_t value) {
  while (value >= 0x80) {
    *at++ = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  *at++ = static_cast<char>(value);
}

void PutTag(char*& at, unsigned field, WireType type) {
  *at++ = static_cast<char>((field << 3) | type);
}

void PutLength(char*& at, unsigned field, std::size_t length) {
  PutTag(at, field, kLength);
  PutVarint(at, length);
}

void PutBytes(char*& at, unsigned field, std::string_view bytes) {
  PutLength(at, field, bytes.size());
  std::memcpy(at, bytes.data(), bytes.size());
  at += bytes.size();
}

void PutFixed64(char*& at, unsigned field, std::uint64_t value) {
  PutTag(at, field, kFixed64);
  for (int i = 0; i < 8; ++i) *at++ = static_cast<char>((value >> (8 * i)) & 0xff);
}

void PutVarintField(char*& at, unsigned field, std::uint64_t value) {
  PutTag(at, field, kVarint);
  PutVarint(at, value);
}

// A hex digit's value (ids are written lowercase; anything else reads as 0).
constexpr std::array<unsigned char, 256> kNibbles = [] {
  std::array<unsigned char, 256> nibbles{};
  for (int c = '0'; c <= '9'; ++c) nibbles[static_cast<std::size_t>(c)] = c - '0';
  for (int c = 'a'; c <= 'f'; ++c) nibbles[static_cast<std::size_t>(c)] = c - 'a' + 10;
  for (int c = 'A'; c <= 'F'; ++c) nibbles[static_cast<std::size_t>(c)] = c - 'A' + 10;
  return nibbles;
}();

// An id's hex as the bytes it spells, as a length-delimited field.
template <std::size_t N>
void PutId(char*& at, unsigned field, const std::array<char, N>& hex) {
  PutLength(at, field, N / 2);
  for (std::size_t i = 0; i < N; i += 2) {
    const auto high = kNibbles[static_cast<unsigned char>(hex[i])];
    const auto low = kNibbles[static_cast<unsigned char>(hex[i + 1])];
    *at++ = static_cast<char>((high << 4) | low);
  }
}

// AnyValue: string_value = 1, bool_value = 2, int_value = 3, double_value = 4.
std::size_t AnyValueSize(const AttributeValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return FieldSize(text->size());
  if (std::holds_alternative<bool>(value)) return 2;
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    return 1 + VarintSize(static_cast<std::uint64_t>(*number));
  }
  return 9;  // double: tag and 8 bytes
}

void PutAnyValue(char*& out, const AttributeValue& value) {
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
}

// KeyValue: key = 1, value = 2.
std::size_t KeyValueSize(std::string_view key, const AttributeValue& value) {
  return FieldSize(key.size()) + FieldSize(AnyValueSize(value));
}

void PutKeyValue(char*& out, unsigned field, std::string_view key, const AttributeValue& value) {
  PutLength(out, field, KeyValueSize(key, value));
  PutBytes(out, 1, key);
  PutLength(out, 2, AnyValueSize(value));
  PutAnyValue(out, value);
}

// Status: message = 2, code = 3 (STATUS_CODE_ERROR = 2).
std::size_t StatusSize(const SpanData& span) {
  return (span.status_message.empty() ? 0 : FieldSize(span.status_message.size())) + 2;
}

// Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, kind = 6,
// start_time_unix_nano = 7, end_time_unix_nano = 8, attributes = 9, status = 15.
std::size_t SpanSize(const SpanData& span) {
  std::size_t size = FieldSize(16) + FieldSize(8) + (span.has_parent ? FieldSize(8) : 0) +
                     FieldSize(span.name.size()) + 1 +
                     VarintSize(static_cast<std::uint64_t>(span.kind)) + 9 + 9;
  for (const Attribute& attribute : span.attributes) {
    size += FieldSize(KeyValueSize(attribute.key, attribute.value));
  }
  if (span.error) size += FieldSize(StatusSize(span));
  return size;
}

void PutSpan(char*& out, const SpanData& span, std::size_t size) {
  PutLength(out, 2, size);  // ScopeSpans.spans = 2
  PutId(out, 1, span.trace_id);
  PutId(out, 2, span.span_id);
  if (span.has_parent) PutId(out, 4, span.parent_span_id);
  PutBytes(out, 5, span.name);
  PutVarintField(out, 6, static_cast<std::uint64_t>(span.kind));
  PutFixed64(out, 7, span.start_unix_nano);
  PutFixed64(out, 8, span.end_unix_nano);
  for (const Attribute& attribute : span.attributes) {
    PutKeyValue(out, 9, attribute.key, attribute.value);
  }
  if (span.error) {
    PutLength(out, 15, StatusSize(span));
    if (!span.status_message.empty()) PutBytes(out, 2, span.status_message);
    PutVarintField(out, 3, 2);
  }
}

constexpr std::string_view kScopeName = "codezero";

}  // namespace

std::string EncodeExportRequest(const Resource& resource, std::span<const SpanData> spans) {
  // Resource: attributes = 1. InstrumentationScope: name = 1. ScopeSpans: scope = 1, spans = 2.
  // ResourceSpans: resource = 1, scope_spans = 2. ExportTraceServiceRequest: resource_spans = 1.
  std::size_t resource_size = 0;
  for (const auto& [key, value] : resource.attributes) {
    resource_size += FieldSize(KeyValueSize(key, AttributeValue(value)));
  }
  const std::size_t scope_size = FieldSize(kScopeName.size());
  std::size_t scope_spans_size = FieldSize(scope_size);
  std::vector<std::size_t> span_sizes;
  span_sizes.reserve(spans.size());
  for (const SpanData& span : spans) {
    span_sizes.push_back(SpanSize(span));
    scope_spans_size += FieldSize(span_sizes.back());
  }
  const std::size_t resource_spans_size = FieldSize(resource_size) + FieldSize(scope_spans_size);

  std::string encoded(FieldSize(resource_spans_size), '\0');
  char* out = encoded.data();
  PutLength(out, 1, resource_spans_size);
  PutLength(out, 1, resource_size);
  for (const auto& [key, value] : resource.attributes) {
    PutKeyValue(out, 1, key, AttributeValue(value));
  }
  PutLength(out, 2, scope_spans_size);
  PutLength(out, 1, scope_size);
  PutBytes(out, 1, kScopeName);
  for (std::size_t i = 0; i < spans.size(); ++i) PutSpan(out, spans[i], span_sizes[i]);
  // Every size above is exact: the writers filled the buffer to its end.
  assert(out == encoded.data() + encoded.size());
  return encoded;
}

}  // namespace codezero::tracing
