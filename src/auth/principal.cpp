#include "auth/principal.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "common/json_writer.h"

namespace codezero::auth {

std::string PrincipalToJson(const Principal& principal) {
  JsonWriter json(256);
  json.BeginObject();
  json.Member("u", principal.user_id);
  json.Member("c", principal.company_id);
  json.Member("r", principal.role);
  json.Member("a", principal.platform_admin);
  json.Member("e", principal.email);
  json.Member("n", principal.name);
  json.Member("l", principal.locale);
  json.Member("f", principal.family_id);
  json.EndObject();
  return std::move(json).Take();
}

std::optional<Principal> PrincipalFromJson(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& object = value.get_object();
  const auto text_of = [&](const char* key) -> std::optional<std::string> {
    const auto* member = object.if_contains(key);
    if (member == nullptr || !member->is_string()) return std::nullopt;
    return std::string(member->get_string());
  };
  Principal principal;
  auto user = text_of("u");
  auto company = text_of("c");
  auto role = text_of("r");
  auto email = text_of("e");
  auto name = text_of("n");
  auto locale = text_of("l");
  auto family = text_of("f");
  const auto* admin = object.if_contains("a");
  if (!user || !company || !role || !email || !name || !locale || !family || admin == nullptr ||
      !admin->is_bool()) {
    return std::nullopt;
  }
  principal.user_id = std::move(*user);
  principal.company_id = std::move(*company);
  principal.role = std::move(*role);
  principal.platform_admin = admin->get_bool();
  principal.email = std::move(*email);
  principal.name = std::move(*name);
  principal.locale = std::move(*locale);
  principal.family_id = std::move(*family);
  return principal;
}

}  // namespace codezero::auth
