// Error reports in Sentry's protocol, so Sentry or a self-hosted GlitchTip takes them: an
// answer 5xx, an exception a handler let escape, a job discarded. Each becomes an event in an
// envelope POSTed to the DSN's ingest endpoint
// (https://develop.sentry.dev/sdk/data-model/envelopes/, .../sdk/overview/#parsing-the-dsn),
// with release, environment, server name, request id, trace id (linking the trace), route or
// job kind, but no personal data: no e-mail address, name, IP address, body or token.
//
// Reports are sent by a thread of their own, off the request path; at most 60 a minute leave a
// process, and one of the same kind and place is sent once a minute at most (the rest are
// counted). When Sentry is down, reports are dropped and counted; users notice nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/settings.h"

namespace codezero::error_reports {

struct Dsn {
  std::string public_key;
  std::string envelope_url;  // <scheme>://<host>[:port][/path]/api/<project>/envelope/
};

// Sentry's DSN: <scheme>://<public_key>[:<secret>]@<host>[:<port>][/<path>]/<project_id>.
[[nodiscard]] std::optional<Dsn> ParseDsn(std::string_view dsn);

struct SentrySettings {
  bool enabled = false;
  std::string dsn;
  Dsn parsed;
  std::string environment;
  std::string release;
  std::string server_name;
  std::string process;  // "api", "web", "worker", "stripe-fake"
};

// SENTRY_DSN (empty: no reports), SENTRY_ENVIRONMENT, SENTRY_RELEASE.
[[nodiscard]] SentrySettings ReadSentrySettings(SettingsReader& reader, std::string_view process);

// What went wrong, in words without personal data.
struct Report {
  std::string kind;      // "http.5xx", "exception", "job.discarded": also the fingerprint
  std::string title;     // "500 on GET /v1/orders/{id}"
  std::string detail;    // e.g. the error code or the job's reason (scrubbed again when sent)
  std::string route;     // the route template, when a request
  std::string job_kind;  // the job kind, when a job
  std::string request_id;
  std::string trace_id;
  std::string span_id;
  std::string user_id;  // a pseudonymous id, when known; never an e-mail address
};

void Start(SentrySettings settings);
void Shutdown();
[[nodiscard]] bool Enabled();
// Queues the report (rate-limited and deduplicated); returns at once.
void Capture(Report report);

// The envelope for `report` as sent: a header line, an item header line, the event.
[[nodiscard]] std::string BuildEnvelope(const SentrySettings& settings, const Report& report,
                                        std::string_view event_id,
                                        std::chrono::system_clock::time_point when);

// `text` with what could be personal data replaced: e-mail addresses, bearer tokens, long
// digit runs (card or phone numbers), IPv4 addresses.
[[nodiscard]] std::string Scrub(std::string_view text);

}  // namespace codezero::error_reports
