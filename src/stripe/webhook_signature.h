// Stripe's webhook signature (https://docs.stripe.com/webhooks#verify-manually):
//
//   Stripe-Signature: t=1700000000,v1=<hex HMAC-SHA256(secret, "1700000000." + raw body)>
//
// The secret is the whole `whsec_...` string. A header may carry several `v1` signatures
// (during a secret roll) and other schemes (`v0`), which are ignored.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace codezero::stripe {

// The header value for `payload` signed at `timestamp` (Unix seconds).
[[nodiscard]] std::string SignatureHeader(std::string_view secret, std::int64_t timestamp,
                                          std::string_view payload);

enum class SignatureCheck {
  kValid,
  kMalformed,         // no timestamp, or not "key=value" pairs
  kNoV1Signature,     // only other schemes
  kMismatch,          // no v1 signature matches any secret
  kOutsideTolerance,  // the timestamp is more than `tolerance_seconds` from `now`
};

// Constant-time comparison against every secret; the timestamp is checked after a signature
// matched, so an old but authentic delivery is told apart from a forged one (in logs only).
[[nodiscard]] SignatureCheck VerifySignature(std::string_view header, std::string_view payload,
                                             std::span<const std::string> secrets, std::int64_t now,
                                             std::int64_t tolerance_seconds = 300);

[[nodiscard]] std::string_view ToString(SignatureCheck check);

}  // namespace codezero::stripe
