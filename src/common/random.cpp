#include "common/random.h"

#include <sodium.h>

#include <array>
#include <mutex>
#include <stdexcept>

namespace codezero {
namespace {

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

// xoshiro256** (Blackman and Vigna), seeded per thread from the CSPRNG.
class FastGenerator {
 public:
  FastGenerator() { SecureRandomBytes(std::as_writable_bytes(std::span(state_))); }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

FastGenerator& ThreadGenerator() {
  thread_local FastGenerator generator;
  return generator;
}

}  // namespace

void SecureRandomBytes(std::span<std::byte> out) {
  EnsureSodium();
  randombytes_buf(out.data(), out.size());
}

std::string RandomToken(std::size_t bytes) {
  std::string raw(bytes, '\0');
  SecureRandomBytes(std::as_writable_bytes(std::span(raw)));
  std::string encoded(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      '\0');
  sodium_bin2base64(encoded.data(), encoded.size(),
                    reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw.data(), raw.size());
  encoded.resize(encoded.size() - 1);  // the terminating NUL
  return encoded;
}

std::string NewRequestId() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  FastGenerator& generator = ThreadGenerator();
  for (std::size_t half = 0; half < 2; ++half) {
    std::uint64_t bits = generator.Next();
    for (std::size_t i = 0; i < 16; ++i) {
      id[half * 16 + i] = kHex[bits & 0xf];
      bits >>= 4;
    }
  }
  return id;
}

std::uint64_t FastRandom64() { return ThreadGenerator().Next(); }

double FastRandomUnit() { return static_cast<double>(ThreadGenerator().Next() >> 11) * 0x1.0p-53; }

}  // namespace codezero
