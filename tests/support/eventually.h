// Waiting for a condition with a deadline, the one way tests wait (never a fixed sleep): polls
// `condition` until it holds or `deadline` passes.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace codezero::testing {

// True as soon as `condition` holds; false when it still does not after `deadline`.
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds deadline = std::chrono::seconds(10),
                       std::chrono::milliseconds poll = std::chrono::milliseconds(20)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace codezero::testing
