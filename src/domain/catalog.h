// The product catalog: base plans and add-ons with their prices and rules, as one version of
// catalog/catalog-v<N>.json. A quote remembers the version it was priced with; a price change
// is a new version, and old versions stay readable (catalog_versions table).
//
// Prices: a recurring item has a monthly net price; its yearly price is `yearly_price_months`
// (10: two months free) times that. A one-time item (the onboarding workshop) has one price
// whatever the interval.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/locale.h"
#include "domain/money.h"

namespace codezero::domain {

enum class Interval { kMonth, kYear };

[[nodiscard]] std::optional<Interval> ParseInterval(std::string_view text);
[[nodiscard]] std::string_view ToString(Interval interval);

struct Plan {
  std::string code;
  LocalizedText name;
  LocalizedText summary;
  Cents monthly_amount = 0;
  std::int64_t included_seats = 0;
  std::int64_t included_ai_credits = 0;
  std::int64_t max_seats = 0;
  std::vector<std::string> includes;  // add-on codes that come with the plan

  [[nodiscard]] bool Includes(std::string_view addon) const;
};

struct Addon {
  std::string code;
  LocalizedText name;
  bool recurring = true;
  Cents monthly_amount = 0;  // recurring add-ons
  Cents amount = 0;          // one-time add-ons
  std::int64_t min_quantity = 1;
  // nullopt: up to the plan's seat headroom (max seats - included seats).
  std::optional<std::int64_t> max_quantity;
  std::vector<std::string> available_with;  // plan codes

  [[nodiscard]] bool AvailableWith(std::string_view plan) const;
};

// What a referral earns (docs/pricing.md, "Referrals"): the referrer's credit once the referee's
// first invoice is paid and `holding_days` have passed without refund or cancellation, at most
// `monthly_limit` credits per calendar month. A catalog without a "referral" object has these.
struct ReferralTerms {
  Cents reward_amount = 5'000;
  int holding_days = 14;  // the consumer's withdrawal period (§ 355(2) BGB)
  int monthly_limit = 10;
};

struct Catalog {
  int version = 0;
  std::string currency;  // lower-case ISO 4217, e.g. "eur"
  int yearly_price_months = 10;
  std::vector<Plan> plans;
  std::vector<Addon> addons;
  ReferralTerms referral;

  [[nodiscard]] const Plan* FindPlan(std::string_view code) const;
  [[nodiscard]] const Addon* FindAddon(std::string_view code) const;
  [[nodiscard]] Cents UnitAmount(const Plan& plan, Interval interval) const;
  [[nodiscard]] Cents UnitAmount(const Addon& addon, Interval interval) const;
  [[nodiscard]] std::int64_t MaxQuantity(const Addon& addon, const Plan& plan) const;
};

// Parses and checks a catalog document; the error lists every problem found.
[[nodiscard]] Result<Catalog> ParseCatalog(std::string_view json, int version);

}  // namespace codezero::domain
