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

std::string FormatDate(std::chrono::sys_seconds time, Locale locale, DateStyle style) {
  using namespace std::chrono;
  const year_month_day date(floor<days>(time));
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

}  // namespace codezero::domain
