#include "web/consent_state.h"

#include "common/uuid.h"

namespace codezero::web {
namespace {

struct Parts {
  std::string_view id;
  std::string_view version;
  std::string_view flags;
};

std::optional<Parts> Split(std::optional<std::string_view> value) {
  if (!value) return std::nullopt;
  const std::size_t first = value->find('.');
  const std::size_t last = value->rfind('.');
  if (first == std::string_view::npos || first == last) return std::nullopt;
  Parts parts{value->substr(0, first), value->substr(first + 1, last - first - 1),
              value->substr(last + 1)};
  if (!IsUuid(parts.id) || !domain::IsPolicyVersion(parts.version) || parts.flags.size() != 2 ||
      (parts.flags[0] != '0' && parts.flags[0] != '1') ||
      (parts.flags[1] != '0' && parts.flags[1] != '1')) {
    return std::nullopt;
  }
  return parts;
}

}  // namespace

std::string ConsentState::Variant() const {
  if (!decided()) return "n";
  std::string variant = "d";
  variant += statistics ? '1' : '0';
  variant += marketing ? '1' : '0';
  return variant;
}

ConsentState ReadConsentState(std::optional<std::string_view> cookie_value,
                              std::string_view current_policy_version) {
  ConsentState state;
  const auto parts = Split(cookie_value);
  if (!parts || parts->version != current_policy_version) return state;
  state.consent_id = std::string(parts->id);
  state.policy_version = std::string(parts->version);
  state.statistics = parts->flags[0] == '1';
  state.marketing = parts->flags[1] == '1';
  return state;
}

std::string ConsentCookieValue(std::string_view consent_id, std::string_view policy_version,
                               bool statistics, bool marketing) {
  std::string value(consent_id);
  value += '.';
  value += policy_version;
  value += '.';
  value += statistics ? '1' : '0';
  value += marketing ? '1' : '0';
  return value;
}

std::string ConsentIdOf(std::optional<std::string_view> cookie_value) {
  const auto parts = Split(cookie_value);
  return parts ? std::string(parts->id) : std::string();
}

}  // namespace codezero::web
