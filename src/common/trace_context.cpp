#include "common/trace_context.h"

#include <algorithm>

#include "common/random.h"

namespace codezero {
namespace {

bool IsAllZeros(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

}  // namespace

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsValidTraceId(std::string_view text) {
  return text.size() == 32 && IsLowerHex(text) && !IsAllZeros(text);
}

bool IsValidSpanId(std::string_view text) {
  return text.size() == 16 && IsLowerHex(text) && !IsAllZeros(text);
}

std::optional<std::string> TraceIdOf(std::string_view traceparent) {
  // 00-<32>-<16>-<2>: 55 characters.
  if (traceparent.size() != 55 || !traceparent.starts_with("00-") || traceparent[35] != '-' ||
      traceparent[52] != '-') {
    return std::nullopt;
  }
  const std::string_view trace_id = traceparent.substr(3, 32);
  const std::string_view parent_id = traceparent.substr(36, 16);
  const std::string_view flags = traceparent.substr(53, 2);
  if (!IsValidTraceId(trace_id) || !IsValidSpanId(parent_id) || !IsLowerHex(flags)) {
    return std::nullopt;
  }
  return std::string(trace_id);
}

std::string NewTraceparent(std::string_view trace_id) {
  const std::string trace = IsValidTraceId(trace_id) ? std::string(trace_id) : NewRequestId();
  std::string parent = NewRequestId().substr(0, 16);
  if (IsAllZeros(parent)) parent[15] = '1';
  return "00-" + trace + "-" + parent + "-01";
}

std::string ChildTraceparent(std::string_view parent) {
  const auto trace_id = TraceIdOf(parent);
  return NewTraceparent(trace_id ? std::string_view(*trace_id) : std::string_view());
}

}  // namespace codezero
