// What a customer asks a price for: a plan, an interval, add-ons, the customer's country and
// kind, and at most one discount code. Parsing collects every problem as a Violation instead
// of stopping at the first, so the API can answer all of them in one 422.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "domain/catalog.h"
#include "domain/locale.h"
#include "domain/tax.h"
#include "domain/violation.h"

namespace codezero::domain {

struct AddonSelection {
  std::string code;
  std::int64_t quantity = 1;
};

struct CustomerInput {
  std::string country;  // ISO 3166-1 alpha-2, upper case
  CustomerType type = CustomerType::kBusiness;
  std::optional<std::string> vat_id;
  // Only where it changes the VAT (vat_territory.h): Büsingen, the Canary Islands, ...
  std::optional<std::string> postal_code;
};

struct QuoteRequest {
  std::string plan;
  Interval interval = Interval::kMonth;
  std::vector<AddonSelection> addons;
  std::string currency = "eur";
  CustomerInput customer;
  std::optional<std::string> coupon;         // upper-cased
  std::optional<std::string> referral_code;  // upper-cased
  Locale locale = Locale::kDe;
};

struct ParsedQuoteRequest {
  QuoteRequest request;
  std::vector<Violation> violations;  // empty when the request is well-formed
};

// Reads the JSON body of POST /v1/quotes. Shape errors (missing fields, wrong types, unknown
// fields) and value errors (interval, currency, country, locale, customer type) are
// violations; rules that need the catalog are checked by ValidateConfiguration.
[[nodiscard]] ParsedQuoteRequest ParseQuoteRequest(const boost::json::value& body);

}  // namespace codezero::domain
