// Who is calling: the user an access token belongs to, as the API needs them on every request.
// Cached in Redis with the token, so checking a token costs one Redis lookup.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace codezero::auth {

struct Principal {
  std::string user_id;
  std::string company_id;  // empty for a platform admin without a company
  std::string role;        // "owner" or "member"
  bool platform_admin = false;
  std::string email;
  std::string name;
  std::string locale;
  std::string family_id;  // the login this token came from

  [[nodiscard]] bool IsOwner() const { return role == "owner" && !company_id.empty(); }
};

[[nodiscard]] std::string PrincipalToJson(const Principal& principal);
[[nodiscard]] std::optional<Principal> PrincipalFromJson(std::string_view json);

}  // namespace codezero::auth
