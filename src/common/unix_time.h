// Seconds since the Unix epoch, the form tokens and tokens' expiry times are exchanged in.
#pragma once

#include <chrono>
#include <cstdint>

namespace codezero {

[[nodiscard]] inline std::int64_t UnixSeconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

[[nodiscard]] inline std::int64_t NowSeconds() {
  return UnixSeconds(std::chrono::system_clock::now());
}

}  // namespace codezero
