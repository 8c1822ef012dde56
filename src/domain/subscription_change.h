// A change of a running subscription to a wanted configuration (plan, add-ons, quantities),
// as Stripe carries it out (https://docs.stripe.com/billing/subscriptions/prorations): each
// item whose price or quantity changes is credited for its unused time at the old price and
// charged for the remaining time at the new one, each line prorated to the second and rounded
// half away from zero to the cent, its VAT per line; an added item is charged, a removed one
// credited. Pure: the caller prices the wanted configuration (pricing.h) and knows the period.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/money.h"

namespace codezero::domain {

// One item of the subscription as it runs, or as wanted: a catalog code, its quantity and
// price per unit for the subscription's interval.
struct HeldItem {
  std::string code;
  std::int64_t quantity = 1;
  Cents unit_amount = 0;
  bool plan = false;  // the plan's item (kept as the same Stripe item when the plan changes)
};

// What Stripe is asked to do with one item.
struct ItemEdit {
  enum class Kind { kAdd, kQuantity, kReplace, kRemove };
  Kind kind = Kind::kAdd;
  std::string code;      // the new code (kReplace: the new plan's)
  std::string old_code;  // kQuantity, kReplace, kRemove: the item's code now
  std::int64_t quantity = 0;
  Cents unit_amount = 0;
};

struct ProrationLine {
  std::string code;
  std::int64_t quantity = 0;
  Cents amount = 0;  // negative: unused time credited
  Cents tax = 0;
};

struct SubscriptionChange {
  std::vector<ItemEdit> edits;       // empty: nothing changes
  std::vector<ProrationLine> lines;  // when prorated at once
  Cents net = 0;                     // the lines' sum
  Cents tax = 0;
  Cents total = 0;             // net + tax; negative: a credit
  Cents recurring_before = 0;  // net per period
  Cents recurring_after = 0;
  Cents recurring_after_tax = 0;
  [[nodiscard]] bool Upgrade() const { return recurring_after > recurring_before; }
};

// `held` and `wanted`: the items now and as wanted (one plan item each). The prorations are
// computed for a change at `at` within [period_start, period_end); none when `prorate` is
// false. REQUIRES: 0 <= tax_rate_bps <= 10 000, period_start < period_end.
[[nodiscard]] SubscriptionChange PlanSubscriptionChange(const std::vector<HeldItem>& held,
                                                        const std::vector<HeldItem>& wanted,
                                                        int tax_rate_bps, std::int64_t period_start,
                                                        std::int64_t period_end, std::int64_t at,
                                                        bool prorate);

// A change of interval (monthly to yearly, or back), as Stripe makes it: the billing period
// starts anew at once, so every item held is credited for its unused time (prorated at `at`)
// and every item wanted is charged for a whole new period; every kept item gets the new
// interval's price (kReplace). `wanted` is priced for the new interval.
[[nodiscard]] SubscriptionChange PlanIntervalChange(const std::vector<HeldItem>& held,
                                                    const std::vector<HeldItem>& wanted,
                                                    int tax_rate_bps, std::int64_t period_start,
                                                    std::int64_t period_end, std::int64_t at);

// `full` × `part` / `whole`, rounded half away from zero. REQUIRES: whole > 0.
[[nodiscard]] Cents Prorated(Cents full, std::int64_t part, std::int64_t whole);

// `amount` × `bps` / 10 000 for an amount of either sign, rounded half away from zero.
[[nodiscard]] Cents SignedPercentOf(Cents amount, int bps);

}  // namespace codezero::domain
