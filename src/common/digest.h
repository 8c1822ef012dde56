// SHA-256 and HMAC-SHA256 (RFC 2104) on OpenSSL's SHA-256, fetched once per process: OpenSSL
// 3's one-shot calls look the algorithm up on every call, which cost more than the hashing in
// the quote path (bench/http). Also unpadded base64url (RFC 4648 §5), encoding data that is
// not secret (constant time is not needed, speed is).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace codezero {

using Sha256Digest = std::array<std::uint8_t, 32>;

[[nodiscard]] Sha256Digest Sha256(std::string_view data);
[[nodiscard]] Sha256Digest HmacSha256(std::string_view key, std::string_view data);

[[nodiscard]] std::string ToHex(const std::uint8_t* data, std::size_t size);
[[nodiscard]] std::string Base64UrlEncode(std::string_view bytes);
// Strict: nullopt unless `text` is exactly the canonical encoding of the bytes it decodes to.
[[nodiscard]] std::optional<std::string> Base64UrlDecode(std::string_view text);

// Compares in time independent of where the inputs differ.
[[nodiscard]] bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace codezero
