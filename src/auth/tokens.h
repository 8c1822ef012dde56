// Bearer tokens are opaque: 256 random bits, base64url, behind a prefix that says what they
// are (`cz_at_` access, `cz_rt_` refresh, `cz_ml_` an e-mail link), so a leaked one is easy to
// recognise in a secret scanner. Only their SHA-256 is stored.
#pragma once

#include <string>
#include <string_view>

#include "common/digest.h"

namespace codezero::auth {

inline constexpr std::string_view kAccessTokenPrefix = "cz_at_";
inline constexpr std::string_view kRefreshTokenPrefix = "cz_rt_";
inline constexpr std::string_view kEmailLinkPrefix = "cz_ml_";

struct NewToken {
  std::string value;  // given to the client once
  std::string hash;   // SHA-256 as 64 hex digits; SQL stores decode($n, 'hex') as bytea
};

[[nodiscard]] NewToken MakeToken(std::string_view prefix);
[[nodiscard]] std::string HashToken(std::string_view value);

}  // namespace codezero::auth
