#include "domain/quote_request.h"

#include <algorithm>
#include <cctype>

#include "common/json_fields.h"

namespace codezero::domain {
namespace {

std::string UpperCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<std::string> Code(JsonFields& fields, std::string_view name) {
  auto code = fields.String(name, {.required = false, .min_length = 1, .max_length = 64});
  if (!code) return std::nullopt;
  return UpperCase(std::move(*code));
}

}  // namespace

ParsedQuoteRequest ParseQuoteRequest(const boost::json::value& body) {
  ParsedQuoteRequest parsed;
  QuoteRequest& request = parsed.request;
  std::vector<Violation>& violations = parsed.violations;
  JsonFields fields(body);

  request.plan = fields.String("plan", {.min_length = 1, .max_length = 64}).value_or("");

  const auto interval = fields.String("interval", {.min_length = 1, .max_length = 16});
  if (interval) {
    if (auto parsed_interval = ParseInterval(*interval)) {
      request.interval = *parsed_interval;
    } else {
      violations.push_back({"unsupported_interval", "interval", {*interval}});
    }
  }

  if (const auto* addons = fields.Array("addons", false, 50)) {
    for (std::size_t i = 0; i < addons->size(); ++i) {
      JsonFields addon = fields.Nested((*addons)[i], "addons[" + std::to_string(i) + "]");
      AddonSelection selection;
      selection.code = addon.String("code", {.min_length = 1, .max_length = 64}).value_or("");
      selection.quantity =
          addon.Integer("quantity", {.required = false, .min = -1'000'000, .max = 1'000'000})
              .value_or(1);
      addon.RejectUnknown();
      request.addons.push_back(std::move(selection));
    }
  }

  const auto currency =
      fields.String("currency", {.required = false, .min_length = 1, .max_length = 8});
  if (currency) request.currency = Lower(*currency);

  JsonFields customer = fields.Object("customer");
  const auto country = customer.String("country", {.min_length = 1, .max_length = 8});
  if (country) {
    request.customer.country = UpperCase(*country);
    if (!IsSupportedCountry(request.customer.country)) {
      violations.push_back({"unsupported_country", "customer.country", {*country}});
    }
  }
  const auto type = customer.String("type", {.min_length = 1, .max_length = 16});
  if (type) {
    if (auto parsed_type = ParseCustomerType(*type)) {
      request.customer.type = *parsed_type;
    } else {
      violations.push_back({"invalid_value", "customer.type", {"business, consumer"}});
    }
  }
  request.customer.vat_id =
      customer.String("vat_id", {.required = false, .min_length = 1, .max_length = 32});
  request.customer.postal_code =
      customer.String("postal_code", {.required = false, .min_length = 1, .max_length = 16});
  customer.RejectUnknown();

  request.coupon = Code(fields, "coupon");
  request.referral_code = Code(fields, "referral_code");

  const auto locale =
      fields.String("locale", {.required = false, .min_length = 1, .max_length = 8});
  if (locale) {
    if (auto parsed_locale = ParseLocale(*locale)) {
      request.locale = *parsed_locale;
    } else {
      violations.push_back({"unsupported_locale", "locale", {*locale}});
    }
  }
  fields.RejectUnknown();

  if (auto shape = fields.Finish(); !shape) {
    // Shape errors first: they are the client's most basic mistakes.
    std::vector<Violation> all;
    for (const FieldError& error : shape.error().fields)
      all.push_back({error.code, error.field, {}});
    all.insert(all.end(), violations.begin(), violations.end());
    violations = std::move(all);
  }
  return parsed;
}

}  // namespace codezero::domain
