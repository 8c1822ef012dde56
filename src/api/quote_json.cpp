#include "api/quote_json.h"

#include <ctime>

#include "common/json_writer.h"
#include "domain/quote_token.h"

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
  // Quotes issued in the same second expire in the same second: format it once.
  thread_local std::int64_t cached_seconds = -1;
  thread_local std::string cached;
  if (unix_seconds == cached_seconds) return cached;
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  cached_seconds = unix_seconds;
  cached = buffer;
  return cached;
}

std::string QuoteJson(const domain::PricedQuote& quote, const domain::CustomerInput& customer,
                      const std::string& token, std::int64_t issued_at, std::int64_t expires_at) {
  JsonWriter json(2048 + token.size());  // a quote with three lines is about 1,200 bytes
  json.BeginObject();
  json.SafeMember("id", domain::QuoteIdOf(token));
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
