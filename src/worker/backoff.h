// When a failed job runs again: attempt⁴ seconds, ±10 % jitter (River's rule): 1 s, 16 s, 81 s,
// 4 min, 10 min, 22 min, 40 min, 68 min … about 11.5 days over 20 attempts. `unit` scales the
// second (tests use milliseconds).
#pragma once

#include <chrono>

namespace codezero::worker {

// REQUIRES: attempt >= 1; jitter in [0, 1) picks the point in the ±10 % band.
[[nodiscard]] std::chrono::milliseconds RetryBackoff(
    int attempt, double jitter, std::chrono::milliseconds unit = std::chrono::seconds(1));

}  // namespace codezero::worker
