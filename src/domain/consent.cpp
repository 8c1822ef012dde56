#include "domain/consent.h"

namespace codezero::domain {

std::string_view ToString(ConsentAction action) {
  switch (action) {
    case ConsentAction::kAcceptAll:
      return "accept_all";
    case ConsentAction::kRejectAll:
      return "reject_all";
    case ConsentAction::kCustom:
      return "custom";
  }
  return "reject_all";
}

std::optional<ConsentAction> ParseConsentAction(std::string_view text) {
  if (text == "accept_all") return ConsentAction::kAcceptAll;
  if (text == "reject_all") return ConsentAction::kRejectAll;
  if (text == "custom") return ConsentAction::kCustom;
  return std::nullopt;
}

ConsentChoice DecideConsent(ConsentAction action, bool statistics_ticked, bool marketing_ticked) {
  switch (action) {
    case ConsentAction::kAcceptAll:
      return {action, true, true};
    case ConsentAction::kRejectAll:
      return {action, false, false};
    case ConsentAction::kCustom:
      return {action, statistics_ticked, marketing_ticked};
  }
  return {ConsentAction::kRejectAll, false, false};
}

bool IsPolicyVersion(std::string_view text) {
  if (text.empty() || text.size() > 32) return false;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace codezero::domain
