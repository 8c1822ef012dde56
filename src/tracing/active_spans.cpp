#include "tracing/active_spans.h"

#include <algorithm>
#include <atomic>
#include <utility>
#include <vector>

namespace codezero::tracing {
namespace {

struct Entry {
  std::string_view request_id;
  std::uint64_t key;
  const SpanContext* span;
};

// The requests being handled on this thread: a few at a time (one per busy connection).
std::vector<Entry>& Table() {
  thread_local std::vector<Entry> table;
  return table;
}

}  // namespace

ActiveSpanScope::ActiveSpanScope(std::string_view request_id, const SpanContext& span,
                                 std::uint64_t key)
    : span_(&span) {
  Table().push_back({request_id, key, &span});
}

std::uint64_t NewActiveSpanKey() {
  // Process-wide: a connection's key is made on the accepting loop and used on another.
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

ActiveSpanScope::~ActiveSpanScope() {
  auto& table = Table();
  const auto found = std::find_if(table.rbegin(), table.rend(),
                                  [this](const Entry& entry) { return entry.span == span_; });
  if (found != table.rend()) table.erase(std::next(found).base());
}

const SpanContext* ActiveSpan(std::string_view request_id) {
  const auto& table = Table();
  const auto found = std::find_if(table.rbegin(), table.rend(), [request_id](const Entry& entry) {
    return entry.request_id == request_id;
  });
  return found == table.rend() ? nullptr : found->span;
}

const SpanContext* ActiveSpanOfKey(std::uint64_t key) {
  if (key == 0) return nullptr;
  const auto& table = Table();
  const auto found = std::find_if(table.rbegin(), table.rend(),
                                  [key](const Entry& entry) { return entry.key == key; });
  return found == table.rend() ? nullptr : found->span;
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
