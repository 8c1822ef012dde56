// The catalog as the API publishes it (GET /v1/catalog?locale=…), read into what the pages
// show: plans with their prices per interval, add-ons with their rules (available with which
// plans, included in which, quantity limits per plan). Names come localized from the API.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/money.h"

namespace codezero::web {

struct CatalogPlan {
  std::string code;
  std::string name;
  std::string summary;
  domain::Cents month = 0;  // net unit amount billed monthly
  domain::Cents year = 0;   // net unit amount billed yearly
  std::int64_t included_seats = 0;
  std::int64_t max_seats = 0;
  std::vector<std::string> includes;  // add-on codes
};

struct CatalogAddon {
  std::string code;
  std::string name;
  bool recurring = true;
  domain::Cents month = 0;  // recurring add-ons
  domain::Cents year = 0;
  domain::Cents once = 0;  // one-time add-ons
  std::int64_t min_quantity = 1;
  std::map<std::string, std::int64_t, std::less<>> max_quantity;  // by plan code
  std::vector<std::string> available_with;
  std::vector<std::string> included_in;

  [[nodiscard]] bool AvailableWith(std::string_view plan) const;
  [[nodiscard]] bool IncludedIn(std::string_view plan) const;
  // The largest quantity with `plan` (0 when not available with it).
  [[nodiscard]] std::int64_t MaxQuantity(std::string_view plan) const;
  // An on/off add-on (at most one), shown as a checkbox rather than a number.
  [[nodiscard]] bool IsSwitch() const;
};

struct CatalogView {
  int version = 0;
  std::string currency;
  std::int64_t yearly_months_charged = 12;  // a yearly price is this many monthly prices
  std::vector<CatalogPlan> plans;
  std::vector<CatalogAddon> addons;

  [[nodiscard]] const CatalogPlan* FindPlan(std::string_view code) const;
  [[nodiscard]] const CatalogAddon* FindAddon(std::string_view code) const;
};

// kInternal when the body is not the API's catalog.
[[nodiscard]] Result<CatalogView> ParseCatalog(std::string_view json);

}  // namespace codezero::web
