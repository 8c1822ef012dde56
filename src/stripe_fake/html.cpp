#include "stripe_fake/html.h"

#include <chrono>
#include <cstdio>

#include "common/html_escape.h"

namespace codezero::stripe_fake {

std::string PageLanguage(std::string_view locale) { return locale.starts_with("de") ? "de" : "en"; }

std::string Escape(std::string_view text) { return EscapeHtml(text); }

std::string PercentLabel(const boost::json::value& percentage) {
  if (percentage.is_int64()) return std::to_string(percentage.as_int64());
  if (percentage.is_uint64()) return std::to_string(percentage.as_uint64());
  if (!percentage.is_double()) return "?";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", percentage.as_double());
  return buffer;
}

std::string FormatMoney(std::int64_t cents, const std::string& language) {
  const bool negative = cents < 0;
  std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(cents + 1)) + 1 : static_cast<std::uint64_t>(cents);
  const char group = language == "de" ? '.' : ',';
  const char decimal = language == "de" ? ',' : '.';
  // Digits right to left: two decimals, the separator, then groups of three.
  std::string reversed;
  for (int i = 0; i < 2; ++i) {
    reversed.push_back(static_cast<char>('0' + magnitude % 10));
    magnitude /= 10;
  }
  reversed.push_back(decimal);
  int digits = 0;
  do {
    if (digits > 0 && digits % 3 == 0) reversed.push_back(group);
    reversed.push_back(static_cast<char>('0' + magnitude % 10));
    magnitude /= 10;
    ++digits;
  } while (magnitude > 0);
  const std::string number(reversed.rbegin(), reversed.rend());
  const std::string sign = negative ? "-" : "";
  if (language == "de") return sign + number + "\u00a0€";
  return sign + "€" + number;
}

std::string FormatDate(std::int64_t unix_seconds, const std::string& language) {
  const auto day = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(unix_seconds)));
  const std::chrono::year_month_day date(day);
  const unsigned d = static_cast<unsigned>(date.day());
  const unsigned m = static_cast<unsigned>(date.month());
  const int y = static_cast<int>(date.year());
  if (language == "de") {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02u.%02u.%04d", d, m, y);
    return buffer;
  }
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return std::to_string(d) + " " + kMonths[m - 1] + " " + std::to_string(y);
}

std::string Layout(const std::string& language, std::string_view title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"" + language +
         "\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         Escape(title) +
         "</title><style>"
         "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
         "color:#1a1a1a}table{width:100%;border-collapse:collapse}td,th{padding:.3rem 0;"
         "text-align:left}td.amount,th.amount{text-align:right}tr.total td{font-weight:bold;"
         "border-top:1px solid #999}form{margin:1rem 0;padding:1rem;border:1px solid #ddd;"
         "border-radius:6px}label{display:block;margin:.5rem 0}input{font-size:1rem;"
         "padding:.3rem;width:100%;box-sizing:border-box}button{font-size:1rem;padding:.5rem 1rem;"
         "margin-top:.5rem}.error{background:#fde8e8;border:1px solid #e0a0a0;padding:.6rem;"
         "border-radius:6px}.notice{background:#e8f4fd;padding:.6rem;border-radius:6px}"
         ".test{color:#8a5a00;font-size:.9rem}</style></head><body>\n" +
         body + "\n</body></html>\n";
}

http::Response HtmlResponse(http::Status status, std::string html, unsigned version) {
  http::Response response(status, version);
  response.set(http::Field::content_type, "text/html; charset=utf-8");
  response.body() = std::move(html);
  response.prepare_payload();
  return response;
}

http::Response RedirectResponse(const std::string& location, unsigned version) {
  http::Response response(http::Status::see_other, version);
  response.set(http::Field::location, location);
  response.set(http::Field::content_type, "text/plain; charset=utf-8");
  response.body() = "See " + location + "\n";
  response.prepare_payload();
  return response;
}

}  // namespace codezero::stripe_fake
