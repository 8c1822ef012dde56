#include "web/formatting.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>

#include "domain/money_format.h"

namespace codezero::web {
namespace {

constexpr std::string_view kNoBreakSpace = "\u00a0";

constexpr std::array<std::string_view, 27> kEuMemberStates{
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};
constexpr std::array<std::string_view, 20> kOtherCountries{"AE", "AU", "BR", "CA", "CH", "GB", "IL",
                                                           "IN", "IS", "JP", "KR", "LI", "MX", "NO",
                                                           "NZ", "SG", "TR", "UA", "US", "ZA"};

icu::Locale IcuLocale(Locale locale) {
  return locale == Locale::kDe ? icu::Locale("de", "DE") : icu::Locale("en", "GB");
}

std::vector<CountryOption> BuildOptions(Locale locale) {
  std::vector<CountryOption> options;
  for (const std::string_view code : kEuMemberStates) {
    options.push_back({std::string(code), CountryName(code, locale), true});
  }
  for (const std::string_view code : kOtherCountries) {
    options.push_back({std::string(code), CountryName(code, locale), false});
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> collator(icu::Collator::createInstance(IcuLocale(locale), status));
  std::stable_sort(options.begin(), options.end(), [&](const auto& a, const auto& b) {
    if (a.eu != b.eu) return a.eu;
    if (U_FAILURE(status) || !collator) return a.name < b.name;
    UErrorCode compare_status = U_ZERO_ERROR;
    return collator->compareUTF8(a.name, b.name, compare_status) == UCOL_LESS;
  });
  return options;
}

}  // namespace

std::string Money(domain::Cents amount, std::string_view currency, Locale locale) {
  std::string text = domain::FormatMoney(amount, currency, locale);
  const std::size_t space = text.find(' ');
  if (space != std::string::npos) text.replace(space, 1, kNoBreakSpace);
  return text;
}

std::string Date(std::int64_t unix_seconds, Locale locale) {
  return domain::FormatDate(unix_seconds, locale, domain::DateStyle::kShort);
}

std::string Percent(int basis_points, Locale locale) {
  std::string text = std::to_string(basis_points / 100);
  const int fraction = basis_points % 100;
  if (fraction != 0) {
    text += locale == Locale::kDe ? ',' : '.';
    text += std::to_string(fraction / 10);
    if (fraction % 10 != 0) text += std::to_string(fraction % 10);
  }
  if (locale == Locale::kDe) text += kNoBreakSpace;
  text += '%';
  return text;
}

std::string DecimalAmount(domain::Cents amount) {
  const domain::Cents cents = amount % 100;
  return std::to_string(amount / 100) + "." + (cents < 10 ? "0" : "") + std::to_string(cents);
}

const std::vector<CountryOption>& CountryOptions(Locale locale) {
  static const std::vector<CountryOption> de = BuildOptions(Locale::kDe);
  static const std::vector<CountryOption> en = BuildOptions(Locale::kEn);
  return locale == Locale::kDe ? de : en;
}

std::string CountryName(std::string_view code, Locale locale) {
  const std::string region(code);
  const icu::Locale country("und", region.c_str());
  icu::UnicodeString name;
  country.getDisplayCountry(IcuLocale(locale), name);
  std::string text;
  name.toUTF8String(text);
  return text.empty() ? region : text;
}

}  // namespace codezero::web
