// Addresses refused for a while, remembered by one event loop: once the shared counter in Redis
// says an address is over a limit that counts only some outcomes, the loop refuses that
// address's further requests of the kind from memory, so requests that are fine never wait on
// Redis. Not thread-safe: one loop's handlers use one instance. Bounded: when full, expired
// entries go first, then all (a forgotten block only costs one more look at Redis).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace codezero::api {

class AddressBlocks {
 public:
  using Clock = std::chrono::steady_clock;

  explicit AddressBlocks(std::size_t capacity = 10'000) : capacity_(capacity) {}

  // How long `address` stays refused (zero: not refused).
  [[nodiscard]] std::chrono::milliseconds RemainingFor(const std::string& address,
                                                       Clock::time_point now);
  void Block(const std::string& address, Clock::time_point until);

 private:
  std::size_t capacity_;
  std::unordered_map<std::string, Clock::time_point> until_;
};

}  // namespace codezero::api
