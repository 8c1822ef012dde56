#include "web/configurator_view.h"

#include <boost/json/array.hpp>

#include "web/formatting.h"

namespace codezero::web {
namespace {

namespace json = boost::json;

std::string FieldErrorFor(const ConfiguratorInput& input, std::string_view field) {
  if (input.error == nullptr) return "";
  std::string messages;
  for (const FieldError& error : input.error->fields) {
    if (FormFieldOf(error.field, input.configuration) != field) continue;
    if (!messages.empty()) messages += ' ';
    messages += error.message;
  }
  return messages;
}

// The plans an add-on comes with, for "only with Team or Business": each name with the
// separator the template writes after it (a comma, "or", or nothing after the last).
json::array PlanNames(const CatalogView& catalog, const std::vector<std::string>& codes) {
  json::array names;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const CatalogPlan* plan = catalog.FindPlan(codes[i]);
    names.push_back(json::object{{"name", plan ? plan->name : codes[i]},
                                 {"then_comma", i + 2 < codes.size()},
                                 {"then_or", i + 2 == codes.size()}});
  }
  return names;
}

const AddonChoice* ChoiceOf(const Configuration& configuration, std::string_view code) {
  for (const AddonChoice& choice : configuration.addons) {
    if (choice.code == code) return &choice;
  }
  return nullptr;
}

json::array Plans(const ConfiguratorInput& input, bool yearly) {
  json::array plans;
  for (const CatalogPlan& plan : input.catalog.plans) {
    plans.push_back(json::object{
        {"code", plan.code},
        {"name", plan.name},
        {"summary", plan.summary},
        {"selected", plan.code == input.configuration.plan},
        {"price", Money(yearly ? plan.year : plan.month, input.catalog.currency, input.locale)},
        {"yearly", yearly},
    });
  }
  return plans;
}

json::array Addons(const ConfiguratorInput& input, bool yearly) {
  json::array addons;
  const std::string& plan = input.configuration.plan;
  const bool plan_known = input.catalog.FindPlan(plan) != nullptr;
  for (const CatalogAddon& addon : input.catalog.addons) {
    const AddonChoice* choice = ChoiceOf(input.configuration, addon.code);
    const bool included = plan_known && addon.IncludedIn(plan);
    const bool available = plan_known && addon.AvailableWith(plan) && !included;
    const std::int64_t max = addon.MaxQuantity(plan);
    const std::string error = FieldErrorFor(input, addon.code);
    json::object entry{
        {"code", addon.code},
        {"name", addon.name},
        {"switch", addon.IsSwitch()},
        {"checked", included || (available && choice != nullptr)},
        {"quantity", available && choice ? choice->quantity : std::string("0")},
        {"min", 0},
        {"max", std::max<std::int64_t>(max, 0)},
        {"disabled", !available},
        {"included", included},
        {"unavailable", !available && !included},
        {"available_plans", PlanNames(input.catalog, addon.available_with)},
        {"once", !addon.recurring},
        {"yearly", yearly && addon.recurring},
        {"price", Money(addon.recurring ? (yearly ? addon.year : addon.month) : addon.once,
                        input.catalog.currency, input.locale)},
        {"error", error},
        {"invalid", !error.empty()},
    };
    addons.push_back(std::move(entry));
  }
  return addons;
}

json::array Countries(const ConfiguratorInput& input, bool eu) {
  json::array countries;
  for (const CountryOption& country : CountryOptions(input.locale)) {
    if (country.eu != eu) continue;
    countries.push_back(json::object{{"code", country.code},
                                     {"name", country.name},
                                     {"selected", country.code == input.configuration.country}});
  }
  return countries;
}

void AddField(json::object& data, json::array& summary, const ConfiguratorInput& input,
              std::string_view field, std::string_view anchor) {
  const std::string error = FieldErrorFor(input, field);
  json::object entry{{"error", error}, {"invalid", !error.empty()}};
  data[std::string(field) + "_field"] = std::move(entry);
  if (!error.empty()) summary.push_back(json::object{{"anchor", anchor}, {"message", error}});
}

}  // namespace

json::object BreakdownData(const QuoteView& quote, Locale locale) {
  const auto money = [&](domain::Cents amount) { return Money(amount, quote.currency, locale); };
  json::array lines;
  std::size_t position = 0;
  for (const QuoteLine& line : quote.lines) {
    lines.push_back(json::object{
        {"position", ++position},
        {"description", line.description},
        {"quantity", line.quantity},
        {"show_quantity", line.quantity > 1},
        {"unit", money(line.unit_amount)},
        {"amount", money(line.amount)},
        {"once", !line.recurring},
    });
  }
  json::object data;
  data["lines"] = std::move(lines);
  if (!quote.discount_code.empty()) {
    data["discount"] = json::object{{"code", quote.discount_code},
                                    {"percent", Percent(quote.discount_percent_off_bps, locale)},
                                    {"amount", money(quote.first_invoice.discount)},
                                    {"referral", quote.discount_kind == "referral"}};
  }
  data["subtotal"] = money(quote.first_invoice.subtotal - quote.first_invoice.discount);
  data["tax"] = money(quote.first_invoice.tax);
  data["tax_rate"] = Percent(quote.tax_rate_bps, locale);
  data["tax_country"] = CountryName(quote.customer_country, locale);
  data["tax_standard"] = quote.tax_treatment == "standard";
  data["tax_oss"] = quote.tax_treatment == "oss";
  data["tax_reverse_charge"] = quote.tax_treatment == "reverse_charge";
  data["tax_not_taxable"] = quote.tax_treatment == "not_taxable";
  data["tax_note"] = quote.tax_note;
  data["total"] = money(quote.first_invoice.total);
  data["recurring_total"] = money(quote.recurring.total);
  data["recurring_net"] = money(quote.recurring.subtotal);
  data["monthly"] = quote.interval == "month";
  data["yearly"] = quote.interval == "year";
  data["consumer"] = quote.customer_type == "consumer";
  data["business"] = quote.customer_type == "business";
  data["customer_country"] = CountryName(quote.customer_country, locale);
  data["customer_vat_id"] = quote.customer_vat_id;
  data["reference"] = quote.id;
  data["issued"] = Date(quote.issued_at, locale);
  data["valid_until"] = Date(quote.expires_at, locale);
  data["offer_url"] = std::string(PathOf(Page::kOffer, locale)) + quote.token;
  return data;
}

json::object ConfiguratorData(const ConfiguratorInput& input) {
  const Configuration& configuration = input.configuration;
  const bool yearly = configuration.interval == "year";
  json::object data;
  data["action"] = PathOf(Page::kConfigurator, input.locale);
  data["fragment_url"] = PathOf(Page::kConfiguratorFragment, input.locale);
  data["plans"] = Plans(input, yearly);
  data["monthly"] = configuration.interval == "month";
  data["yearly"] = yearly;
  if (const CatalogPlan* plan = input.catalog.FindPlan(configuration.plan)) {
    data["yearly_saving"] =
        Money(plan->month * 12 - plan->year, input.catalog.currency, input.locale);
  }
  data["free_months"] = 12 - input.catalog.yearly_months_charged;
  data["addons"] = Addons(input, yearly);
  data["business"] = configuration.type == "business";
  data["consumer"] = configuration.type == "consumer";
  data["countries_eu"] = Countries(input, true);
  data["countries_other"] = Countries(input, false);
  data["vat_id"] = configuration.vat_id;
  data["postal_code"] = configuration.postal_code;
  data["code"] = configuration.code;

  json::array summary;
  AddField(data, summary, input, "plan", "plan-" + configuration.plan);
  AddField(data, summary, input, "interval", "interval-month");
  for (const CatalogAddon& addon : input.catalog.addons) {
    const std::string error = FieldErrorFor(input, addon.code);
    if (!error.empty())
      summary.push_back(json::object{{"anchor", "field-" + addon.code}, {"message", error}});
  }
  AddField(data, summary, input, "type", "type-business");
  AddField(data, summary, input, "country", "field-country");
  AddField(data, summary, input, "vat_id", "field-vat_id");
  AddField(data, summary, input, "postal_code", "field-postal_code");
  AddField(data, summary, input, "code", "field-code");
  // Errors that belong to no field of the form (a currency, say) still reach the visitor.
  if (input.error != nullptr) {
    for (const FieldError& error : input.error->fields) {
      if (FormFieldOf(error.field, configuration).empty()) {
        summary.push_back(json::object{{"anchor", "configurator"}, {"message", error.message}});
      }
    }
  }
  data["errors"] = std::move(summary);
  data["invalid"] = input.quote == nullptr;
  if (input.quote != nullptr) {
    json::object breakdown = BreakdownData(*input.quote, input.locale);
    breakdown["checkout_url"] =
        std::string(PathOf(Page::kCheckout, input.locale)) + "?quote=" + input.quote->token;
    data["quote"] = std::move(breakdown);
  }
  return data;
}

}  // namespace codezero::web
