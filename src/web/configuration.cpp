#include "web/configuration.h"

#include <charconv>
#include <optional>

#include "common/json_writer.h"
#include "http/query.h"

namespace codezero::web {
namespace {

constexpr std::size_t kMaxValueLength = 100;

std::string Limited(std::string value) {
  if (value.size() > kMaxValueLength) value.resize(kMaxValueLength);
  return value;
}

void Read(std::string_view query, std::string_view name, std::string& into) {
  if (auto value = http::QueryParameter(query, name)) into = Limited(std::move(*value));
}

std::string Trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::optional<std::int64_t> WholeNumber(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void AppendParameter(std::string& query, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  if (!query.empty()) query += '&';
  query += name;
  query += '=';
  query += http::EncodeQueryValue(value);
}

}  // namespace

Configuration DefaultConfiguration(const CatalogView& catalog) {
  Configuration configuration;
  if (!catalog.plans.empty()) configuration.plan = catalog.plans[catalog.plans.size() / 2].code;
  configuration.interval = "month";
  configuration.type = "business";
  configuration.country = "DE";
  return configuration;
}

Configuration ReadConfiguration(std::string_view query, const CatalogView& catalog) {
  Configuration configuration = DefaultConfiguration(catalog);
  Read(query, "plan", configuration.plan);
  Read(query, "interval", configuration.interval);
  Read(query, "type", configuration.type);
  Read(query, "country", configuration.country);
  Read(query, "vat_id", configuration.vat_id);
  Read(query, "postal_code", configuration.postal_code);
  Read(query, "code", configuration.code);
  configuration.country = Upper(Trimmed(std::move(configuration.country)));
  configuration.vat_id = Trimmed(std::move(configuration.vat_id));
  configuration.postal_code = Trimmed(std::move(configuration.postal_code));
  configuration.code = Upper(Trimmed(std::move(configuration.code)));
  for (const CatalogAddon& addon : catalog.addons) {
    auto value = http::QueryParameter(query, addon.code);
    if (!value) continue;
    std::string quantity = Trimmed(Limited(std::move(*value)));
    if (quantity.empty() || quantity == "0") continue;
    if (addon.IsSwitch() && quantity == "on") quantity = "1";  // a checkbox without a value
    configuration.addons.push_back({addon.code, std::move(quantity)});
  }
  return configuration;
}

std::string ConfigurationQuery(const Configuration& configuration) {
  std::string query;
  AppendParameter(query, "plan", configuration.plan);
  AppendParameter(query, "interval", configuration.interval);
  for (const AddonChoice& addon : configuration.addons) {
    AppendParameter(query, addon.code, addon.quantity);
  }
  AppendParameter(query, "type", configuration.type);
  AppendParameter(query, "country", configuration.country);
  AppendParameter(query, "vat_id", configuration.vat_id);
  AppendParameter(query, "postal_code", configuration.postal_code);
  AppendParameter(query, "code", configuration.code);
  return query;
}

std::string QuoteRequestJson(const Configuration& configuration, domain::Locale locale,
                             bool code_as_referral) {
  JsonWriter json(512);
  json.BeginObject();
  json.Member("plan", configuration.plan);
  json.Member("interval", configuration.interval);
  json.Key("addons");
  json.BeginArray();
  for (const AddonChoice& addon : configuration.addons) {
    json.BeginObject();
    json.Member("code", addon.code);
    if (const auto quantity = WholeNumber(addon.quantity)) {
      json.Member("quantity", *quantity);
    } else {
      json.Member("quantity", addon.quantity);
    }
    json.EndObject();
  }
  json.EndArray();
  json.Key("customer");
  json.BeginObject();
  json.Member("country", configuration.country);
  json.Member("type", configuration.type);
  json.NullableMember("vat_id", configuration.type == "business" ? configuration.vat_id : "");
  if (!configuration.postal_code.empty()) json.Member("postal_code", configuration.postal_code);
  json.EndObject();
  if (!configuration.code.empty()) {
    json.Member(code_as_referral ? "referral_code" : "coupon", configuration.code);
  }
  json.Member("locale", domain::ToString(locale));
  json.EndObject();
  return std::move(json).Take();
}

std::string FormFieldOf(std::string_view api_field, const Configuration& configuration) {
  if (api_field == "plan" || api_field == "interval") return std::string(api_field);
  if (api_field == "customer.country") return "country";
  if (api_field == "customer.type") return "type";
  if (api_field == "customer.vat_id") return "vat_id";
  if (api_field == "customer.postal_code") return "postal_code";
  if (api_field == "coupon" || api_field == "referral_code") return "code";
  if (api_field.starts_with("addons[")) {
    const std::size_t close = api_field.find(']');
    const auto index = close == std::string_view::npos
                           ? std::nullopt
                           : WholeNumber(api_field.substr(7, close - 7));
    if (index && *index >= 0 && static_cast<std::size_t>(*index) < configuration.addons.size()) {
      return configuration.addons[static_cast<std::size_t>(*index)].code;
    }
  }
  return "";
}

}  // namespace codezero::web
