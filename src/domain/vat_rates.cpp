#include "domain/vat_rates.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <boost/json/parse.hpp>

#include "common/json_fields.h"
#include "embedded/vat_rates_json.h"

namespace codezero::domain {
namespace {

std::optional<int> ParseNumber(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::chrono::sys_days> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = ParseNumber(text.substr(0, 4));
  const auto month = ParseNumber(text.substr(5, 2));
  const auto day = ParseNumber(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date);
}

Result<VatRates> VatRates::Parse(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value document = boost::json::parse(json, ec);
  if (ec) return Fail(ErrorCode::kValidationFailed, "VAT rates are not valid JSON");
  JsonFields fields(document);
  (void)fields.String("source");
  VatRates rates;
  const boost::json::array* entries = fields.Array("rates", true, 1000);
  for (std::size_t i = 0; entries != nullptr && i < entries->size(); ++i) {
    JsonFields entry = fields.Nested((*entries)[i], "rates[" + std::to_string(i) + "]");
    auto country = entry.String("country", {.min_length = 2, .max_length = 2});
    auto rate = entry.Integer("rate_bps", {.min = 0, .max = 10'000});
    auto from = entry.String("from");
    entry.RejectUnknown();
    const auto day = from ? ParseIsoDate(*from) : std::nullopt;
    if (from && !day) entry.AddError("invalid_value", "from", "Must be a date, YYYY-MM-DD.");
    if (country && rate && day) {
      rates.entries_.push_back({*country, static_cast<int>(*rate), *day});
    }
  }
  fields.RejectUnknown();
  if (auto ok = fields.Finish("The VAT rate table is invalid."); !ok)
    return tl::unexpected(ok.error());
  std::sort(rates.entries_.begin(), rates.entries_.end(), [](const Entry& a, const Entry& b) {
    return a.country != b.country ? a.country < b.country : a.from < b.from;
  });
  return rates;
}

std::optional<int> VatRates::StandardRate(std::string_view country,
                                          std::chrono::sys_days day) const {
  std::optional<int> rate;
  for (const Entry& entry : entries_) {
    if (entry.country == country && entry.from <= day) rate = entry.rate_bps;
  }
  return rate;
}

const VatRates& EmbeddedVatRates() {
  static const VatRates kRates = [] {
    auto parsed = VatRates::Parse(embedded::vat_rates_json());
    if (!parsed) {
      std::string problems;
      for (const auto& field : parsed.error().fields)
        problems += " " + field.field + ": " + field.message;
      throw std::logic_error("catalog/vat-rates.json is invalid:" + problems);
    }
    return std::move(*parsed);
  }();
  return kRates;
}

}  // namespace codezero::domain
