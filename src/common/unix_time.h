// Seconds since the Unix epoch, the form tokens and tokens' expiry times are exchanged in, and
// milliseconds where a second is too coarse (a session's lifetime).
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

[[nodiscard]] inline std::int64_t NowMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace codezero
