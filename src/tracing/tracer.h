// Distributed tracing with OpenTelemetry's data model and wire protocol: spans are sampled,
// queued and exported in batches over OTLP/HTTP (protobuf) by a thread of their own, off the
// request path. The queue is bounded: when the collector is slow or down, spans are dropped and
// counted (codezero_trace_spans_dropped_total), and requests never wait.
//
// Context travels as W3C `traceparent` (https://www.w3.org/TR/trace-context/): from the
// browser to web, web to api, api into a job row, the job to the worker. A request without a
// traceparent is the root of a trace named by its request id (the caller's traceparent names
// the request id when no X-Request-Id came), so the worker's log lines of a job carry, as their
// `request_id`, the trace id of the API request (a webhook, a sign-up) the work started from. Spans
// are recorded only when tracing is configured (an OTLP endpoint) and the trace is sampled; the
// context is made and passed on either way, so log lines and jobs keep their trace ids.
//
// Settings are OpenTelemetry's standard environment variables
// (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/settings.h"
#include "tracing/span_data.h"

namespace codezero::tracing {

enum class Sampler {
  kAlwaysOn,
  kAlwaysOff,
  kTraceIdRatio,
  kParentBasedAlwaysOn,  // the default
  kParentBasedAlwaysOff,
  kParentBasedTraceIdRatio,
};

struct TracingSettings {
  bool enabled = false;  // an endpoint is set and OTEL_SDK_DISABLED is not true
  std::string endpoint;  // the whole URL spans are POSTed to (…/v1/traces)
  std::vector<std::pair<std::string, std::string>> headers;   // OTEL_EXPORTER_OTLP_HEADERS
  std::vector<std::pair<std::string, std::string>> resource;  // service.name and the rest
  Sampler sampler = Sampler::kParentBasedAlwaysOn;
  double ratio = 1.0;
  std::size_t max_queue = 2048;
  std::size_t max_batch = 512;
  std::chrono::milliseconds schedule_delay{5000};
  std::chrono::milliseconds export_timeout{30000};
};

// Reads OTEL_SDK_DISABLED, OTEL_SERVICE_NAME (default `service_name`), OTEL_RESOURCE_ATTRIBUTES,
// OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS,
// OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf only), OTEL_TRACES_SAMPLER (+ _ARG) and
// OTEL_BSP_SCHEDULE_DELAY, _EXPORT_TIMEOUT, _MAX_QUEUE_SIZE, _MAX_EXPORT_BATCH_SIZE.
[[nodiscard]] TracingSettings ReadTracingSettings(SettingsReader& reader,
                                                  std::string_view service_name);

// Starts the exporter (when enabled). Once per process, before any span ends.
void Start(TracingSettings settings);
// Exports what is queued (within the export timeout) and stops the exporter.
void Shutdown();
[[nodiscard]] bool Enabled();

// What a traceparent carries; made and copied without allocating.
struct SpanContext {
  TraceId trace_id{};  // lowercase hex
  SpanId span_id{};
  bool sampled = false;
  [[nodiscard]] std::string_view TraceIdText() const { return {trace_id.data(), trace_id.size()}; }
  [[nodiscard]] std::string_view SpanIdText() const { return {span_id.data(), span_id.size()}; }
  // "00-<trace_id>-<span_id>-<01|00>"
  [[nodiscard]] std::string Traceparent() const;
};

// The context of a valid version-00 traceparent, else nullopt.
[[nodiscard]] std::optional<SpanContext> ParseTraceparent(std::string_view traceparent);

// A new span's context under `parent` (none: a new trace, with `trace_id` when that is a valid
// trace id), sampled as the configured sampler decides.
[[nodiscard]] SpanContext NewSpanContext(const std::optional<SpanContext>& parent,
                                         std::string_view trace_id = {});

[[nodiscard]] std::uint64_t NowUnixNano();

// Queues a finished span for export; dropped (and counted) when the queue is full.
void Export(SpanData span);

// A span from construction to End() (or destruction). Inert, apart from its context, when
// tracing is off or the trace is not sampled.
class Span {
 public:
  // Under `parent` (none: the root of a new trace).
  Span(std::string name, SpanKind kind, const std::optional<SpanContext>& parent);
  // Under `parent_traceparent` (empty or invalid: the root of a new trace).
  Span(std::string name, SpanKind kind, std::string_view parent_traceparent)
      : Span(std::move(name), kind, ParseTraceparent(parent_traceparent)) {}
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  // The moved-from span is inert; a span assigned over ends first.
  Span(Span&& other) noexcept;
  Span& operator=(Span&& other) noexcept;
  ~Span() { End(); }

  [[nodiscard]] const SpanContext& context() const { return context_; }
  // The traceparent that makes other spans (or jobs, or called services) its children.
  [[nodiscard]] std::string traceparent() const { return context_.Traceparent(); }
  [[nodiscard]] bool recording() const { return recording_; }

  // `key`: a literal (Attribute).
  void SetAttribute(std::string_view key, AttributeValue value);
  void SetError(std::string message);
  void End();

 private:
  SpanContext context_;
  bool recording_ = false;
  SpanData data_;
};

}  // namespace codezero::tracing
