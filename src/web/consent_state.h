// What a visitor has chosen in the consent dialog, as the site remembers it: the strictly
// necessary cookie `__Host-consent` holds `<consent id>.<policy version>.<s><m>` (s, m: 1 or 0
// for statistics and marketing). The consent id names the visitor's records of proof in the
// API (POST /v1/consents); nothing else about the visitor is in it.
//
// A choice made under an older policy version counts as no choice: the dialog asks again.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/consent.h"

namespace codezero::web {

inline constexpr std::string_view kConsentCookie = "__Host-consent";

struct ConsentState {
  std::string consent_id;  // empty: the visitor has not chosen (under this policy)
  std::string policy_version;
  bool statistics = false;
  bool marketing = false;

  [[nodiscard]] bool decided() const { return !consent_id.empty(); }
  // A short name of the state for cache keys: "n" (undecided), "d00", "d10", "d01", "d11".
  [[nodiscard]] std::string Variant() const;
};

// From the cookie's value; undecided when absent, malformed, or of another policy version
// (the consent id is kept then, so the next record continues the same history).
[[nodiscard]] ConsentState ReadConsentState(std::optional<std::string_view> cookie_value,
                                            std::string_view current_policy_version);

// The cookie's value for a choice.
[[nodiscard]] std::string ConsentCookieValue(std::string_view consent_id,
                                             std::string_view policy_version, bool statistics,
                                             bool marketing);

// The consent id in the cookie whatever its policy version ("" when none): later records of a
// visitor who chose under an older policy continue their history.
[[nodiscard]] std::string ConsentIdOf(std::optional<std::string_view> cookie_value);

}  // namespace codezero::web
