#include "tracing/active_spans.h"

#include <map>

namespace codezero::tracing {
namespace {

// request id → the traceparents of the requests with that id being handled (usually one).
std::multimap<std::string, std::string, std::less<>>& Table() {
  thread_local std::multimap<std::string, std::string, std::less<>> table;
  return table;
}

}  // namespace

ActiveSpanScope::ActiveSpanScope(std::string request_id, std::string traceparent)
    : request_id_(std::move(request_id)), traceparent_(std::move(traceparent)) {
  Table().emplace(request_id_, traceparent_);
}

ActiveSpanScope::~ActiveSpanScope() {
  auto& table = Table();
  const auto [first, last] = table.equal_range(request_id_);
  for (auto it = first; it != last; ++it) {
    if (it->second == traceparent_) {
      table.erase(it);
      return;
    }
  }
}

std::string ActiveTraceparent(std::string_view request_id) {
  const auto& table = Table();
  const auto found = table.find(request_id);
  return found == table.end() ? std::string() : found->second;
}

}  // namespace codezero::tracing
