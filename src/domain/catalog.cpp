#include "domain/catalog.h"

#include <algorithm>
#include <set>

#include <boost/json/parse.hpp>

#include "common/json_fields.h"

namespace codezero::domain {
namespace {

std::optional<LocalizedText> ReadText(JsonFields& fields, std::string_view name) {
  JsonFields text = fields.Object(name);
  auto de = text.String("de", {.min_length = 1});
  auto en = text.String("en", {.min_length = 1});
  text.RejectUnknown();
  if (!de || !en) return std::nullopt;
  return LocalizedText{*de, *en};
}

std::vector<std::string> ReadCodes(JsonFields& fields, std::string_view name) {
  std::vector<std::string> codes;
  const boost::json::array* raw = fields.Array(name);
  if (raw == nullptr) return codes;
  for (const auto& element : *raw) {
    if (!element.is_string()) {
      fields.AddError("invalid_type", name, "Must be an array of codes.");
      continue;
    }
    codes.emplace_back(element.get_string());
  }
  return codes;
}

constexpr IntegerRule kAmount{.min = 0, .max = 100'000'000};  // up to 1 M EUR

// Prices are whole units of the currency (whole euros): with discounts in whole percents, every
// discount is then a whole number of cents, and nothing but the tax is ever rounded, by the rule
// Stripe documents for it (docs/pricing.md, "Rounding").
void RequireWholeUnits(JsonFields& fields, std::string_view name, std::int64_t cents) {
  if (cents % 100 != 0) {
    fields.AddError("invalid_value", name,
                    "Must be a whole amount (a multiple of 100 cents), so that discounts need "
                    "no rounding.");
  }
}

}  // namespace

std::optional<Interval> ParseInterval(std::string_view text) {
  if (text == "month") return Interval::kMonth;
  if (text == "year") return Interval::kYear;
  return std::nullopt;
}

std::string_view ToString(Interval interval) {
  return interval == Interval::kMonth ? "month" : "year";
}

bool Plan::Includes(std::string_view addon) const {
  return std::find(includes.begin(), includes.end(), addon) != includes.end();
}

bool Addon::AvailableWith(std::string_view plan) const {
  return std::find(available_with.begin(), available_with.end(), plan) != available_with.end();
}

const Plan* Catalog::FindPlan(std::string_view code) const {
  for (const Plan& plan : plans) {
    if (plan.code == code) return &plan;
  }
  return nullptr;
}

const Addon* Catalog::FindAddon(std::string_view code) const {
  for (const Addon& addon : addons) {
    if (addon.code == code) return &addon;
  }
  return nullptr;
}

Cents Catalog::UnitAmount(const Plan& plan, Interval interval) const {
  return interval == Interval::kMonth ? plan.monthly_amount
                                      : plan.monthly_amount * yearly_price_months;
}

Cents Catalog::UnitAmount(const Addon& addon, Interval interval) const {
  if (!addon.recurring) return addon.amount;
  return interval == Interval::kMonth ? addon.monthly_amount
                                      : addon.monthly_amount * yearly_price_months;
}

std::int64_t Catalog::MaxQuantity(const Addon& addon, const Plan& plan) const {
  if (addon.max_quantity) return *addon.max_quantity;
  return std::max<std::int64_t>(0, plan.max_seats - plan.included_seats);
}

Result<Catalog> ParseCatalog(std::string_view json, int version) {
  boost::system::error_code ec;
  const boost::json::value document = boost::json::parse(json, ec);
  if (ec)
    return Fail(ErrorCode::kValidationFailed, "the catalog is not valid JSON: " + ec.message());

  Catalog catalog;
  catalog.version = version;
  JsonFields fields(document);
  catalog.currency = fields.String("currency", {.min_length = 3, .max_length = 3}).value_or("");
  catalog.yearly_price_months =
      static_cast<int>(fields.Integer("yearly_price_months", {.min = 1, .max = 12}).value_or(10));
  (void)ReadCodes(fields, "intervals");

  std::set<std::string> codes;
  const boost::json::array* plans = fields.Array("plans");
  for (std::size_t i = 0; plans != nullptr && i < plans->size(); ++i) {
    JsonFields plan_fields = fields.Nested((*plans)[i], "plans[" + std::to_string(i) + "]");
    Plan plan;
    plan.code = plan_fields.String("code", {.min_length = 1, .max_length = 64}).value_or("");
    plan.name = ReadText(plan_fields, "name").value_or(LocalizedText{});
    plan.summary = ReadText(plan_fields, "summary").value_or(LocalizedText{});
    plan.monthly_amount = plan_fields.Integer("monthly_amount", kAmount).value_or(0);
    RequireWholeUnits(plan_fields, "monthly_amount", plan.monthly_amount);
    plan.included_seats =
        plan_fields.Integer("included_seats", {.min = 1, .max = 100'000}).value_or(1);
    plan.included_ai_credits =
        plan_fields.Integer("included_ai_credits", {.min = 0, .max = 1'000'000'000'000})
            .value_or(0);
    plan.max_seats = plan_fields.Integer("max_seats", {.min = 1, .max = 100'000}).value_or(1);
    plan.includes = ReadCodes(plan_fields, "includes");
    plan_fields.RejectUnknown();
    if (plan.max_seats < plan.included_seats) {
      plan_fields.AddError("out_of_range", "max_seats", "Must not be below included_seats.");
    }
    if (!plan.code.empty() && !codes.insert(plan.code).second) {
      plan_fields.AddError("duplicate", "code", "The code " + plan.code + " is used twice.");
    }
    catalog.plans.push_back(std::move(plan));
  }
  if (plans != nullptr && plans->empty())
    fields.AddError("required", "plans", "At least one plan.");

  const boost::json::array* addons = fields.Array("addons");
  for (std::size_t i = 0; addons != nullptr && i < addons->size(); ++i) {
    JsonFields addon_fields = fields.Nested((*addons)[i], "addons[" + std::to_string(i) + "]");
    Addon addon;
    addon.code = addon_fields.String("code", {.min_length = 1, .max_length = 64}).value_or("");
    addon.name = ReadText(addon_fields, "name").value_or(LocalizedText{});
    addon.recurring = addon_fields.Boolean("recurring").value_or(true);
    if (addon.recurring) {
      addon.monthly_amount = addon_fields.Integer("monthly_amount", kAmount).value_or(0);
      RequireWholeUnits(addon_fields, "monthly_amount", addon.monthly_amount);
    } else {
      addon.amount = addon_fields.Integer("amount", kAmount).value_or(0);
      RequireWholeUnits(addon_fields, "amount", addon.amount);
    }
    addon.min_quantity =
        addon_fields.Integer("min_quantity", {.min = 1, .max = 100'000}).value_or(1);
    const boost::json::value* max = addon_fields.Raw("max_quantity");
    if (max != nullptr && max->is_string() && max->get_string() == "seat_headroom") {
      addon.max_quantity = std::nullopt;
    } else if (max != nullptr && max->is_int64() && max->get_int64() >= addon.min_quantity) {
      addon.max_quantity = max->get_int64();
    } else {
      addon_fields.AddError("invalid_value", "max_quantity",
                            "Must be a number not below min_quantity, or \"seat_headroom\".");
    }
    addon.available_with = ReadCodes(addon_fields, "available_with");
    addon_fields.RejectUnknown();
    if (!addon.code.empty() && !codes.insert(addon.code).second) {
      addon_fields.AddError("duplicate", "code", "The code " + addon.code + " is used twice.");
    }
    catalog.addons.push_back(std::move(addon));
  }
  if (fields.Raw("referral") != nullptr) {
    JsonFields referral = fields.Object("referral");
    catalog.referral.reward_amount =
        referral.Integer("reward_amount", {.min = 0, .max = 1'000'000}).value_or(0);
    catalog.referral.holding_days =
        static_cast<int>(referral.Integer("holding_days", {.min = 14, .max = 365}).value_or(14));
    catalog.referral.monthly_limit =
        static_cast<int>(referral.Integer("monthly_limit", {.min = 0, .max = 1000}).value_or(0));
    referral.RejectUnknown();
  }
  fields.RejectUnknown();

  // Cross references: every code named must exist.
  for (const Plan& plan : catalog.plans) {
    for (const std::string& included : plan.includes) {
      if (catalog.FindAddon(included) == nullptr) {
        fields.AddError("unknown_code", "plans." + plan.code + ".includes",
                        "No add-on " + included + ".");
      }
    }
  }
  for (const Addon& addon : catalog.addons) {
    for (const std::string& plan : addon.available_with) {
      if (catalog.FindPlan(plan) == nullptr) {
        fields.AddError("unknown_code", "addons." + addon.code + ".available_with",
                        "No plan " + plan + ".");
      }
    }
  }
  if (auto ok = fields.Finish("The catalog is invalid."); !ok) return tl::unexpected(ok.error());
  return catalog;
}

}  // namespace codezero::domain
