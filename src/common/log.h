// Structured logs: one JSON object per line on stderr,
//   {"ts":"2026-11-26T04:00:00.123Z","level":"info","msg":"...","request_id":"...","fields":{...}}
// Secrets never reach a log line: a field whose key names a secret (password, token,
// authorization, cookie, secret, card, ...) is written as "[redacted]", and so is any string
// value that looks like a credential (a "Bearer ..." header value, a card number that passes
// the Luhn check), whatever its key. Nested JSON fields are redacted the same way.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/fwd.hpp>

namespace codezero::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

class FieldValue {
 public:
  FieldValue(std::nullptr_t) : value_(nullptr) {}
  FieldValue(bool v) : value_(v) {}
  FieldValue(int v) : value_(std::int64_t{v}) {}
  FieldValue(long v) : value_(std::int64_t{v}) {}
  FieldValue(long long v) : value_(std::int64_t{v}) {}
  FieldValue(unsigned v) : value_(std::uint64_t{v}) {}
  FieldValue(unsigned long v) : value_(std::uint64_t{v}) {}
  FieldValue(unsigned long long v) : value_(std::uint64_t{v}) {}
  FieldValue(double v) : value_(v) {}
  FieldValue(std::string_view v) : value_(v) {}
  FieldValue(const char* v) : value_(std::string_view(v)) {}
  FieldValue(const std::string& v) : value_(std::string_view(v)) {}
  // REQUIRES: `v` outlives the log call.
  FieldValue(const boost::json::value& v) : value_(&v) {}

  using Variant = std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double,
                               std::string_view, const boost::json::value*>;
  const Variant& get() const { return value_; }

 private:
  Variant value_;
};

struct Field {
  std::string_view key;
  FieldValue value;
};

using Fields = std::initializer_list<Field>;

// Process-wide minimum level; lines below it cost one comparison.
void SetLevel(Level level);
[[nodiscard]] bool Enabled(Level level);
[[nodiscard]] bool ParseLevel(std::string_view text, Level& level);

void Write(Level level, std::string_view msg, Fields fields = {}, std::string_view request_id = {});

inline void Debug(std::string_view msg, Fields fields = {}, std::string_view request_id = {}) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, msg, fields, request_id);
}
inline void Info(std::string_view msg, Fields fields = {}, std::string_view request_id = {}) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, msg, fields, request_id);
}
inline void Warn(std::string_view msg, Fields fields = {}, std::string_view request_id = {}) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, msg, fields, request_id);
}
inline void Error(std::string_view msg, Fields fields = {}, std::string_view request_id = {}) {
  if (Enabled(Level::kError)) Write(Level::kError, msg, fields, request_id);
}

// With tracing on, the span a request id belongs to (tracing/active_spans.h): false when none.
// A line with a request id then also carries "trace_id" and "span_id".
using TraceLookup = bool (*)(std::string_view request_id, std::string_view& trace_id,
                             std::string_view& span_id);
void SetTraceLookup(TraceLookup lookup);

// Where lines go. The default collects them per thread and writes them to stderr in batches
// (see Flush). Tests capture lines with their own sink, called synchronously.
// REQUIRES: `sink` is thread-safe; `context` outlives its use.
using Sink = void (*)(std::string_view line, void* context);
void SetSink(Sink sink, void* context);
void ResetSink();

// Writes out the lines buffered for stderr (they are also written every 20 ms, at once for warn
// and error, and at exit). Call before a deliberate exit that skips static destructors.
void Flush();

// The redaction rules, exposed for tests and for code that builds its own JSON.
[[nodiscard]] bool IsSensitiveKey(std::string_view key);
[[nodiscard]] bool LooksLikeCredential(std::string_view value);

// Appends `text` to `out` as a JSON string literal (quotes included).
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace codezero::log
