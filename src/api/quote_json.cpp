#include "api/quote_json.h"

#include <chrono>

#include "common/json_writer.h"

namespace codezero::api {
namespace {

void WriteTotals(JsonWriter& json, const domain::Totals& totals) {
  json.Member("amount_subtotal", totals.subtotal);
  json.Member("amount_discount", totals.discount);
  json.Member("amount_tax", totals.tax);
  json.Member("amount_total", totals.total);
}

}  // namespace

std::string Rfc3339(std::int64_t unix_seconds) {
  // Calendar arithmetic rather than gmtime_r and strftime: a quote writes two of these.
  using namespace std::chrono;
  const sys_seconds time{seconds(unix_seconds)};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char text[] = "0000-00-00T00:00:00Z";
  const auto put = [&text](std::size_t at, unsigned value, std::size_t digits) {
    for (std::size_t i = digits; i > 0; --i, value /= 10) {
      text[at + i - 1] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  put(5, static_cast<unsigned>(date.month()), 2);
  put(8, static_cast<unsigned>(date.day()), 2);
  put(11, static_cast<unsigned>(clock.hours().count()), 2);
  put(14, static_cast<unsigned>(clock.minutes().count()), 2);
  put(17, static_cast<unsigned>(clock.seconds().count()), 2);
  return std::string(text, sizeof text - 1);
}

std::string QuoteJson(const domain::PricedQuote& quote, const domain::CustomerInput& customer,
                      const std::string& token, std::string_view quote_id, std::int64_t issued_at,
                      std::int64_t expires_at) {
  JsonWriter json(2048 + token.size());  // a quote with three lines is about 1,200 bytes
  json.BeginObject();
  json.SafeMember("id", quote_id);
  json.SafeMember("token", token);  // base64url and '.'
  json.SafeMember("issued_at", Rfc3339(issued_at));
  json.SafeMember("expires_at", Rfc3339(expires_at));
  json.Member("catalog_version", quote.catalog_version);
  json.Member("currency", quote.currency);
  json.Member("interval", domain::ToString(quote.interval));
  json.Member("locale", domain::ToString(quote.locale));
  json.Key("customer");
  json.BeginObject();
  json.Member("type", domain::ToString(customer.type));
  json.Member("country", customer.country);
  json.NullableMember("vat_id", customer.vat_id ? std::string_view(*customer.vat_id) : "");
  json.NullableMember("postal_code",
                      customer.postal_code ? std::string_view(*customer.postal_code) : "");
  json.EndObject();
  json.Key("lines");
  json.BeginArray();
  for (const domain::PricedLine& line : quote.lines) {
    json.BeginObject();
    json.Member("code", line.code);
    json.Member("kind", line.kind == domain::LineKind::kPlan ? "plan" : "addon");
    json.Member("description", line.description);
    json.Member("quantity", line.quantity);
    json.Member("unit_amount", line.unit_amount);
    json.Member("amount", line.amount);
    json.Member("amount_discount", line.amount_discount);
    json.Member("amount_tax", line.amount_tax);
    json.Member("tax_rate_bps", line.tax_rate_bps);
    json.Member("recurring", line.recurring);
    json.EndObject();
  }
  json.EndArray();
  WriteTotals(json, quote.first_invoice);
  json.Key("tax");
  json.BeginObject();
  json.Member("treatment", domain::ToString(quote.tax.treatment));
  json.Member("country", quote.tax.country);
  json.Member("rate_bps", quote.tax.rate_bps);
  json.Member("note", domain::TaxNote(quote.tax, quote.locale));
  json.EndObject();
  json.Key("recurring");
  json.BeginObject();
  json.Member("interval", domain::ToString(quote.interval));
  WriteTotals(json, quote.recurring);
  json.EndObject();
  json.Key("discount");
  if (quote.discount) {
    json.BeginObject();
    json.Member("kind", domain::ToString(quote.discount->kind));
    json.Member("code", quote.discount->code);
    json.Member("percent_off_bps", quote.discount->percent_off_bps);
    json.EndObject();
  } else {
    json.Null();
  }
  json.EndObject();
  return std::move(json).Take();
}

}  // namespace codezero::api
