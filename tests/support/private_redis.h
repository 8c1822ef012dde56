// A redis-server of the test's own, which the test may stop and start again (to prove that
// clients notice an outage and recover). Listens on 127.0.0.1 on a free port, no persistence.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace codezero::testing {

class PrivateRedis {
 public:
  PrivateRedis();
  ~PrivateRedis();
  PrivateRedis(const PrivateRedis&) = delete;
  PrivateRedis& operator=(const PrivateRedis&) = delete;

  void Start();  // returns once it accepts connections
  void Stop();   // returns once the process has exited

  [[nodiscard]] std::string url() const;
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  pid_t pid_ = -1;
};

// A port nothing listens on right now.
std::uint16_t FreePort();

}  // namespace codezero::testing
