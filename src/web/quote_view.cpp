#include "web/quote_view.h"

#include <chrono>
#include <cstdio>

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>

namespace codezero::web {
namespace {

namespace json = boost::json;

std::string Text(const json::object& object, std::string_view key) {
  return json::value_to<std::string>(object.at(key));
}

std::int64_t Number(const json::object& object, std::string_view key) {
  return object.at(key).to_number<std::int64_t>();
}

QuoteTotals Totals(const json::object& object) {
  return {Number(object, "amount_subtotal"), Number(object, "amount_discount"),
          Number(object, "amount_tax"), Number(object, "amount_total")};
}

QuoteView ReadQuoteView(const json::object& root) {
  QuoteView quote;
  quote.id = Text(root, "id");
  quote.token = Text(root, "token");
  const auto issued = ParseRfc3339(Text(root, "issued_at"));
  const auto expires = ParseRfc3339(Text(root, "expires_at"));
  if (!issued || !expires) throw std::runtime_error("bad quote dates");
  quote.issued_at = *issued;
  quote.expires_at = *expires;
  quote.currency = Text(root, "currency");
  quote.interval = Text(root, "interval");
  const json::object& customer = root.at("customer").as_object();
  quote.customer_type = Text(customer, "type");
  quote.customer_country = Text(customer, "country");
  if (!customer.at("vat_id").is_null()) quote.customer_vat_id = Text(customer, "vat_id");
  if (const auto* postal_code = customer.if_contains("postal_code");
      postal_code != nullptr && postal_code->is_string()) {
    quote.customer_postal_code = std::string(postal_code->as_string());
  }
  for (const json::value& value : root.at("lines").as_array()) {
    const json::object& line = value.as_object();
    QuoteLine entry;
    entry.code = Text(line, "code");
    entry.plan = line.at("kind").as_string() == "plan";
    entry.description = Text(line, "description");
    entry.quantity = Number(line, "quantity");
    entry.unit_amount = Number(line, "unit_amount");
    entry.amount = Number(line, "amount");
    entry.amount_discount = Number(line, "amount_discount");
    entry.amount_tax = Number(line, "amount_tax");
    entry.tax_rate_bps = static_cast<int>(Number(line, "tax_rate_bps"));
    entry.recurring = line.at("recurring").as_bool();
    quote.lines.push_back(std::move(entry));
  }
  quote.first_invoice = Totals(root);
  quote.recurring = Totals(root.at("recurring").as_object());
  const json::object& tax = root.at("tax").as_object();
  quote.tax_treatment = Text(tax, "treatment");
  quote.tax_rate_bps = static_cast<int>(Number(tax, "rate_bps"));
  quote.tax_note = Text(tax, "note");
  if (const json::value& discount = root.at("discount"); !discount.is_null()) {
    quote.discount_kind = Text(discount.as_object(), "kind");
    quote.discount_code = Text(discount.as_object(), "code");
    quote.discount_percent_off_bps =
        static_cast<int>(Number(discount.as_object(), "percent_off_bps"));
  }
  return quote;
}

}  // namespace

std::optional<std::int64_t> ParseRfc3339(std::string_view text) {
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2u-%2uT%2u:%2u:%2uZ", &year, &month, &day, &hour, &minute,
                  &second) != 6) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto time = std::chrono::sys_days(date) + std::chrono::hours(hour) +
                    std::chrono::minutes(minute) + std::chrono::seconds(second);
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

Result<QuoteView> ParseQuote(std::string_view text) {
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Fail(ErrorCode::kInternal, "bad quote", "not a JSON object");
  try {
    return ReadQuoteView(root.as_object());
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, "bad quote", e.what());
  }
}

}  // namespace codezero::web
