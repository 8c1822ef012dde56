#include "tracing/active_spans.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace codezero::tracing {
namespace {

// The requests being handled on this thread: a few at a time (one per busy connection).
std::vector<std::pair<std::string_view, const SpanContext*>>& Table() {
  thread_local std::vector<std::pair<std::string_view, const SpanContext*>> table;
  return table;
}

}  // namespace

ActiveSpanScope::ActiveSpanScope(std::string_view request_id, const SpanContext& span)
    : span_(&span) {
  Table().emplace_back(request_id, &span);
}

ActiveSpanScope::~ActiveSpanScope() {
  auto& table = Table();
  const auto found = std::find_if(table.rbegin(), table.rend(),
                                  [this](const auto& entry) { return entry.second == span_; });
  if (found != table.rend()) table.erase(std::next(found).base());
}

const SpanContext* ActiveSpan(std::string_view request_id) {
  const auto& table = Table();
  const auto found = std::find_if(table.rbegin(), table.rend(), [request_id](const auto& entry) {
    return entry.first == request_id;
  });
  return found == table.rend() ? nullptr : found->second;
}

bool ActiveSpanIds(std::string_view request_id, std::string_view& trace_id,
                   std::string_view& span_id) {
  const SpanContext* span = ActiveSpan(request_id);
  if (span == nullptr) return false;
  trace_id = span->TraceIdText();
  span_id = span->SpanIdText();
  return true;
}

}  // namespace codezero::tracing
