// Which span a request id belongs to, on this thread, while its request (or job) is handled: so
// code that only has the request id (the web frontend's API client, which is given it for
// X-Request-Id; log lines) finds the span to be a child of, or to name, without the span being
// passed through every call. A request or a job runs on one event loop, so a thread-local table
// is enough; two requests on one loop with the same id at once (a client sending the same
// X-Request-Id twice) may see each other's span, which only misplaces a span.
#pragma once

#include <cstdint>
#include <string_view>

#include "tracing/tracer.h"

namespace codezero::tracing {

class ActiveSpanScope {
 public:
  // REQUIRES: `request_id` and `span` outlive the scope (they are not copied). `key`: what
  // the request's or job's coroutines carry in their executor (traced_executor.h), from
  // NewActiveSpanKey(); 0: none.
  ActiveSpanScope(std::string_view request_id, const SpanContext& span, std::uint64_t key = 0);
  ~ActiveSpanScope();
  ActiveSpanScope(const ActiveSpanScope&) = delete;
  ActiveSpanScope& operator=(const ActiveSpanScope&) = delete;

 private:
  const SpanContext* span_;
};

// A key no other scope has had (never 0).
[[nodiscard]] std::uint64_t NewActiveSpanKey();

// The span handling `request_id` on this thread, or null.
[[nodiscard]] const SpanContext* ActiveSpan(std::string_view request_id);

// The span of the scope with `key` on this thread, or null (0, or the scope has ended).
[[nodiscard]] const SpanContext* ActiveSpanOfKey(std::uint64_t key);

// For log lines (log::SetTraceLookup): the ids of that span; false when there is none.
bool ActiveSpanIds(std::string_view request_id, std::string_view& trace_id,
                   std::string_view& span_id);

}  // namespace codezero::tracing
