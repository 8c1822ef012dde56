// What the configurator page shows for a configuration, as template data: the plan cards with
// their prices for the chosen interval, the interval switch with the yearly saving, every
// add-on with its price and its rule for the chosen plan (available, included, or not
// available with the reason), the customer fields with the country list, each field's error
// from the API next to it, and the price breakdown of the quote. Pure: no I/O, so a unit test
// reaches every rule.
#pragma once

#include <boost/json/object.hpp>

#include "common/error.h"
#include "web/catalog_view.h"
#include "web/configuration.h"
#include "web/quote_view.h"
#include "web/site_map.h"

namespace codezero::web {

struct ConfiguratorInput {
  const CatalogView& catalog;
  const Configuration& configuration;
  const QuoteView* quote = nullptr;  // null when the API refused the configuration
  const Error* error = nullptr;      // that refusal (its field errors), or null
  Locale locale = Locale::kDe;
};

[[nodiscard]] boost::json::object ConfiguratorData(const ConfiguratorInput& input);

// The breakdown of a quote (lines, discount, VAT, totals, recurring amount, the links that
// carry its token), as the breakdown partial and the offer page show it.
[[nodiscard]] boost::json::object BreakdownData(const QuoteView& quote, Locale locale);

}  // namespace codezero::web
