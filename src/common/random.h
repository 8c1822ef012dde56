// Randomness. `SecureRandomBytes` and `RandomToken` come from the operating system's CSPRNG
// (libsodium) and are fit for secrets; `NewRequestId` uses a fast per-thread generator seeded
// from it, for identifiers that must be unique but need not be unguessable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace codezero {

void SecureRandomBytes(std::span<std::byte> out);

// `bytes` random bytes as unpadded base64url (RFC 4648 §5): 32 bytes give 43 characters.
[[nodiscard]] std::string RandomToken(std::size_t bytes = 32);

// 32 lowercase hex characters (128 bits).
[[nodiscard]] std::string NewRequestId();

// 64 random bits from the fast generator (not for secrets).
[[nodiscard]] std::uint64_t FastRandom64();

// A uniformly distributed double in [0, 1) from the fast generator, for jitter.
[[nodiscard]] double FastRandomUnit();

}  // namespace codezero
