#include "auth/tokens.h"

#include "common/random.h"

namespace codezero::auth {

NewToken MakeToken(std::string_view prefix) {
  NewToken token;
  token.value = std::string(prefix) + RandomToken(32);
  token.hash = HashToken(token.value);
  return token;
}

std::string HashToken(std::string_view value) {
  const Sha256Digest digest = Sha256(value);
  return ToHex(digest.data(), digest.size());
}

}  // namespace codezero::auth
