// Amounts and dates as people read them in e-mails and pages: "4.438,70 €" and "26.11.2026"
// in German, "€4,438.70" and "26 November 2026" in English. (Boost.Locale's ICU formatting
// would do the same; these two formats are all the platform needs, without a locale database.)
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "domain/locale.h"
#include "domain/money.h"

namespace codezero::domain {

// `currency`: ISO 4217, either case. EUR gets its sign; other currencies their code.
[[nodiscard]] std::string FormatMoney(Cents amount, std::string_view currency, Locale locale);

// A whole number with thousands separators: "5.000.000" / "5,000,000".
[[nodiscard]] std::string FormatNumber(std::int64_t number, Locale locale);

// The date in Germany (CET/CEST, as FormatDateTime) of an instant: 23:30 UTC on 31 December is
// already 1 January there. kLong: "26.11.2026" / "26 November 2026"; kShort: "26.11.2026" /
// "26 Nov 2026".
enum class DateStyle { kLong, kShort };
[[nodiscard]] std::string FormatDate(std::chrono::sys_seconds time, Locale locale,
                                     DateStyle style = DateStyle::kLong);
// The same for a Unix time in seconds, as Stripe and the database give it.
[[nodiscard]] std::string FormatDate(std::int64_t unix_seconds, Locale locale,
                                     DateStyle style = DateStyle::kLong);

// The date and time in Germany, where the seller is: CET, or CEST from 01:00 UTC on the last
// Sunday of March to 01:00 UTC on the last Sunday of October (Directive 2000/84/EC).
// "30.11.2026, 07:12 Uhr (MEZ)" / "30 November 2026, 07:12 CET".
[[nodiscard]] std::string FormatDateTime(std::chrono::sys_seconds time, Locale locale);
[[nodiscard]] std::string FormatDateTime(std::int64_t unix_seconds, Locale locale);

}  // namespace codezero::domain
