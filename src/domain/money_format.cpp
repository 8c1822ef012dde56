#include "domain/money_format.h"

#include <cctype>

namespace codezero::domain {
namespace {

std::string Grouped(Cents whole, char separator) {
  std::string digits = std::to_string(whole);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), 1, separator);
  }
  return digits;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string FormatMoney(Cents amount, std::string_view currency, Locale locale) {
  const bool negative = amount < 0;
  const Cents magnitude = negative ? -amount : amount;
  const Cents cents = magnitude % 100;
  const std::string fraction = (cents < 10 ? "0" : "") + std::to_string(cents);
  const std::string code = Upper(currency);
  const bool euro = code == "EUR";
  std::string text = negative ? "−" : "";
  if (locale == Locale::kDe) {
    text += Grouped(magnitude / 100, '.') + "," + fraction;
    text += euro ? " €" : " " + code;
  } else {
    if (euro) text += "€";
    text += Grouped(magnitude / 100, ',') + "." + fraction;
    if (!euro) text += " " + code;
  }
  return text;
}

std::string FormatNumber(std::int64_t number, Locale locale) {
  const std::string sign = number < 0 ? "−" : "";
  return sign + Grouped(number < 0 ? -number : number, locale == Locale::kDe ? '.' : ',');
}

namespace {

// 01:00 UTC on the last Sunday of `month` in `y`.
std::chrono::sys_seconds LastSundayOneUtc(std::chrono::year y, std::chrono::month month) {
  using namespace std::chrono;
  const sys_days last{year_month_weekday_last(y, month, weekday_last(Sunday))};
  return sys_seconds(last) + hours(1);
}

bool SummerTime(std::chrono::sys_seconds time) {
  using namespace std::chrono;
  const year y = year_month_day(floor<days>(time)).year();
  return time >= LastSundayOneUtc(y, March) && time < LastSundayOneUtc(y, October);
}

// The wall-clock time in Germany of an instant, as if it were UTC.
std::chrono::sys_seconds GermanWallClock(std::chrono::sys_seconds time) {
  return time + std::chrono::hours(SummerTime(time) ? 2 : 1);
}

std::string FormatDay(std::chrono::sys_days calendar_day, Locale locale, DateStyle style) {
  using namespace std::chrono;
  const year_month_day date(calendar_day);
  const unsigned day = static_cast<unsigned>(date.day());
  const unsigned month = static_cast<unsigned>(date.month());
  const int year = static_cast<int>(date.year());
  if (locale == Locale::kDe) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02u.%02u.%04d", day, month, year);
    return buffer;
  }
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  const std::string month_name = kMonths[month - 1];
  return std::to_string(day) + " " +
         (style == DateStyle::kShort ? month_name.substr(0, 3) : month_name) + " " +
         std::to_string(year);
}

}  // namespace

std::string FormatDate(std::chrono::sys_seconds time, Locale locale, DateStyle style) {
  using namespace std::chrono;
  return FormatDay(floor<days>(GermanWallClock(time)), locale, style);
}

std::string FormatDateTime(std::chrono::sys_seconds time, Locale locale) {
  using namespace std::chrono;
  const bool summer = SummerTime(time);
  const sys_seconds local = GermanWallClock(time);
  const hh_mm_ss<seconds> clock(local - floor<days>(local));
  char hour_minute[8];
  std::snprintf(hour_minute, sizeof hour_minute, "%02d:%02d",
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()));
  const std::string date = FormatDay(floor<days>(local), locale, DateStyle::kLong);
  if (locale == Locale::kDe) {
    return date + ", " + hour_minute + " Uhr (" + (summer ? "MESZ" : "MEZ") + ")";
  }
  return date + ", " + hour_minute + " " + (summer ? "CEST" : "CET");
}

std::string FormatDate(std::int64_t unix_seconds, Locale locale, DateStyle style) {
  return FormatDate(std::chrono::sys_seconds(std::chrono::seconds(unix_seconds)), locale, style);
}

std::string FormatDateTime(std::int64_t unix_seconds, Locale locale) {
  return FormatDateTime(std::chrono::sys_seconds(std::chrono::seconds(unix_seconds)), locale);
}

}  // namespace codezero::domain
