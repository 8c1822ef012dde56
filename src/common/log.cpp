#include "common/log.h"

#include "common/json_writer.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace codezero::log {
namespace {

constexpr std::string_view kRedacted = "[redacted]";

std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};

void WriteToStderr(std::string_view line, void*) {
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n <= 0) return;  // nowhere else to report it
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Lines to stderr are collected per thread and written in batches: one write(2) per request
// was the largest fixed cost of a small request (bench/http). A flusher thread writes every
// buffer every kFlushInterval; a buffer past kFlushBytes, any warn or error line, and the
// process's exit flush at once. A SIGKILL can lose at most the last interval's lines.
constexpr auto kFlushInterval = std::chrono::milliseconds(20);
constexpr std::size_t kFlushBytes = 16 * 1024;

struct ThreadBuffer {
  std::mutex mutex;
  std::string lines;

  void Flush() {
    std::lock_guard lock(mutex);
    if (lines.empty()) return;
    WriteToStderr(lines, nullptr);
    lines.clear();
  }
};

class Flusher {
 public:
  static Flusher& Instance() {
    static Flusher flusher;  // destroyed at exit: stops the thread, flushes everything
    return flusher;
  }

  void Register(ThreadBuffer* buffer) {
    std::lock_guard lock(mutex_);
    buffers_.push_back(buffer);
  }

  void Unregister(ThreadBuffer* buffer) {
    std::lock_guard lock(mutex_);
    buffer->Flush();
    buffers_.erase(std::remove(buffers_.begin(), buffers_.end(), buffer), buffers_.end());
  }

  void FlushAll() {
    std::lock_guard lock(mutex_);
    for (ThreadBuffer* buffer : buffers_) buffer->Flush();
  }

 private:
  Flusher()
      : thread_([this](std::stop_token stop) {
          while (!stop.stop_requested()) {
            std::this_thread::sleep_for(kFlushInterval);
            FlushAll();
          }
        }) {}
  ~Flusher() {
    thread_.request_stop();
    thread_.join();
    FlushAll();
  }

  std::mutex mutex_;
  std::vector<ThreadBuffer*> buffers_;
  std::jthread thread_;
};

// The calling thread's buffer, registered with the flusher while the thread lives.
struct RegisteredBuffer {
  RegisteredBuffer() : flusher(Flusher::Instance()) { flusher.Register(&buffer); }
  ~RegisteredBuffer() { flusher.Unregister(&buffer); }
  Flusher& flusher;
  ThreadBuffer buffer;
};

void WriteBuffered(std::string_view line, bool urgent) {
  thread_local RegisteredBuffer registered;
  ThreadBuffer& buffer = registered.buffer;
  std::lock_guard lock(buffer.mutex);
  buffer.lines.append(line);
  if (urgent || buffer.lines.size() >= kFlushBytes) {
    WriteToStderr(buffer.lines, nullptr);
    buffer.lines.clear();
  }
}

struct SinkSlot {
  Sink sink;
  void* context;
};
std::atomic<const SinkSlot*> g_sink{nullptr};

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// ASCII only, and inline: std::tolower asks the C locale per character, and every value of
// every log line passes through here (the credential check).
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool ContainsIgnoringCase(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return AsciiLower(a) == AsciiLower(b); }) !=
         haystack.end();
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ContainsIgnoringCase(a, b);
}

bool PassesLuhn(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

// "2026-11-26T04:00:00.123Z". The part up to the seconds is formatted once per second per
// thread; a busy server writes thousands of lines a second.
void AppendTimestamp(std::string& out) {
  using namespace std::chrono;
  thread_local std::time_t cached_second = -1;
  thread_local char prefix[64];
  const auto now = system_clock::now();
  const auto seconds = time_point_cast<std::chrono::seconds>(now);
  const auto millis = static_cast<int>(duration_cast<milliseconds>(now - seconds).count());
  const std::time_t t = system_clock::to_time_t(seconds);
  if (t != cached_second) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = t;
  }
  out.push_back('"');
  out.append(prefix, 20);
  out.push_back(static_cast<char>('0' + millis / 100));
  out.push_back(static_cast<char>('0' + millis / 10 % 10));
  out.push_back(static_cast<char>('0' + millis % 10));
  out += "Z\"";
}

template <class Number>
void AppendNumber(std::string& out, Number value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void AppendJsonValue(std::string& out, const boost::json::value& value, bool redact_all);

void AppendStringValue(std::string& out, std::string_view text, bool redact) {
  AppendJsonString(out, redact || LooksLikeCredential(text) ? kRedacted : text);
}

void AppendJsonValue(std::string& out, const boost::json::value& value, bool redact_all) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(out, member.key());
        out.push_back(':');
        AppendJsonValue(out, member.value(), redact_all || IsSensitiveKey(member.key()));
      }
      out.push_back('}');
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonValue(out, element, redact_all);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::string:
      AppendStringValue(out, value.get_string(), redact_all);
      return;
    default:
      if (redact_all && !value.is_null()) {
        AppendJsonString(out, kRedacted);
      } else {
        out += boost::json::serialize(value);
      }
      return;
  }
}

void AppendField(std::string& out, const Field& field) {
  AppendJsonString(out, field.key);
  out.push_back(':');
  const bool redact = IsSensitiveKey(field.key);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          out += "null";
        } else if (redact) {
          AppendJsonString(out, kRedacted);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string_view>) {
          AppendStringValue(out, v, false);
        } else if constexpr (std::is_same_v<T, const boost::json::value*>) {
          AppendJsonValue(out, *v, false);
        } else {
          AppendNumber(out, v);
        }
      },
      field.value.get());
}

}  // namespace

void SetLevel(Level level) { g_min_level.store(static_cast<int>(level)); }

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed);
}

bool ParseLevel(std::string_view text, Level& level) {
  for (Level candidate : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (EqualsIgnoringCase(text, LevelName(candidate))) {
      level = candidate;
      return true;
    }
  }
  return false;
}

void SetSink(Sink sink, void* context) {
  // Slots are kept until exit, never freed while running: a line being written on another
  // thread may still read the slot it loaded. Sinks change a handful of times per process.
  static std::mutex mutex;
  static std::vector<std::unique_ptr<SinkSlot>> slots;
  std::lock_guard lock(mutex);
  slots.push_back(std::make_unique<SinkSlot>(SinkSlot{sink, context}));
  g_sink.store(slots.back().get());
}

void ResetSink() { g_sink.store(nullptr); }

void Flush() { Flusher::Instance().FlushAll(); }

namespace {

bool ScanForSensitiveKey(std::string_view key) {
  static constexpr std::array<std::string_view, 14> kContains = {
      "password", "passwd", "secret", "token", "authorization", "cookie",      "credential",
      "api_key",  "apikey", "cvc",    "cvv",   "card_number",   "licence_key", "license_key"};
  static constexpr std::array<std::string_view, 5> kExact = {"pan", "iban", "card", "pin",
                                                             "signature"};
  char buffer[64];
  if (key.size() > sizeof buffer) return true;  // a 64+ character field name: be safe
  for (std::size_t i = 0; i < key.size(); ++i) {
    buffer[i] = AsciiLower(key[i]);
  }
  const std::string_view lower(buffer, key.size());
  for (std::string_view needle : kContains) {
    if (lower.find(needle) != std::string_view::npos) return true;
  }
  for (std::string_view exact : kExact) {
    if (lower == exact) return true;
  }
  return false;
}

}  // namespace

bool IsSensitiveKey(std::string_view key) {
  // Every log line checks every field name, and the code uses a few dozen: remember each name's
  // answer in a small table per thread (the name itself is compared, not its address), instead
  // of nineteen searches per field (bench/http: a fiftieth of a quote).
  struct Remembered {
    std::array<char, 31> name{};
    std::uint8_t size = 0xff;  // none yet
    bool sensitive = false;
  };
  thread_local std::array<Remembered, 64> remembered;
  if (key.size() > 31) return ScanForSensitiveKey(key);
  Remembered& slot = remembered[std::hash<std::string_view>{}(key) % remembered.size()];
  if (slot.size == key.size() && std::memcmp(slot.name.data(), key.data(), key.size()) == 0) {
    return slot.sensitive;
  }
  slot.sensitive = ScanForSensitiveKey(key);
  std::memcpy(slot.name.data(), key.data(), key.size());
  slot.size = static_cast<std::uint8_t>(key.size());
  return slot.sensitive;
}

bool LooksLikeCredential(std::string_view value) {
  static constexpr std::array<std::string_view, 5> kSecretKeyPrefixes = {
      "sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"};
  for (std::string_view prefix : kSecretKeyPrefixes) {
    if (value.starts_with(prefix)) return true;
  }
  if (value.size() > 7 && (EqualsIgnoringCase(value.substr(0, 7), "bearer ") ||
                           EqualsIgnoringCase(value.substr(0, 6), "basic "))) {
    return true;
  }
  // A payment card number: 13 to 19 digits, optionally grouped by spaces or dashes.
  std::string digits;
  for (char c : value) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (digits.size() > 19) return false;
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  return digits.size() >= 13 && PassesLuhn(digits);
}

void AppendJsonString(std::string& out, std::string_view text) {
  codezero::AppendJsonString(out, text);
}

namespace {
std::atomic<TraceLookup> g_trace_lookup{nullptr};
}  // namespace

void SetTraceLookup(TraceLookup lookup) { g_trace_lookup.store(lookup, std::memory_order_release); }

void Write(Level level, std::string_view msg, Fields fields, std::string_view request_id) {
  if (!Enabled(level)) return;
  thread_local std::string line;  // reused: no allocation per line once it has grown
  line.clear();
  line += "{\"ts\":";
  AppendTimestamp(line);
  line += ",\"level\":\"";
  line += LevelName(level);
  line += "\",\"msg\":";
  AppendJsonString(line, msg);
  if (!request_id.empty()) {
    line += ",\"request_id\":";
    AppendJsonString(line, request_id);
    std::string_view trace_id;
    std::string_view span_id;
    const TraceLookup lookup = g_trace_lookup.load(std::memory_order_acquire);
    if (lookup != nullptr && lookup(request_id, trace_id, span_id)) {
      // Both ids are plain lowercase hex: nothing to escape.
      line.append(",\"trace_id\":\"").append(trace_id);
      line.append("\",\"span_id\":\"").append(span_id).append("\"");
    }
  }
  if (fields.size() > 0) {
    line += ",\"fields\":{";
    bool first = true;
    for (const Field& field : fields) {
      if (!first) line.push_back(',');
      first = false;
      AppendField(line, field);
    }
    line.push_back('}');
  }
  line += "}\n";
  const SinkSlot* slot = g_sink.load(std::memory_order_acquire);
  if (slot == nullptr) {
    WriteBuffered(line, level >= Level::kWarn);
    return;
  }
  slot->sink(line, slot->context);
}

}  // namespace codezero::log
