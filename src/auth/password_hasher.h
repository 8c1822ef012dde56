// Passwords are hashed with argon2id (libsodium), at least OWASP's minimum of m = 19 MiB,
// t = 2, p = 1. A hash takes tens of milliseconds of CPU on purpose, so it never runs on an
// event loop: the hasher has threads of its own, and a coroutine awaiting it resumes on its
// own loop. Verifying an unknown user's login runs the same work against a dummy hash, so the
// answer takes as long whether or not the account exists.
//
// The work waiting for those threads is bounded: past `threads + max_waiting` hashes admitted
// at once, a call fails at once with kUnavailable (503 with Retry-After to an API client)
// instead of queueing, so a flood of requests cannot pile up memory and delay everybody's
// sign-in without end.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "common/error.h"
#include "common/settings.h"

namespace codezero::auth {

struct PasswordPolicy {
  std::uint64_t memory_kib = 19 * 1024;  // OWASP minimum for argon2id
  std::uint64_t iterations = 2;
  std::size_t min_length = 10;  // in characters
  std::size_t max_length = 128;
};

// PASSWORD_HASH_MEMORY_KIB and PASSWORD_HASH_ITERATIONS; values below OWASP's are refused.
[[nodiscard]] PasswordPolicy ReadPasswordPolicy(SettingsReader& reader);

// "" when acceptable, else why not (English; the caller localises by code).
[[nodiscard]] std::string_view PasswordProblem(const PasswordPolicy& policy,
                                               std::string_view password);

struct Verification {
  bool matches = false;
  bool needs_rehash = false;  // stored with weaker parameters than the policy's
};

inline constexpr std::size_t kDefaultHashQueue = 32;

class PasswordHasher {
 public:
  // REQUIRES: threads >= 1.
  PasswordHasher(PasswordPolicy policy, std::size_t threads,
                 std::size_t max_waiting = kDefaultHashQueue);
  ~PasswordHasher();

  // Each fails with kUnavailable when the queue is full.
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> Hash(std::string password);
  [[nodiscard]] boost::asio::awaitable<Result<Verification>> Verify(std::string stored_hash,
                                                                    std::string password);
  // The cost of a Verify without an account: for unknown e-mail addresses.
  [[nodiscard]] boost::asio::awaitable<Result<void>> VerifyNothing(std::string password);

  [[nodiscard]] const PasswordPolicy& policy() const { return policy_; }
  // How many hashes and verifications were admitted since the start (for tests and metrics).
  [[nodiscard]] std::uint64_t admitted_total() const { return admitted_total_.load(); }

 private:
  class Admission;

  PasswordPolicy policy_;
  std::string dummy_hash_;
  std::size_t capacity_;                  // threads + max_waiting
  std::atomic<std::size_t> admitted_{0};  // running or waiting now
  std::atomic<std::uint64_t> admitted_total_{0};
  boost::asio::thread_pool pool_;
};

}  // namespace codezero::auth
