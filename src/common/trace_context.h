// W3C Trace Context (https://www.w3.org/TR/trace-context/): a `traceparent` is
// "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>". The API uses its request id as the
// trace id (and takes the trace id of an incoming `traceparent` as its request id), every job
// stores the traceparent of what enqueued it, and the jobs it enqueues in turn carry the same
// trace id. So the worker's log lines of a job carry, as their `request_id`, the id of the API
// request (a webhook, a sign-up) the work started from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace codezero {

// W3C Trace Context's ids: lowercase hex, 32 (trace) or 16 (span) characters, not all zeros.
[[nodiscard]] bool IsLowerHex(std::string_view text);
[[nodiscard]] bool IsValidTraceId(std::string_view text);
[[nodiscard]] bool IsValidSpanId(std::string_view text);

// The trace id of a valid version-00 traceparent (not all zeros), else nullopt.
[[nodiscard]] std::optional<std::string> TraceIdOf(std::string_view traceparent);

// A traceparent for a new span of trace `trace_id` (32 lowercase hex characters, not all zeros;
// anything else starts a new trace), sampled.
[[nodiscard]] std::string NewTraceparent(std::string_view trace_id = {});

// A traceparent for a span whose parent is `parent`: the same trace, a new parent id. An empty
// or invalid `parent` starts a new trace.
[[nodiscard]] std::string ChildTraceparent(std::string_view parent);

}  // namespace codezero
