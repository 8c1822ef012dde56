// Small helpers for the hosted pages: escaping, money in the page's language, the shared
// layout (inline CSS only; no scripts, no external resources) and HTML responses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "http/message.h"

namespace codezero::stripe_fake {

// "de" or "en" from a Stripe locale ("de", "de-DE", "auto", ...); English by default.
[[nodiscard]] std::string PageLanguage(std::string_view locale);

// Picks the German or English text.
[[nodiscard]] inline std::string_view Tr(const std::string& language, std::string_view de,
                                         std::string_view en) {
  return language == "de" ? de : en;
}

[[nodiscard]] std::string Escape(std::string_view text);

// A percentage as Stripe's JSON holds it (19 or 25.5), for labels: "19", "25.5".
[[nodiscard]] std::string PercentLabel(const boost::json::value& percentage);

// 123456 cents in EUR: "1.234,56 €" (de) or "€1,234.56" (en).
[[nodiscard]] std::string FormatMoney(std::int64_t cents, const std::string& language);

// A date as "26.11.2026" (de) or "26 Nov 2026" (en), UTC.
[[nodiscard]] std::string FormatDate(std::int64_t unix_seconds, const std::string& language);

// The page around `body` (already HTML).
[[nodiscard]] std::string Layout(const std::string& language, std::string_view title,
                                 const std::string& body);

[[nodiscard]] http::Response HtmlResponse(http::Status status, std::string html, unsigned version);
[[nodiscard]] http::Response RedirectResponse(const std::string& location, unsigned version);

}  // namespace codezero::stripe_fake
