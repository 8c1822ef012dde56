// What a workspace may do, from what was bought: the plan's included seats and AI credits plus
// the add-ons (extra seats, credit packs, SSO, audit log, priority support, EU data residency).
// Pure logic: the worker provisions from it and updates it when a subscription changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/catalog.h"

namespace codezero::domain {

struct BoughtItem {
  std::string code;  // a plan or add-on code
  std::int64_t quantity = 1;
};

struct Entitlements {
  std::string plan;
  std::int64_t seats = 0;
  std::int64_t ai_credits_per_month = 0;
  bool sso = false;
  bool audit_log = false;
  std::string support = "standard";  // or "priority"
  std::string residency = "any";     // or "eu"
};

inline constexpr std::int64_t kCreditsPerPack = 5'000'000;  // add-on credits_5m

// kValidationFailed when no item is a plan of `catalog`. Unknown codes are ignored (a one-time
// item such as the workshop grants nothing lasting).
[[nodiscard]] Result<Entitlements> EntitlementsOf(const Catalog& catalog,
                                                  const std::vector<BoughtItem>& items);

[[nodiscard]] std::string EntitlementsJson(const Entitlements& entitlements);

}  // namespace codezero::domain
