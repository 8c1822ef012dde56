#include "web/catalog_view.h"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>

namespace codezero::web {
namespace {

namespace json = boost::json;

std::vector<std::string> Strings(const json::value& value) {
  std::vector<std::string> out;
  for (const json::value& element : value.as_array()) out.emplace_back(element.as_string());
  return out;
}

bool Contains(const std::vector<std::string>& list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

CatalogView ReadCatalogView(const json::object& root) {
  CatalogView catalog;
  catalog.version = static_cast<int>(root.at("version").to_number<std::int64_t>());
  catalog.currency = json::value_to<std::string>(root.at("currency"));
  for (const json::value& interval : root.at("intervals").as_array()) {
    if (interval.at("code").as_string() == "year") {
      catalog.yearly_months_charged = interval.at("months_charged").to_number<std::int64_t>();
    }
  }
  for (const json::value& value : root.at("plans").as_array()) {
    const json::object& plan = value.as_object();
    CatalogPlan entry;
    entry.code = json::value_to<std::string>(plan.at("code"));
    entry.name = json::value_to<std::string>(plan.at("name"));
    entry.summary = json::value_to<std::string>(plan.at("summary"));
    entry.month = plan.at("unit_amount").at("month").to_number<std::int64_t>();
    entry.year = plan.at("unit_amount").at("year").to_number<std::int64_t>();
    entry.included_seats = plan.at("included_seats").to_number<std::int64_t>();
    entry.max_seats = plan.at("max_seats").to_number<std::int64_t>();
    entry.includes = Strings(plan.at("includes"));
    catalog.plans.push_back(std::move(entry));
  }
  for (const json::value& value : root.at("addons").as_array()) {
    const json::object& addon = value.as_object();
    CatalogAddon entry;
    entry.code = json::value_to<std::string>(addon.at("code"));
    entry.name = json::value_to<std::string>(addon.at("name"));
    entry.recurring = addon.at("recurring").as_bool();
    const json::object& amount = addon.at("unit_amount").as_object();
    if (entry.recurring) {
      entry.month = amount.at("month").to_number<std::int64_t>();
      entry.year = amount.at("year").to_number<std::int64_t>();
    } else {
      entry.once = amount.at("once").to_number<std::int64_t>();
    }
    entry.min_quantity = addon.at("min_quantity").to_number<std::int64_t>();
    for (const auto& [plan, max] : addon.at("max_quantity").as_object()) {
      entry.max_quantity.emplace(std::string(plan), max.to_number<std::int64_t>());
    }
    entry.available_with = Strings(addon.at("available_with"));
    entry.included_in = Strings(addon.at("included_in"));
    catalog.addons.push_back(std::move(entry));
  }
  return catalog;
}

}  // namespace

bool CatalogAddon::AvailableWith(std::string_view plan) const {
  return Contains(available_with, plan);
}

bool CatalogAddon::IncludedIn(std::string_view plan) const { return Contains(included_in, plan); }

std::int64_t CatalogAddon::MaxQuantity(std::string_view plan) const {
  const auto found = max_quantity.find(plan);
  return found == max_quantity.end() ? 0 : found->second;
}

bool CatalogAddon::IsSwitch() const {
  return std::all_of(max_quantity.begin(), max_quantity.end(),
                     [](const auto& entry) { return entry.second <= 1; });
}

const CatalogPlan* CatalogView::FindPlan(std::string_view code) const {
  for (const CatalogPlan& plan : plans) {
    if (plan.code == code) return &plan;
  }
  return nullptr;
}

const CatalogAddon* CatalogView::FindAddon(std::string_view code) const {
  for (const CatalogAddon& addon : addons) {
    if (addon.code == code) return &addon;
  }
  return nullptr;
}

Result<CatalogView> ParseCatalog(std::string_view text) {
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec || !root.is_object())
    return Fail(ErrorCode::kInternal, "bad catalog", "not a JSON object");
  try {
    return ReadCatalogView(root.as_object());
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, "bad catalog", e.what());
  }
}

}  // namespace codezero::web
