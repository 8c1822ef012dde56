// The quote token: everything a quote was priced from (configuration, catalog version, the
// discount granted, the tax decision, issue and expiry time), sealed under a server secret.
// The configurator asks for a quote on every change, so quotes are not stored: the token is the
// quote. Checkout accepts only a token that opens and re-prices it; GET /v1/quotes/{token}
// re-derives the same body from it.
//
// Format: "q2." base64url(nonce ‖ XChaCha20-Poly1305(key, JSON payload)), unpadded, with a
// random 192-bit nonce and "q2." as associated data; the key is BLAKE2b of the secret, keyed
// with the token's purpose. The token is opaque (a customer's VAT ID in it is not readable, as
// it was in the first format, base64url(JSON) "." HMAC, which is still accepted for the seven
// days its tokens live). Decoding is strict (the text must be the canonical encoding of its
// bytes), so changing any character of a token invalidates it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "domain/discount.h"
#include "domain/quote_request.h"
#include "domain/tax.h"

namespace codezero::domain {

inline constexpr std::int64_t kQuoteLifetimeSeconds = 7 * 24 * 3600;

struct QuoteToken {
  QuoteRequest request;
  int catalog_version = 0;
  std::optional<Discount> discount;
  TaxDecision tax;
  std::int64_t issued_at = 0;   // Unix seconds
  std::int64_t expires_at = 0;  // Unix seconds
};

struct SealedQuote {
  std::string token;
  std::string id;  // QuoteIdOf(token), taken from the tag while it is at hand
};

// REQUIRES: key is at least 32 bytes.
[[nodiscard]] SealedQuote SealQuote(const QuoteToken& token, std::string_view key);
[[nodiscard]] std::string SealQuoteToken(const QuoteToken& token, std::string_view key);

// Tries each key (the current one first, then retired ones during a rotation).
// kNotFound: malformed or not sealed by any key (tampered); kGone: expired at `now`.
[[nodiscard]] Result<QuoteToken> OpenQuoteToken(std::string_view token,
                                                std::span<const std::string> keys,
                                                std::int64_t now);

// A short stable id for a token: "qt_" + 24 hex digits of its SHA-256.
[[nodiscard]] std::string QuoteIdOf(std::string_view token);

}  // namespace codezero::domain
