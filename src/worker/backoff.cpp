#include "worker/backoff.h"

#include <algorithm>

namespace codezero::worker {

std::chrono::milliseconds RetryBackoff(int attempt, double jitter, std::chrono::milliseconds unit) {
  const double a = std::max(1, attempt);
  const double base = a * a * a * a * static_cast<double>(unit.count());
  const double factor = 0.9 + 0.2 * std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(base * factor + 0.5));
}

}  // namespace codezero::worker
