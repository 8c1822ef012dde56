// A configuration as the configurator's form and its shareable address carry it:
//
//   /de/konfigurator?plan=team&interval=year&extra_seats=5&sso=1&type=business&country=DE
//
// Each add-on is a parameter named by its catalog code: a quantity, or 1 for an on/off add-on.
// Values are kept as typed, so a wrong one is shown back next to its field with the API's
// message; the API, not this code, decides what is valid.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/locale.h"
#include "web/catalog_view.h"

namespace codezero::web {

struct AddonChoice {
  std::string code;
  std::string quantity;  // as typed: "5", "1", or something the API will refuse
};

struct Configuration {
  std::string plan;
  std::string interval;
  std::vector<AddonChoice> addons;  // chosen ones only, in catalog order
  std::string type;
  std::string country;
  std::string vat_id;
  std::string postal_code;  // only where it changes the VAT (Büsingen, the Canary Islands, ...)
  std::string code;         // a coupon or a referral code
};

// The configuration a first visit shows: the middle plan, monthly, a German business.
[[nodiscard]] Configuration DefaultConfiguration(const CatalogView& catalog);

// Reads the query string over the defaults. Unknown parameters are ignored; an add-on that is
// absent, empty or "0" is not chosen. Values longer than 100 characters are cut (the API
// refuses them anyway).
[[nodiscard]] Configuration ReadConfiguration(std::string_view query, const CatalogView& catalog);

// The query string of a configuration in one fixed order (plan, interval, add-ons in catalog
// order, type, country, vat_id, postal_code, code), percent-encoded: the shareable address, and the
// normalized form for cache keys.
[[nodiscard]] std::string ConfigurationQuery(const Configuration& configuration);

// The body of POST /v1/quotes. A non-numeric quantity is sent as a string (the API answers
// invalid_type for it); the VAT ID only for a business; `code` as the coupon, or as the
// referral code when `code_as_referral`.
[[nodiscard]] std::string QuoteRequestJson(const Configuration& configuration,
                                           domain::Locale locale, bool code_as_referral);

// The form field an API field error belongs to ("addons[1].quantity" → that add-on's code,
// "customer.vat_id" → "vat_id"); empty when it belongs to no field of the form.
[[nodiscard]] std::string FormFieldOf(std::string_view api_field,
                                      const Configuration& configuration);

}  // namespace codezero::web
