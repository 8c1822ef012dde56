// A visitor's choice in the consent dialog (§ 25 TDDDG): which optional categories of storage
// and scripts they allow. "Necessary" is always on and not a choice. Shared by the web
// frontend (which reads the form) and the API (which records the proof).
#pragma once

#include <optional>
#include <string_view>

namespace codezero::domain {

// The button the visitor pressed.
enum class ConsentAction { kAcceptAll, kRejectAll, kCustom };
[[nodiscard]] std::string_view ToString(ConsentAction action);
[[nodiscard]] std::optional<ConsentAction> ParseConsentAction(std::string_view text);

struct ConsentChoice {
  ConsentAction action = ConsentAction::kRejectAll;
  bool statistics = false;
  bool marketing = false;
};

// What an action means: all on, all off, or the categories ticked (custom).
[[nodiscard]] ConsentChoice DecideConsent(ConsentAction action, bool statistics_ticked,
                                          bool marketing_ticked);

// A policy version is 1 to 32 of A-Z a-z 0-9 . _ - ("2026-11-29", "3").
[[nodiscard]] bool IsPolicyVersion(std::string_view text);

}  // namespace codezero::domain
