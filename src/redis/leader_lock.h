// A lease in Redis that at most one process holds at a time: `SET key token NX PX ttl`, kept
// by renewing before it runs out (only while the value is still our token), given up with a
// compare-and-delete, both as Lua scripts so that check and change are one step. Used to elect
// the one worker that schedules periodic jobs.
//
// A lease is not a fence: a holder that stalls longer than the TTL may still believe it holds
// it. Whatever it guards must tolerate that (the scheduler's runs are unique in PostgreSQL).
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "redis/client.h"

namespace codezero::redis {

class LeaderLock {
 public:
  LeaderLock(Client& cache, std::string key, std::chrono::milliseconds ttl);

  // Acquires the lease, or renews it when this lock holds it. False when another holder has it
  // or Redis cannot be asked.
  [[nodiscard]] boost::asio::awaitable<bool> AcquireOrRenew();
  // Gives the lease up if this lock holds it.
  [[nodiscard]] boost::asio::awaitable<void> Release();

  [[nodiscard]] bool held() const { return held_; }
  [[nodiscard]] const std::string& token() const { return token_; }

 private:
  Client& cache_;
  std::string key_;
  std::chrono::milliseconds ttl_;
  std::string token_;  // random, this process's
  bool held_ = false;
};

}  // namespace codezero::redis
