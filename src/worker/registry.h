// The job kinds a worker process knows: for each, its handler and how it is retried and timed
// out. Built once at start, then read-only.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "queue/kinds.h"
#include "worker/job.h"

namespace codezero::worker {

// A job's work. It may run more than once (a retry, a rescued lease, a timeout while the
// work was in fact done), so its effects must be idempotent.
using JobHandler = std::function<boost::asio::awaitable<Outcome>(const JobRecord& job)>;

// How many attempts a kind gets is decided when it is enqueued (queue/kinds.h).
struct KindOptions {
  std::chrono::milliseconds timeout{60'000};  // an attempt running longer fails
};

class Registry {
 public:
  // A kind of the platform, with its timeout. Throws std::invalid_argument for a kind
  // registered twice.
  void Add(const queue::JobKind& kind, JobHandler handler);
  // A kind known only to this registry (tests). Throws as above.
  void Add(std::string kind, KindOptions options, JobHandler handler);

  // The platform's kinds (queue::kAllKinds) without a handler here, by name: a worker refuses to
  // start while any is missing, since their jobs would only fail until discarded.
  [[nodiscard]] std::vector<std::string> MissingKinds() const;

  struct Entry {
    KindOptions options;
    JobHandler handler;
  };
  // Null when the kind is unknown.
  [[nodiscard]] const Entry* Find(const std::string& kind) const;

 private:
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace codezero::worker
