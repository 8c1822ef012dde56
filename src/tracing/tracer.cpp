#include "tracing/tracer.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <thread>

#include "common/build_info.h"
#include "common/log.h"
#include "common/random.h"
#include "metrics/registry.h"
#include "tracing/active_spans.h"
#include "tracing/blocking_post.h"
#include "tracing/otlp_encoding.h"

namespace codezero::tracing {
namespace {

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsAllZeros(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

bool IsValidTraceId(std::string_view text) {
  return text.size() == 32 && IsLowerHex(text) && !IsAllZeros(text);
}

bool IsValidSpanId(std::string_view text) {
  return text.size() == 16 && IsLowerHex(text) && !IsAllZeros(text);
}

// Writes `bits` as lowercase hex into `out` (16 characters per 64 bits).
void PutHex(std::uint64_t bits, char* out) {
  // Each byte's two digits from a table: eight lookups instead of sixteen.
  static constexpr std::array<char, 512> kPairs = [] {
    constexpr char kHex[] = "0123456789abcdef";
    std::array<char, 512> pairs{};
    for (std::size_t byte = 0; byte < 256; ++byte) {
      pairs[2 * byte] = kHex[byte >> 4];
      pairs[2 * byte + 1] = kHex[byte & 0xf];
    }
    return pairs;
  }();
  for (int i = 14; i >= 0; i -= 2) {
    const std::size_t byte = bits & 0xff;
    out[i] = kPairs[2 * byte];
    out[i + 1] = kPairs[2 * byte + 1];
    bits >>= 8;
  }
}

SpanId NewSpanId() {
  SpanId id;
  std::uint64_t bits = FastRandom64();
  if (bits == 0) bits = 1;
  PutHex(bits, id.data());
  return id;
}

TraceId NewTraceId() {
  TraceId id;
  std::uint64_t high = FastRandom64();
  const std::uint64_t low = FastRandom64();
  if (high == 0 && low == 0) high = 1;
  PutHex(high, id.data());
  PutHex(low, id.data() + 16);
  return id;
}

// Splits "a=1,b=2" (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS: W3C Baggage-like,
// values percent-encoded) into pairs; false when an entry has no '='.
bool ParsePairs(std::string_view text, std::vector<std::pair<std::string, std::string>>& out) {
  const auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  const auto decode = [](std::string_view s) {
    std::string decoded;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        decoded += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        decoded += s[i];
      }
    }
    return decoded;
  };
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view entry = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (entry.empty()) continue;
    const std::size_t equals = entry.find('=');
    if (equals == std::string_view::npos || equals == 0) return false;
    out.emplace_back(decode(trim(entry.substr(0, equals))), decode(trim(entry.substr(equals + 1))));
  }
  return true;
}

// At exit, what is queued may take this long in all to go out.
constexpr std::chrono::milliseconds kDrainTime{2000};

// Looked up once per reason: a full queue counts from the event loops, under load.
metrics::Counter& DroppedSpans(std::string_view reason) {
  const auto counter = [](std::string_view name) -> metrics::Counter& {
    return metrics::Default()
        .AddCounter("codezero_trace_spans_dropped_total",
                    "Spans not exported: the queue was full, or the collector did not take them.",
                    {"reason"})
        .With({name});
  };
  static metrics::Counter& queue_full = counter("queue_full");
  static metrics::Counter& export_failed = counter("export_failed");
  return reason == "queue_full" ? queue_full : export_failed;
}

metrics::Counter& ExportedSpans() {
  static metrics::Counter& counter =
      metrics::Default()
          .AddCounter("codezero_trace_spans_exported_total", "Spans the collector accepted.")
          .With({});
  return counter;
}

class Exporter {
 public:
  explicit Exporter(TracingSettings settings) : settings_(std::move(settings)) {
    resource_.attributes = settings_.resource;
    thread_ = std::thread([this] { Run(); });
  }
  ~Exporter() { Stop(); }

  void Add(SpanData span) {
    bool full = false;
    bool batch_ready = false;
    {
      const std::lock_guard lock(mutex_);
      if (queue_.size() >= settings_.max_queue) {
        full = true;
      } else {
        queue_.push_back(std::move(span));
        batch_ready = queue_.size() >= settings_.max_batch;
      }
    }
    if (full) DroppedSpans("queue_full").Inc();
    if (batch_ready) wake_.notify_one();
  }

  void Stop() {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    CURL* curl = curl_easy_init();
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait_for(lock, settings_.schedule_delay,
                     [this] { return stopping_ || queue_.size() >= settings_.max_batch; });
      const bool last = stopping_;
      // At exit the rest goes out within kDrainTime in all, and not at all when the collector
      // was failing: a process must stop within its shutdown grace, collector or not.
      const auto drain_until = std::chrono::steady_clock::now() + kDrainTime;
      while (!queue_.empty()) {
        const auto take = static_cast<std::ptrdiff_t>(std::min(queue_.size(), settings_.max_batch));
        std::vector<SpanData> batch(std::make_move_iterator(queue_.begin()),
                                    std::make_move_iterator(queue_.begin() + take));
        queue_.erase(queue_.begin(), queue_.begin() + take);
        lock.unlock();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            drain_until - std::chrono::steady_clock::now());
        if (!last) {
          Send(curl, batch, settings_.export_timeout);
        } else if (failing_ || left.count() <= 0) {
          DroppedSpans("export_failed").Inc(batch.size());
        } else {
          Send(curl, batch, std::min(left, settings_.export_timeout));
        }
        lock.lock();
        if (!last) break;  // one batch per wake-up; the rest at once on the next round
      }
      if (last) break;
    }
    lock.unlock();
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  void Send(CURL* curl, const std::vector<SpanData>& batch, std::chrono::milliseconds timeout) {
    std::vector<std::string> headers{"Content-Type: application/x-protobuf"};
    for (const auto& [name, value] : settings_.headers) {
      headers.push_back(name);
      headers.back().append(": ").append(value);
    }
    const PostOutcome outcome = BlockingPost(curl, settings_.endpoint, headers,
                                             EncodeExportRequest(resource_, batch), timeout);
    if (outcome.delivered) {
      ExportedSpans().Inc(batch.size());
      failing_ = false;
      return;
    }
    DroppedSpans("export_failed").Inc(batch.size());
    // Once per outage, not once per batch.
    if (!failing_) {
      log::Warn(
          "trace export failed; spans are dropped until the collector answers",
          {{"endpoint", settings_.endpoint}, {"status", outcome.status}, {"error", outcome.error}});
    }
    failing_ = true;
  }

  TracingSettings settings_;
  Resource resource_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<SpanData> queue_;
  bool stopping_ = false;
  bool failing_ = false;
  std::thread thread_;
};

struct State {
  TracingSettings settings;
  std::unique_ptr<Exporter> exporter;
};

State& GlobalState() {
  static State* state = new State();  // read until the process ends
  return *state;
}
std::atomic<bool> g_enabled{false};

bool SampleRoot(const TraceId& trace_id) {
  const TracingSettings& settings = GlobalState().settings;
  switch (settings.sampler) {
    case Sampler::kAlwaysOff:
    case Sampler::kParentBasedAlwaysOff:
      return false;
    case Sampler::kTraceIdRatio:
    case Sampler::kParentBasedTraceIdRatio: {
      // The trace id's last 8 bytes as a number, against the ratio of 2^64 (as the SDKs do).
      const std::uint64_t low =
          std::stoull(std::string(trace_id.data() + 16, trace_id.size() - 16), nullptr, 16);
      return static_cast<double>(low) < settings.ratio * 18446744073709551616.0;
    }
    case Sampler::kAlwaysOn:
    case Sampler::kParentBasedAlwaysOn:
      return true;
  }
  return true;
}

}  // namespace

TracingSettings ReadTracingSettings(SettingsReader& reader, std::string_view service_name) {
  TracingSettings settings;
  const bool disabled = reader.Boolean({.name = "OTEL_SDK_DISABLED",
                                        .default_value = "false",
                                        .help = "true: no spans are exported at all"});
  const std::string base = reader.String(
      {.name = "OTEL_EXPORTER_OTLP_ENDPOINT",
       .help = "OTLP/HTTP collector base URL (spans go to <url>/v1/traces); empty: no tracing"});
  const std::string traces =
      reader.String({.name = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                     .help = "the whole URL for spans, instead of OTEL_EXPORTER_OTLP_ENDPOINT's"});
  settings.endpoint =
      !traces.empty() ? traces
      : base.empty()
          ? std::string()
          : (base.ends_with('/') ? base.substr(0, base.size() - 1) : base) + "/v1/traces";
  settings.enabled = !disabled && !settings.endpoint.empty();
  const std::string protocol = reader.String({.name = "OTEL_EXPORTER_OTLP_PROTOCOL",
                                              .default_value = "http/protobuf",
                                              .help = "only http/protobuf is supported"});
  if (protocol != "http/protobuf") {
    reader.AddProblem("OTEL_EXPORTER_OTLP_PROTOCOL", "only http/protobuf is supported");
  }
  const std::string headers =
      reader.String({.name = "OTEL_EXPORTER_OTLP_HEADERS",
                     .help = "headers sent to the collector: key=value,key2=value2",
                     .secret = true});
  if (!ParsePairs(headers, settings.headers)) {
    reader.AddProblem("OTEL_EXPORTER_OTLP_HEADERS", "expected key=value pairs, comma-separated");
  }

  const std::string name =
      reader.String({.name = "OTEL_SERVICE_NAME",
                     .help = "service.name of this process's spans (else OTEL_RESOURCE_ATTRIBUTES' "
                             "service.name, else codezero-<process>)"});
  std::vector<std::pair<std::string, std::string>> resource;
  if (!ParsePairs(reader.String({.name = "OTEL_RESOURCE_ATTRIBUTES",
                                 .help = "more resource attributes: key=value,key2=value2"}),
                  resource)) {
    reader.AddProblem("OTEL_RESOURCE_ATTRIBUTES", "expected key=value pairs, comma-separated");
  }
  // OTEL_SERVICE_NAME wins over a service.name among the resource attributes, which wins over
  // the default; a service.version given there wins over the build's (the order of
  // https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
  std::string resolved_name(service_name);
  std::string version(GetBuildInfo().version);
  std::vector<std::pair<std::string, std::string>> others;
  for (auto& [key, value] : resource) {
    if (key == "service.name") {
      resolved_name = value;
    } else if (key == "service.version") {
      version = value;
    } else {
      others.emplace_back(std::move(key), std::move(value));
    }
  }
  if (!name.empty()) resolved_name = name;
  settings.resource.emplace_back("service.name", resolved_name);
  settings.resource.emplace_back("service.version", version);
  for (auto& entry : others) settings.resource.push_back(std::move(entry));

  const std::string sampler = reader.String(
      {.name = "OTEL_TRACES_SAMPLER",
       .default_value = "parentbased_always_on",
       .help = "always_on, always_off, traceidratio or parentbased_ with one of them"});
  if (sampler == "always_on") {
    settings.sampler = Sampler::kAlwaysOn;
  } else if (sampler == "always_off") {
    settings.sampler = Sampler::kAlwaysOff;
  } else if (sampler == "traceidratio") {
    settings.sampler = Sampler::kTraceIdRatio;
  } else if (sampler == "parentbased_always_on") {
    settings.sampler = Sampler::kParentBasedAlwaysOn;
  } else if (sampler == "parentbased_always_off") {
    settings.sampler = Sampler::kParentBasedAlwaysOff;
  } else if (sampler == "parentbased_traceidratio") {
    settings.sampler = Sampler::kParentBasedTraceIdRatio;
  } else {
    reader.AddProblem("OTEL_TRACES_SAMPLER", "'" + sampler + "' is not a sampler this SDK has");
  }
  const std::string ratio = reader.String(
      {.name = "OTEL_TRACES_SAMPLER_ARG", .default_value = "1.0", .help = "the ratio, 0 to 1"});
  try {
    settings.ratio = std::stod(ratio);
  } catch (const std::exception&) {
    settings.ratio = -1;
  }
  if (settings.ratio < 0 || settings.ratio > 1) {
    reader.AddProblem("OTEL_TRACES_SAMPLER_ARG", "a number from 0 to 1");
  }
  settings.schedule_delay = reader.Milliseconds(
      {.name = "OTEL_BSP_SCHEDULE_DELAY", .default_value = "5000", .help = "ms between exports"},
      10, 600'000);
  settings.export_timeout = reader.Milliseconds({.name = "OTEL_BSP_EXPORT_TIMEOUT",
                                                 .default_value = "30000",
                                                 .help = "ms an export may take"},
                                                100, 600'000);
  settings.max_queue = static_cast<std::size_t>(
      reader.Integer({.name = "OTEL_BSP_MAX_QUEUE_SIZE",
                      .default_value = "2048",
                      .help = "spans kept for export; more are dropped (and counted)"},
                     1, 1'000'000));
  settings.max_batch =
      static_cast<std::size_t>(reader.Integer({.name = "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
                                               .default_value = "512",
                                               .help = "spans per export at most"},
                                              1, 1'000'000));
  settings.max_batch = std::min(settings.max_batch, settings.max_queue);
  return settings;
}

void Start(TracingSettings settings) {
  State& state = GlobalState();
  state.settings = std::move(settings);
  if (!state.settings.enabled) return;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  state.exporter = std::make_unique<Exporter>(state.settings);
  g_enabled.store(true, std::memory_order_release);
  log::SetTraceLookup(&ActiveSpanIds);
  // The endpoint without any user:password@ it may hold.
  std::string shown = state.settings.endpoint;
  if (const std::size_t at = shown.find('@'), scheme = shown.find("://");
      at != std::string::npos && scheme != std::string::npos && at > scheme) {
    shown.erase(scheme + 3, at - scheme - 2);
  }
  log::Info("tracing to an OTLP collector", {{"endpoint", shown}});
}

void Shutdown() {
  State& state = GlobalState();
  g_enabled.store(false, std::memory_order_release);
  if (state.exporter) state.exporter->Stop();
}

bool Enabled() { return g_enabled.load(std::memory_order_acquire); }

std::string SpanContext::Traceparent() const {
  std::string text;
  text.reserve(55);
  text.append("00-").append(TraceIdText()).append("-").append(SpanIdText());
  text.append(sampled ? "-01" : "-00");
  return text;
}

std::optional<SpanContext> ParseTraceparent(std::string_view traceparent) {
  // 00-<32>-<16>-<2>: 55 characters.
  if (traceparent.size() != 55 || !traceparent.starts_with("00-") || traceparent[35] != '-' ||
      traceparent[52] != '-') {
    return std::nullopt;
  }
  const std::string_view trace_id = traceparent.substr(3, 32);
  const std::string_view span_id = traceparent.substr(36, 16);
  const std::string_view flags = traceparent.substr(53, 2);
  if (!IsValidTraceId(trace_id) || !IsValidSpanId(span_id) || !IsLowerHex(flags)) {
    return std::nullopt;
  }
  SpanContext context;
  std::copy(trace_id.begin(), trace_id.end(), context.trace_id.begin());
  std::copy(span_id.begin(), span_id.end(), context.span_id.begin());
  const char last = flags[1];
  const int low_nibble = last >= 'a' ? last - 'a' + 10 : last - '0';
  context.sampled = (low_nibble & 1) != 0;
  return context;
}

SpanContext NewSpanContext(const std::optional<SpanContext>& parent, std::string_view trace_id) {
  SpanContext context;
  context.span_id = NewSpanId();
  if (parent) {
    context.trace_id = parent->trace_id;
    switch (GlobalState().settings.sampler) {
      case Sampler::kParentBasedAlwaysOn:
      case Sampler::kParentBasedAlwaysOff:
      case Sampler::kParentBasedTraceIdRatio:
        context.sampled = parent->sampled;
        return context;
      default:
        context.sampled = SampleRoot(context.trace_id);
        return context;
    }
  }
  if (IsValidTraceId(trace_id)) {
    std::copy(trace_id.begin(), trace_id.end(), context.trace_id.begin());
  } else {
    context.trace_id = NewTraceId();
  }
  context.sampled = SampleRoot(context.trace_id);
  return context;
}

std::uint64_t NowUnixNano() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

void Export(SpanData span) {
  if (!Enabled()) return;
  GlobalState().exporter->Add(std::move(span));
}

Span::Span(std::string name, SpanKind kind, const std::optional<SpanContext>& parent)
    : context_(NewSpanContext(parent)) {
  recording_ = context_.sampled && Enabled();
  if (!recording_) return;
  data_.trace_id = context_.trace_id;
  data_.span_id = context_.span_id;
  if (parent) {
    data_.parent_span_id = parent->span_id;
    data_.has_parent = true;
  }
  data_.name = std::move(name);
  data_.kind = kind;
  data_.attributes.reserve(4);  // what most spans carry, in one allocation
  data_.start_unix_nano = NowUnixNano();
}

Span::Span(Span&& other) noexcept
    : context_(other.context_),
      recording_(std::exchange(other.recording_, false)),
      data_(std::move(other.data_)) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    context_ = other.context_;
    recording_ = std::exchange(other.recording_, false);
    data_ = std::move(other.data_);
  }
  return *this;
}

void Span::SetAttribute(std::string_view key, AttributeValue value) {
  if (!recording_) return;
  data_.attributes.push_back({key, std::move(value)});
}

void Span::SetError(std::string message) {
  if (!recording_) return;
  data_.error = true;
  data_.status_message = std::move(message);
}

void Span::End() {
  if (!recording_) return;
  recording_ = false;
  data_.end_unix_nano = NowUnixNano();
  Export(std::move(data_));
}

}  // namespace codezero::tracing
