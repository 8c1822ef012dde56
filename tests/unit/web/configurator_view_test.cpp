#include "web/configurator_view.h"

#include <gtest/gtest.h>

#include "support/web_catalog.h"

namespace codezero::web {
namespace {

namespace json = boost::json;

const json::object& AddonData(const json::object& data, std::string_view code) {
  for (const json::value& addon : data.at("addons").as_array()) {
    if (addon.at("code").as_string() == code) return addon.as_object();
  }
  throw std::runtime_error("no add-on " + std::string(code));
}

json::object DataFor(std::string_view query, const QuoteView* quote = nullptr,
                     const Error* error = nullptr, Locale locale = Locale::kDe) {
  const Configuration configuration = ReadConfiguration(query, testing::WebCatalog(locale));
  return ConfiguratorData({.catalog = testing::WebCatalog(locale),
                           .configuration = configuration,
                           .quote = quote,
                           .error = error,
                           .locale = locale});
}

TEST(ConfiguratorView, AnAddonOfAnotherPlanIsDisabledWithThePlansThatOfferIt) {
  const json::object data = DataFor("plan=starter&sso=1");
  const json::object& sso = AddonData(data, "sso");
  EXPECT_TRUE(sso.at("disabled").as_bool());
  EXPECT_TRUE(sso.at("unavailable").as_bool());
  EXPECT_FALSE(sso.at("checked").as_bool()) << "not chosen while it cannot be";
  ASSERT_EQ(sso.at("available_plans").as_array().size(), 1U);
  EXPECT_EQ(sso.at("available_plans").at(0).at("name").as_string(), "Team");
  const json::object& support = AddonData(data, "priority_support");
  ASSERT_EQ(support.at("available_plans").as_array().size(), 2U);
  EXPECT_TRUE(support.at("available_plans").at(0).at("then_or").as_bool()) << "Team or Business";
}

TEST(ConfiguratorView, AnIncludedAddonIsMarkedIncludedAndChecked) {
  const json::object data = DataFor("plan=business");
  const json::object& audit = AddonData(data, "audit_log");
  EXPECT_TRUE(audit.at("included").as_bool());
  EXPECT_TRUE(audit.at("checked").as_bool());
  EXPECT_TRUE(audit.at("disabled").as_bool());
  EXPECT_FALSE(audit.at("unavailable").as_bool());
}

TEST(ConfiguratorView, QuantitiesAreLimitedByThePlan) {
  EXPECT_EQ(AddonData(DataFor("plan=starter"), "extra_seats").at("max").as_int64(), 7);
  EXPECT_EQ(AddonData(DataFor("plan=team"), "extra_seats").at("max").as_int64(), 40);
  const json::object data = DataFor("plan=team&extra_seats=5");
  const json::object& seats = AddonData(data, "extra_seats");
  EXPECT_EQ(seats.at("quantity").as_string(), "5");
  EXPECT_FALSE(seats.at("switch").as_bool());
}

TEST(ConfiguratorView, PricesFollowTheIntervalAndTheYearlySavingIsShown) {
  const json::object monthly = DataFor("plan=team&interval=month");
  EXPECT_EQ(monthly.at("plans").at(1).at("price").as_string(), "199,00\u00a0€");
  const json::object yearly = DataFor("plan=team&interval=year");
  EXPECT_EQ(yearly.at("plans").at(1).at("price").as_string(), "1.990,00\u00a0€");
  EXPECT_EQ(yearly.at("yearly_saving").as_string(), "398,00\u00a0€");
  EXPECT_EQ(yearly.at("free_months").as_int64(), 2);
}

TEST(ConfiguratorView, TheApisErrorsAppearNextToTheirFieldsAndInTheSummary) {
  Error error{ErrorCode::kValidationFailed, "invalid", "", {}};
  error.fields.push_back({"quantity_out_of_range", "addons[0].quantity", "Zu viele Sitze."});
  error.fields.push_back({"invalid_vat_id", "customer.vat_id", "USt-IdNr. ungültig."});
  error.fields.push_back({"unsupported_currency", "currency", "Währung nicht unterstützt."});
  const json::object data = DataFor("plan=starter&extra_seats=50&vat_id=X", nullptr, &error);
  EXPECT_EQ(AddonData(data, "extra_seats").at("error").as_string(), "Zu viele Sitze.");
  EXPECT_TRUE(AddonData(data, "extra_seats").at("invalid").as_bool());
  EXPECT_EQ(data.at("vat_id_field").at("error").as_string(), "USt-IdNr. ungültig.");
  EXPECT_TRUE(data.at("invalid").as_bool());
  const json::array& summary = data.at("errors").as_array();
  ASSERT_EQ(summary.size(), 3U);
  EXPECT_EQ(summary.at(0).at("anchor").as_string(), "field-extra_seats");
  EXPECT_EQ(summary.at(2).at("message").as_string(), "Währung nicht unterstützt.")
      << "an error of no field still reaches the visitor";
}

TEST(ConfiguratorView, TheBreakdownShowsTheQuotesOwnAmountsAndCarriesItsToken) {
  QuoteView quote;
  quote.token = "tok.en";
  quote.currency = "eur";
  quote.interval = "year";
  quote.customer_type = "business";
  quote.customer_country = "AT";
  quote.lines.push_back({"team", true, "Team", 1, 199000, 199000, 0, 0, 0, true});
  quote.lines.push_back(
      {"extra_seats", false, "Zusätzlicher Sitz", 5, 15000, 75000, 0, 0, 0, true});
  quote.first_invoice = {274000, 0, 0, 274000};
  quote.recurring = {274000, 0, 0, 274000};
  quote.tax_treatment = "reverse_charge";
  quote.tax_note = "Steuerschuldnerschaft des Leistungsempfängers.";
  const json::object data = DataFor("plan=team", &quote);
  EXPECT_FALSE(data.at("invalid").as_bool());
  const json::object& breakdown = data.at("quote").as_object();
  EXPECT_EQ(breakdown.at("total").as_string(), "2.740,00\u00a0€");
  EXPECT_TRUE(breakdown.at("tax_reverse_charge").as_bool());
  EXPECT_EQ(breakdown.at("lines").at(1).at("unit").as_string(), "150,00\u00a0€");
  EXPECT_TRUE(breakdown.at("lines").at(1).at("show_quantity").as_bool());
  EXPECT_EQ(breakdown.at("offer_url").as_string(), "/de/angebot/tok.en");
  EXPECT_EQ(breakdown.at("checkout_url").as_string(), "/de/checkout?quote=tok.en");
  EXPECT_EQ(breakdown.at("tax_country").as_string(), "Österreich");
}

}  // namespace
}  // namespace codezero::web
