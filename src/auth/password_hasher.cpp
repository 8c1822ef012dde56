#include "auth/password_hasher.h"

#include <sodium.h>

#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/random.h"

namespace codezero::auth {
namespace {

namespace asio = boost::asio;

std::size_t CodePoints(std::string_view utf8) {
  std::size_t count = 0;
  for (char c : utf8) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// Runs `work` on `pool`; the awaiting coroutine resumes on its own executor. A plain function,
// not a coroutine, and callers pass a named lambda: a closure built inside a co_await
// expression is destroyed twice by g++ 12 (ADR 0001).
template <class Work>
auto OnPool(asio::thread_pool& pool, Work work) -> asio::awaitable<decltype(work())> {
  using Value = decltype(work());
  return asio::co_spawn(
      pool.get_executor(),
      [work = std::move(work)]() mutable -> asio::awaitable<Value> { co_return work(); },
      asio::use_awaitable);
}

Error QueueFull() {
  return Error{ErrorCode::kUnavailable,
               "The server is busy; please try again in a moment.",
               "password hasher queue full",
               {}};
}

}  // namespace

// A place among the hashes admitted at once, given back when the work is done (or the awaiting
// coroutine is destroyed).
class PasswordHasher::Admission {
 public:
  explicit Admission(PasswordHasher& hasher) : hasher_(hasher) {
    if (hasher_.admitted_.fetch_add(1) >= hasher_.capacity_) {
      hasher_.admitted_.fetch_sub(1);
      admitted_ = false;
    } else {
      hasher_.admitted_total_.fetch_add(1);
    }
  }
  ~Admission() {
    if (admitted_) hasher_.admitted_.fetch_sub(1);
  }
  Admission(const Admission&) = delete;
  Admission& operator=(const Admission&) = delete;

  [[nodiscard]] bool admitted() const { return admitted_; }

 private:
  PasswordHasher& hasher_;
  bool admitted_ = true;
};

PasswordPolicy ReadPasswordPolicy(SettingsReader& reader) {
  PasswordPolicy policy;
  policy.memory_kib = static_cast<std::uint64_t>(
      reader.Integer({.name = "PASSWORD_HASH_MEMORY_KIB",
                      .default_value = "19456",
                      .help = "argon2id memory per hash in KiB (at least OWASP's 19456)"},
                     19 * 1024, 4 * 1024 * 1024));
  policy.iterations =
      static_cast<std::uint64_t>(reader.Integer({.name = "PASSWORD_HASH_ITERATIONS",
                                                 .default_value = "2",
                                                 .help = "argon2id passes (at least OWASP's 2)"},
                                                2, 100));
  return policy;
}

std::string_view PasswordProblem(const PasswordPolicy& policy, std::string_view password) {
  const std::size_t length = CodePoints(password);
  if (length < policy.min_length) return "too_short";
  if (length > policy.max_length) return "too_long";
  return "";
}

PasswordHasher::PasswordHasher(PasswordPolicy policy, std::size_t threads, std::size_t max_waiting)
    : policy_(policy),
      capacity_((threads == 0 ? 1 : threads) + max_waiting),
      pool_(threads == 0 ? 1 : threads) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  const std::string dummy = RandomToken(16);
  if (crypto_pwhash_str_alg(out, dummy.data(), dummy.size(), policy_.iterations,
                            policy_.memory_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  dummy_hash_ = out;
}

PasswordHasher::~PasswordHasher() { pool_.join(); }

asio::awaitable<Result<std::string>> PasswordHasher::Hash(std::string password) {
  const Admission admission(*this);
  if (!admission.admitted()) co_return tl::unexpected(QueueFull());
  const PasswordPolicy policy = policy_;
  auto work = [password = std::move(password), policy]() mutable -> Result<std::string> {
    char out[crypto_pwhash_STRBYTES];
    const int failed =
        crypto_pwhash_str_alg(out, password.data(), password.size(), policy.iterations,
                              policy.memory_kib * 1024, crypto_pwhash_ALG_ARGON2ID13);
    sodium_memzero(password.data(), password.size());
    if (failed != 0)
      return Fail(ErrorCode::kUnavailable, "password hashing failed", "argon2id: out of memory");
    return std::string(out);
  };
  co_return co_await OnPool(pool_, std::move(work));
}

asio::awaitable<Result<Verification>> PasswordHasher::Verify(std::string stored_hash,
                                                             std::string password) {
  const Admission admission(*this);
  if (!admission.admitted()) co_return tl::unexpected(QueueFull());
  const PasswordPolicy policy = policy_;
  auto work = [stored_hash = std::move(stored_hash), password = std::move(password),
               policy]() mutable {
    Verification verification;
    verification.matches =
        crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
    sodium_memzero(password.data(), password.size());
    if (verification.matches) {
      verification.needs_rehash =
          crypto_pwhash_str_needs_rehash(stored_hash.c_str(), policy.iterations,
                                         policy.memory_kib * 1024) != 0;
    }
    return verification;
  };
  co_return co_await OnPool(pool_, std::move(work));
}

asio::awaitable<Result<void>> PasswordHasher::VerifyNothing(std::string password) {
  auto verified = co_await Verify(dummy_hash_, std::move(password));
  if (!verified) co_return tl::unexpected(verified.error());
  co_return Result<void>{};
}

}  // namespace codezero::auth
