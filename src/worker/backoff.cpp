#include "worker/backoff.h"

#include <algorithm>
#include <cmath>

namespace codezero::worker {

std::chrono::milliseconds RetryBackoff(int attempt, double jitter, std::chrono::milliseconds unit) {
  const double a = std::max(1, attempt);
  const double base = a * a * a * a * static_cast<double>(unit.count());
  const double factor = 0.9 + 0.2 * std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(std::llround(base * factor));
}

}  // namespace codezero::worker
