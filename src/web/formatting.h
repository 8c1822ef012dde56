// Numbers, money, dates and country names as a German or English reader expects them:
// "1.234,56 €" / "€1,234.56", "29.11.2026" / "29 Nov 2026", "19 %" / "19%", "Deutschland" /
// "Germany". Money and dates come from domain/money_format.h (the e-mails use the same);
// country names and their order from ICU's locale data (Unicode CLDR).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/locale.h"
#include "domain/money.h"

namespace codezero::web {

using domain::Locale;

// With a no-break space between amount and sign where there is one ("49,00 €").
[[nodiscard]] std::string Money(domain::Cents amount, std::string_view currency, Locale locale);
// Unix seconds, short style.
[[nodiscard]] std::string Date(std::int64_t unix_seconds, Locale locale);
// Basis points as a percentage: 1900 → "19 %" (de, no-break space) / "19%" (en); 2550 → "25,5 %".
[[nodiscard]] std::string Percent(int basis_points, Locale locale);
// A decimal amount for machines (JSON-LD): 4900 → "49.00".
[[nodiscard]] std::string DecimalAmount(domain::Cents amount);

struct CountryOption {
  std::string code;  // ISO 3166-1 alpha-2
  std::string name;  // in the page's language
  bool eu = false;
};

// The countries the configurator offers: every EU member state and the common non-EU ones,
// each group sorted by name in the page's language.
[[nodiscard]] const std::vector<CountryOption>& CountryOptions(Locale locale);

// The country's name in `locale` (ICU); the code itself when ICU has none.
[[nodiscard]] std::string CountryName(std::string_view code, Locale locale);

}  // namespace codezero::web
