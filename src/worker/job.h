// A job as the worker runs it, and what its handler decides (the job's outcome).
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

namespace codezero::worker {

// One run of a job: the job and its attempt. A job rescued from this very worker (its lease
// lapsed while it still ran) and fetched again is a second run; each run's end is recorded
// against its own attempt only, so a stale run can never close a newer one.
struct RunKey {
  std::int64_t id = 0;
  int attempt = 0;
  // clang-tidy 14 takes the defaulted comparison's own 0 for a null pointer.
  friend auto operator<=>(const RunKey&, const RunKey&) = default;  // NOLINT(modernize-use-nullptr)
};

struct JobRecord {
  std::int64_t id = 0;
  std::string kind;
  std::string queue;
  boost::json::object args;
  int attempt = 0;  // this run's number, from 1
  int max_attempts = 0;
  std::string unique_key;     // empty: none
  std::string trace_context;  // W3C traceparent, empty: none
  std::string lease_owner;    // the worker running it (this process)

  [[nodiscard]] RunKey run() const { return {id, attempt}; }
};

struct Outcome {
  enum class Kind {
    kCompleted,
    kFailed,     // retried with backoff, discarded after the last attempt
    kSnoozed,    // run again after `delay`, without using an attempt
    kDiscarded,  // will never succeed: stop now, keep the reason
    kCancelled,  // no longer wanted
  };
  Kind kind = Kind::kCompleted;
  std::string message;  // why (kFailed, kDiscarded, kCancelled)
  std::chrono::seconds delay{0};

  static Outcome Completed() { return {}; }
  static Outcome Failed(std::string why) { return {Kind::kFailed, std::move(why), {}}; }
  static Outcome Snoozed(std::chrono::seconds delay) { return {Kind::kSnoozed, "", delay}; }
  static Outcome Discarded(std::string why) { return {Kind::kDiscarded, std::move(why), {}}; }
  static Outcome Cancelled(std::string why) { return {Kind::kCancelled, std::move(why), {}}; }
};

}  // namespace codezero::worker
