#include "domain/subscription_change.h"

#include <algorithm>

namespace codezero::domain {
namespace {

__extension__ using Int128 = __int128;

const HeldItem* Find(const std::vector<HeldItem>& items, const std::string& code) {
  for (const HeldItem& item : items) {
    if (item.code == code) return &item;
  }
  return nullptr;
}

const HeldItem* PlanOf(const std::vector<HeldItem>& items) {
  for (const HeldItem& item : items) {
    if (item.plan) return &item;
  }
  return nullptr;
}

}  // namespace

Cents Prorated(Cents full, std::int64_t part, std::int64_t whole) {
  const Int128 numerator = static_cast<Int128>(full) * part;
  const bool negative = numerator < 0;
  const Int128 magnitude = negative ? -numerator : numerator;
  const Int128 rounded = (magnitude * 2 + whole) / (static_cast<Int128>(whole) * 2);
  return static_cast<Cents>(negative ? -rounded : rounded);
}

Cents SignedPercentOf(Cents amount, int bps) {
  return amount < 0 ? -PercentOf(-amount, bps) : PercentOf(amount, bps);
}

SubscriptionChange PlanSubscriptionChange(const std::vector<HeldItem>& held,
                                          const std::vector<HeldItem>& wanted, int tax_rate_bps,
                                          std::int64_t period_start, std::int64_t period_end,
                                          std::int64_t at, bool prorate) {
  SubscriptionChange change;
  for (const HeldItem& item : held) change.recurring_before += item.unit_amount * item.quantity;
  for (const HeldItem& item : wanted) {
    const Cents amount = item.unit_amount * item.quantity;
    change.recurring_after += amount;
    change.recurring_after_tax += PercentOf(amount, tax_rate_bps);
  }
  const std::int64_t remaining = std::max<std::int64_t>(0, period_end - at);
  const std::int64_t whole = period_end - period_start;
  const auto line = [&](const std::string& code, std::int64_t quantity, Cents unit, bool credit) {
    if (!prorate || quantity == 0) return;
    ProrationLine prorated;
    prorated.code = code;
    prorated.quantity = quantity;
    prorated.amount = Prorated(unit * quantity, remaining, whole) * (credit ? -1 : 1);
    prorated.tax = SignedPercentOf(prorated.amount, tax_rate_bps);
    change.net += prorated.amount;
    change.tax += prorated.tax;
    change.lines.push_back(std::move(prorated));
  };

  // The plan's item stays the same Stripe item, with the new plan's price when it changes.
  const HeldItem* plan_now = PlanOf(held);
  const HeldItem* plan_wanted = PlanOf(wanted);
  if (plan_now != nullptr && plan_wanted != nullptr &&
      (plan_now->code != plan_wanted->code || plan_now->quantity != plan_wanted->quantity ||
       plan_now->unit_amount != plan_wanted->unit_amount)) {
    ItemEdit edit;
    edit.kind =
        plan_now->code == plan_wanted->code && plan_now->unit_amount == plan_wanted->unit_amount
            ? ItemEdit::Kind::kQuantity
            : ItemEdit::Kind::kReplace;
    edit.code = plan_wanted->code;
    edit.old_code = plan_now->code;
    edit.quantity = plan_wanted->quantity;
    edit.unit_amount = plan_wanted->unit_amount;
    change.edits.push_back(edit);
    line(plan_now->code, plan_now->quantity, plan_now->unit_amount, true);
    line(plan_wanted->code, plan_wanted->quantity, plan_wanted->unit_amount, false);
  }
  // Add-ons, in the order held and then wanted.
  for (const HeldItem& item : held) {
    if (item.plan) continue;
    const HeldItem* kept = Find(wanted, item.code);
    if (kept == nullptr || kept->quantity == 0) {
      change.edits.push_back({ItemEdit::Kind::kRemove, item.code, item.code, 0, 0});
      line(item.code, item.quantity, item.unit_amount, true);
    } else if (kept->quantity != item.quantity) {
      change.edits.push_back(
          {ItemEdit::Kind::kQuantity, item.code, item.code, kept->quantity, item.unit_amount});
      line(item.code, item.quantity, item.unit_amount, true);
      line(item.code, kept->quantity, item.unit_amount, false);
    }
  }
  for (const HeldItem& item : wanted) {
    if (item.plan || item.quantity == 0 || Find(held, item.code) != nullptr) continue;
    change.edits.push_back({ItemEdit::Kind::kAdd, item.code, "", item.quantity, item.unit_amount});
    line(item.code, item.quantity, item.unit_amount, false);
  }
  change.total = change.net + change.tax;
  return change;
}

SubscriptionChange PlanIntervalChange(const std::vector<HeldItem>& held,
                                      const std::vector<HeldItem>& wanted, int tax_rate_bps,
                                      std::int64_t period_start, std::int64_t period_end,
                                      std::int64_t at) {
  SubscriptionChange change;
  const std::int64_t remaining = std::max<std::int64_t>(0, period_end - at);
  const std::int64_t whole = period_end - period_start;
  const auto add_line = [&](const std::string& code, std::int64_t quantity, Cents amount) {
    if (quantity == 0) return;
    ProrationLine line;
    line.code = code;
    line.quantity = quantity;
    line.amount = amount;
    line.tax = SignedPercentOf(amount, tax_rate_bps);
    change.net += line.amount;
    change.tax += line.tax;
    change.lines.push_back(std::move(line));
  };
  for (const HeldItem& item : held) {
    change.recurring_before += item.unit_amount * item.quantity;
    add_line(item.code, item.quantity,
             -Prorated(item.unit_amount * item.quantity, remaining, whole));
  }
  const HeldItem* plan_now = PlanOf(held);
  for (const HeldItem& item : wanted) {
    const Cents amount = item.unit_amount * item.quantity;
    change.recurring_after += amount;
    change.recurring_after_tax += PercentOf(amount, tax_rate_bps);
    add_line(item.code, item.quantity, amount);
    if (item.plan) {
      change.edits.push_back({ItemEdit::Kind::kReplace, item.code,
                              plan_now != nullptr ? plan_now->code : item.code, item.quantity,
                              item.unit_amount});
    } else if (Find(held, item.code) != nullptr) {
      change.edits.push_back(
          {ItemEdit::Kind::kReplace, item.code, item.code, item.quantity, item.unit_amount});
    } else {
      change.edits.push_back(
          {ItemEdit::Kind::kAdd, item.code, "", item.quantity, item.unit_amount});
    }
  }
  for (const HeldItem& item : held) {
    if (!item.plan && Find(wanted, item.code) == nullptr) {
      change.edits.push_back({ItemEdit::Kind::kRemove, item.code, item.code, 0, 0});
    }
  }
  change.total = change.net + change.tax;
  return change;
}

}  // namespace codezero::domain
