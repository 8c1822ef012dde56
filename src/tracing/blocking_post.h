// One HTTP POST with libcurl, blocking: for the background threads that send spans and error
// reports, which must never touch an event loop.
#pragma once

#include <chrono>
#include <string>
#include <vector>

using CURL = void;

namespace codezero::tracing {

struct PostOutcome {
  bool delivered = false;  // a 2xx answer
  long status = 0;         // 0: no answer
  std::string error;       // libcurl's reason when no answer came
};

// `curl`: an easy handle of the calling thread, reused between posts (its connection too).
[[nodiscard]] PostOutcome BlockingPost(CURL* curl, const std::string& url,
                                       const std::vector<std::string>& headers,
                                       const std::string& body, std::chrono::milliseconds timeout);

}  // namespace codezero::tracing
