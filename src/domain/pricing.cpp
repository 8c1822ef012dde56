#include "domain/pricing.h"

#include <algorithm>

namespace codezero::domain {
namespace {

std::string PlanList(const Catalog& catalog) {
  std::string list;
  for (const Plan& plan : catalog.plans) list += (list.empty() ? "" : ", ") + plan.code;
  return list;
}

std::string PlanNames(const Catalog& catalog, const Addon& addon, Locale locale) {
  std::string list;
  for (const std::string& code : addon.available_with) {
    const Plan* plan = catalog.FindPlan(code);
    const std::string name = plan ? plan->name.In(locale) : code;
    list += (list.empty() ? "" : (locale == Locale::kDe ? " oder " : " or ")) + name;
  }
  return list;
}

std::string AddonField(std::size_t index, std::string_view member) {
  return "addons[" + std::to_string(index) + "]." + std::string(member);
}

}  // namespace

std::vector<Violation> ValidateConfiguration(const Catalog& catalog, const QuoteRequest& request) {
  std::vector<Violation> violations;
  if (request.currency != catalog.currency) {
    violations.push_back(
        {"unsupported_currency", "currency", {request.currency, catalog.currency}});
  }
  const Plan* plan = catalog.FindPlan(request.plan);
  if (plan == nullptr && !request.plan.empty()) {
    violations.push_back({"unknown_plan", "plan", {request.plan, PlanList(catalog)}});
  }
  for (std::size_t i = 0; i < request.addons.size(); ++i) {
    const AddonSelection& selection = request.addons[i];
    if (selection.code.empty()) continue;  // already a shape error
    const Addon* addon = catalog.FindAddon(selection.code);
    if (addon == nullptr) {
      violations.push_back({"unknown_addon", AddonField(i, "code"), {selection.code}});
      continue;
    }
    const bool seen_before =
        std::any_of(request.addons.begin(), request.addons.begin() + static_cast<long>(i),
                    [&](const AddonSelection& other) { return other.code == selection.code; });
    if (seen_before) {
      violations.push_back({"duplicate_addon", AddonField(i, "code"), {selection.code}});
      continue;
    }
    const std::string name = addon->name.In(request.locale);
    if (plan != nullptr && plan->Includes(addon->code)) {
      violations.push_back(
          {"addon_included_in_plan", AddonField(i, "code"), {name, plan->name.In(request.locale)}});
      continue;
    }
    if (plan != nullptr && !addon->AvailableWith(plan->code)) {
      violations.push_back({"addon_requires_plan",
                            AddonField(i, "code"),
                            {name, PlanNames(catalog, *addon, request.locale)}});
      continue;
    }
    if (plan == nullptr && !addon->max_quantity) continue;  // the range depends on the plan
    const std::int64_t max = plan ? catalog.MaxQuantity(*addon, *plan) : *addon->max_quantity;
    if (selection.quantity < addon->min_quantity || selection.quantity > max) {
      violations.push_back({"quantity_out_of_range",
                            AddonField(i, "quantity"),
                            {std::to_string(addon->min_quantity), std::to_string(max)}});
    }
  }
  return violations;
}

PricedQuote Price(const Catalog& catalog, const QuoteRequest& request,
                  const std::optional<Discount>& discount, const TaxDecision& tax) {
  PricedQuote quote;
  quote.catalog_version = catalog.version;
  quote.currency = catalog.currency;
  quote.interval = request.interval;
  quote.locale = request.locale;
  quote.tax = tax;
  quote.discount = discount;

  const Plan& plan = *catalog.FindPlan(request.plan);
  quote.lines.reserve(1 + request.addons.size());
  PricedLine plan_line;
  plan_line.code = plan.code;
  plan_line.kind = LineKind::kPlan;
  plan_line.description = plan.name.In(request.locale);
  plan_line.unit_amount = catalog.UnitAmount(plan, request.interval);
  plan_line.recurring = true;
  quote.lines.push_back(std::move(plan_line));

  // Add-ons in catalog order, whatever order the request listed them in: the same
  // configuration always gives the same quote.
  for (const Addon& addon : catalog.addons) {
    const auto selected =
        std::find_if(request.addons.begin(), request.addons.end(),
                     [&](const AddonSelection& s) { return s.code == addon.code; });
    if (selected == request.addons.end()) continue;
    PricedLine line;
    line.code = addon.code;
    line.kind = LineKind::kAddon;
    line.description = addon.name.In(request.locale);
    line.quantity = selected->quantity;
    line.unit_amount = catalog.UnitAmount(addon, request.interval);
    line.recurring = addon.recurring;
    quote.lines.push_back(std::move(line));
  }

  const int discount_bps = discount ? discount->percent_off_bps : 0;
  for (PricedLine& line : quote.lines) {
    line.amount = line.unit_amount * line.quantity;
    line.amount_discount = line.recurring ? PercentOf(line.amount, discount_bps) : 0;
    line.tax_rate_bps = tax.rate_bps;
    line.amount_tax = PercentOf(line.amount - line.amount_discount, tax.rate_bps);

    quote.first_invoice.subtotal += line.amount;
    quote.first_invoice.discount += line.amount_discount;
    quote.first_invoice.tax += line.amount_tax;
    if (line.recurring) {
      quote.recurring.subtotal += line.amount;
      quote.recurring.tax += PercentOf(line.amount, tax.rate_bps);
    }
  }
  quote.first_invoice.total =
      quote.first_invoice.subtotal - quote.first_invoice.discount + quote.first_invoice.tax;
  quote.recurring.total = quote.recurring.subtotal + quote.recurring.tax;
  return quote;
}

}  // namespace codezero::domain
