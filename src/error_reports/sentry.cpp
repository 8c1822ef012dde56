#include "error_reports/sentry.h"

#include <unistd.h>

#include <curl/curl.h>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>

#include "common/build_info.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/random.h"
#include "metrics/registry.h"
#include "tracing/blocking_post.h"

namespace codezero::error_reports {
namespace {

constexpr std::size_t kMaxQueued = 100;
constexpr int kPerMinute = 60;
constexpr auto kSameReportEvery = std::chrono::seconds(60);
constexpr auto kSendTimeout = std::chrono::milliseconds(5000);
constexpr auto kDrainTime = std::chrono::milliseconds(2000);

metrics::Counter& Reports(std::string_view outcome) {
  return metrics::Default()
      .AddCounter("codezero_error_reports_total",
                  "Error reports: sent to Sentry, suppressed (a repeat within a minute, or over "
                  "60 a minute) or dropped (queue full, Sentry unreachable).",
                  {"outcome"})
      .With({outcome});
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::string Rfc3339(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

class Reporter {
 public:
  explicit Reporter(SentrySettings settings) : settings_(std::move(settings)) {
    thread_ = std::thread([this] { Run(); });
  }

  void Add(Report report) {
    {
      const std::lock_guard lock(mutex_);
      const auto now = std::chrono::steady_clock::now();
      const std::string fingerprint =
          report.kind + "|" + report.route + "|" + report.job_kind + "|" + report.title;
      auto& last = last_sent_[fingerprint];
      if (last.time_since_epoch().count() != 0 && now - last < kSameReportEvery) {
        Reports("suppressed").Inc();
        return;
      }
      while (!window_.empty() && now - window_.front() >= std::chrono::minutes(1)) {
        window_.pop_front();
      }
      if (window_.size() >= static_cast<std::size_t>(kPerMinute)) {
        Reports("suppressed").Inc();
        return;
      }
      if (queue_.size() >= kMaxQueued) {
        Reports("dropped").Inc();
        return;
      }
      last = now;
      window_.push_back(now);
      queue_.push_back(std::move(report));
    }
    wake_.notify_one();
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
    const std::vector<std::string> headers{
        "Content-Type: application/x-sentry-envelope",
        "X-Sentry-Auth: Sentry sentry_version=7, sentry_key=" + settings_.parsed.public_key +
            ", sentry_client=codezero/" + std::string(GetBuildInfo().version)};
    std::unique_lock lock(mutex_);
    bool failing = false;
    std::optional<std::chrono::steady_clock::time_point> drain_until;
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) break;
      // At exit what is queued goes out within kDrainTime in all, and not at all while Sentry
      // is failing: a process must stop within its shutdown grace.
      if (stopping_ && !drain_until) drain_until = std::chrono::steady_clock::now() + kDrainTime;
      Report report = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kSendTimeout);
      if (drain_until) {
        timeout = std::min(timeout, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        *drain_until - std::chrono::steady_clock::now()));
      }
      if (drain_until && (failing || timeout.count() <= 0)) {
        Reports("dropped").Inc();
        lock.lock();
        continue;
      }
      const std::string envelope =
          BuildEnvelope(settings_, report, NewRequestId(), std::chrono::system_clock::now());
      const tracing::PostOutcome outcome =
          tracing::BlockingPost(curl, settings_.parsed.envelope_url, headers, envelope, timeout);
      Reports(outcome.delivered ? "sent" : "dropped").Inc();
      if (!outcome.delivered && !failing) {
        log::Warn("error report not delivered to Sentry",
                  {{"status", outcome.status}, {"error", outcome.error}});
      }
      failing = !outcome.delivered;
      lock.lock();
    }
    lock.unlock();
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  SentrySettings settings_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Report> queue_;
  std::deque<std::chrono::steady_clock::time_point> window_;  // sends of the last minute
  std::map<std::string, std::chrono::steady_clock::time_point> last_sent_;
  bool stopping_ = false;
  std::thread thread_;
};

Reporter*& GlobalReporter() {
  static Reporter* reporter = nullptr;  // lives until the process ends
  return reporter;
}

}  // namespace

std::optional<Dsn> ParseDsn(std::string_view dsn) {
  const std::size_t scheme_end = dsn.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = dsn.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = dsn.substr(scheme_end + 3);
  const std::size_t at = rest.find('@');
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  std::string_view key = rest.substr(0, at);
  if (const std::size_t colon = key.find(':'); colon != std::string_view::npos) {
    key = key.substr(0, colon);  // a secret key (deprecated) is not used
  }
  rest = rest.substr(at + 1);
  const std::size_t slash = rest.find('/');
  const std::size_t last_slash = rest.rfind('/');
  if (slash == std::string_view::npos || last_slash + 1 >= rest.size() || slash == 0) {
    return std::nullopt;
  }
  const std::string_view host = rest.substr(0, slash);
  const std::string_view path = rest.substr(slash, last_slash - slash);  // "" or "/sub/path"
  const std::string_view project = rest.substr(last_slash + 1);
  for (const char c : project) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  Dsn parsed;
  parsed.public_key = std::string(key);
  parsed.envelope_url = std::string(scheme) + "://" + std::string(host) + std::string(path) +
                        "/api/" + std::string(project) + "/envelope/";
  return parsed;
}

SentrySettings ReadSentrySettings(SettingsReader& reader, std::string_view process) {
  SentrySettings settings;
  settings.process = std::string(process);
  settings.dsn = reader.String({.name = "SENTRY_DSN",
                                .help = "Sentry (or GlitchTip) DSN for error reports; empty: none",
                                .secret = true});
  if (!settings.dsn.empty()) {
    if (const auto parsed = ParseDsn(settings.dsn)) {
      settings.parsed = *parsed;
      settings.enabled = true;
    } else {
      reader.AddProblem("SENTRY_DSN", "not a DSN like https://<key>@<host>/<project id>");
    }
  }
  settings.environment = reader.String({.name = "SENTRY_ENVIRONMENT",
                                        .default_value = "production",
                                        .help = "the environment error reports name"});
  const BuildInfo& build = GetBuildInfo();
  settings.release = reader.String({.name = "SENTRY_RELEASE",
                                    .default_value = "codezero@" + std::string(build.version) +
                                                     "+" + std::string(build.commit.substr(0, 12)),
                                    .help = "the release error reports name"});
  settings.server_name = HostName();
  return settings;
}

std::string Scrub(std::string_view text) {
  static const std::regex kEmail(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})");
  static const std::regex kBearer(R"((Bearer|Basic)\s+\S+)", std::regex::icase);
  static const std::regex kSecretParameter(R"(((token|password|secret|key|code)=)[^&\s]+)",
                                           std::regex::icase);
  static const std::regex kLongNumber(R"(\d(?:[ -]?\d){8,})");
  static const std::regex kIpv4(R"(\b\d{1,3}(?:\.\d{1,3}){3}\b)");
  std::string out(text.substr(0, 2000));
  out = std::regex_replace(out, kEmail, "[email]");
  out = std::regex_replace(out, kBearer, "$1 [redacted]");
  out = std::regex_replace(out, kSecretParameter, "$1[redacted]");
  out = std::regex_replace(out, kIpv4, "[ip]");
  out = std::regex_replace(out, kLongNumber, "[number]");
  return out;
}

std::string BuildEnvelope(const SentrySettings& settings, const Report& report,
                          std::string_view event_id, std::chrono::system_clock::time_point when) {
  JsonWriter event(1024);
  event.BeginObject();
  event.Member("event_id", event_id);
  event.Member("timestamp", Rfc3339(when));
  event.Member("platform", "native");
  event.Member("level", "error");
  event.Member("logger", "codezero." + settings.process);
  event.Member("server_name", settings.server_name);
  event.Member("release", settings.release);
  event.Member("environment", settings.environment);
  event.Key("message");
  event.BeginObject();
  event.Member("formatted", Scrub(report.title));
  event.EndObject();
  event.Key("exception");
  event.BeginObject();
  event.Key("values");
  event.BeginArray();
  event.BeginObject();
  event.Member("type", report.kind);
  event.Member("value", Scrub(report.detail.empty() ? report.title : report.detail));
  event.EndObject();
  event.EndArray();
  event.EndObject();
  event.Key("tags");
  event.BeginObject();
  event.Member("process", settings.process);
  if (!report.route.empty()) event.Member("route", report.route);
  if (!report.job_kind.empty()) event.Member("job_kind", report.job_kind);
  if (!report.request_id.empty()) event.Member("request_id", report.request_id);
  event.EndObject();
  if (!report.trace_id.empty()) {
    event.Key("contexts");
    event.BeginObject();
    event.Key("trace");
    event.BeginObject();
    event.Member("type", "trace");
    event.Member("trace_id", report.trace_id);
    if (!report.span_id.empty()) event.Member("span_id", report.span_id);
    event.EndObject();
    event.EndObject();
  }
  if (!report.user_id.empty()) {
    event.Key("user");
    event.BeginObject();
    event.Member("id", report.user_id);
    event.EndObject();
  }
  event.Key("fingerprint");
  event.BeginArray();
  event.String(report.kind);
  event.String(!report.route.empty() ? report.route : report.job_kind);
  event.EndArray();
  event.EndObject();
  const std::string payload = std::move(event).Take();

  JsonWriter header(256);
  header.BeginObject();
  header.Member("event_id", event_id);
  header.Member("sent_at", Rfc3339(when));
  header.Key("sdk");
  header.BeginObject();
  header.Member("name", "codezero");
  header.Member("version", GetBuildInfo().version);
  header.EndObject();
  header.EndObject();
  JsonWriter item(64);
  item.BeginObject();
  item.Member("type", "event");
  item.Member("length", static_cast<std::int64_t>(payload.size()));
  item.EndObject();
  return std::move(header).Take() + "\n" + std::move(item).Take() + "\n" + payload + "\n";
}

void Start(SentrySettings settings) {
  if (!settings.enabled || GlobalReporter() != nullptr) return;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  log::Info("error reports go to Sentry", {{"endpoint", settings.parsed.envelope_url}});
  GlobalReporter() = new Reporter(std::move(settings));
}

void Shutdown() {
  if (GlobalReporter() != nullptr) GlobalReporter()->Stop();
}

bool Enabled() { return GlobalReporter() != nullptr; }

void Capture(Report report) {
  Reporter* reporter = GlobalReporter();
  if (reporter != nullptr) reporter->Add(std::move(report));
}

}  // namespace codezero::error_reports
