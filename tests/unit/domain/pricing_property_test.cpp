// Properties of the pricing engine over random valid configurations of the shipped catalog.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "domain/pricing.h"
#include "domain/quote_token.h"
#include "domain/vat_rates.h"
#include "support/catalog_fixture.h"

namespace codezero::domain {
namespace {

using testing::CatalogV1;

struct Scenario {
  QuoteRequest request;
  std::optional<Discount> discount;
  TaxDecision tax;
};

const std::vector<std::string> kCountries = {"DE", "AT", "FR", "FI", "NL", "IT",
                                             "EE", "RO", "CH", "US", "GB", "JP"};

// A random configuration that passes every rule.
Scenario ValidScenario() {
  const Catalog& catalog = CatalogV1();
  Scenario scenario;
  QuoteRequest& request = scenario.request;
  const Plan& plan = *rc::gen::elementOf(catalog.plans);
  request.plan = plan.code;
  request.interval = *rc::gen::element(Interval::kMonth, Interval::kYear);
  for (const Addon& addon : catalog.addons) {
    if (plan.Includes(addon.code) || !addon.AvailableWith(plan.code)) continue;
    if (!*rc::gen::arbitrary<bool>()) continue;
    const std::int64_t max = catalog.MaxQuantity(addon, plan);
    request.addons.push_back(
        {addon.code, *rc::gen::inRange<std::int64_t>(addon.min_quantity, max + 1)});
  }
  request.customer.country = *rc::gen::elementOf(kCountries);
  request.customer.type = *rc::gen::element(CustomerType::kBusiness, CustomerType::kConsumer);
  const VatIdStatus vat = *rc::gen::element(VatIdStatus::kNone, VatIdStatus::kValid,
                                            VatIdStatus::kConfirmed, VatIdStatus::kViesUnreachable);
  const auto day = std::chrono::sys_days(std::chrono::year(2024) / 1 / 1) +
                   std::chrono::days(*rc::gen::inRange(0, 1096));
  scenario.tax =
      DecideTax(EmbeddedVatRates(), request.customer.country, request.customer.type, vat, day);
  if (*rc::gen::arbitrary<bool>()) {
    scenario.discount = Discount{*rc::gen::element(DiscountKind::kCoupon, DiscountKind::kReferral),
                                 "CODE", *rc::gen::inRange(1, 10'001)};
  }
  RC_ASSERT(ValidateConfiguration(catalog, request).empty());
  return scenario;
}

PricedQuote PriceOf(const Scenario& scenario) {
  return Price(CatalogV1(), scenario.request, scenario.discount, scenario.tax);
}

RC_GTEST_PROP(PricingProperty, TotalIsSubtotalMinusDiscountPlusTax, ()) {
  const PricedQuote quote = PriceOf(ValidScenario());
  for (const Totals& totals : {quote.first_invoice, quote.recurring}) {
    RC_ASSERT(totals.total == totals.subtotal - totals.discount + totals.tax);
  }
  Cents subtotal = 0, discount = 0, tax = 0;
  for (const PricedLine& line : quote.lines) {
    RC_ASSERT(line.amount == line.unit_amount * line.quantity);
    subtotal += line.amount;
    discount += line.amount_discount;
    tax += line.amount_tax;
  }
  RC_ASSERT(subtotal == quote.first_invoice.subtotal);
  RC_ASSERT(discount == quote.first_invoice.discount);
  RC_ASSERT(tax == quote.first_invoice.tax);
}

RC_GTEST_PROP(PricingProperty, NoAmountIsNegative, ()) {
  const PricedQuote quote = PriceOf(ValidScenario());
  for (const PricedLine& line : quote.lines) {
    RC_ASSERT(line.unit_amount >= 0 && line.amount >= 0 && line.amount_discount >= 0 &&
              line.amount_tax >= 0 && line.amount - line.amount_discount >= 0);
  }
  for (const Totals& totals : {quote.first_invoice, quote.recurring}) {
    RC_ASSERT(totals.subtotal >= 0 && totals.discount >= 0 && totals.tax >= 0 && totals.total >= 0);
  }
}

RC_GTEST_PROP(PricingProperty, TheDiscountNeverExceedsTheRecurringLines, ()) {
  const PricedQuote quote = PriceOf(ValidScenario());
  Cents recurring = 0;
  for (const PricedLine& line : quote.lines) {
    if (line.recurring) recurring += line.amount;
    if (!line.recurring) RC_ASSERT(line.amount_discount == 0);
  }
  RC_ASSERT(quote.first_invoice.discount <= recurring);
  RC_ASSERT(quote.recurring.discount == 0);
}

// Why Stripe's discount is ours to the cent (docs/pricing.md, "Rounding"): with whole-euro
// catalog prices and a whole-percent discount, each line's discount is exact, so taking it per
// line or from the subtotal and spreading it gives the same cents.
RC_GTEST_PROP(PricingProperty, AWholePercentDiscountOfTheCatalogNeedsNoRounding, ()) {
  Scenario scenario = ValidScenario();
  const int bps = 100 * *rc::gen::inRange(1, 101);
  scenario.discount = Discount{DiscountKind::kCoupon, "CODE", bps};
  const PricedQuote quote = PriceOf(scenario);
  Cents discounted = 0;
  for (const PricedLine& line : quote.lines) {
    if (!line.recurring) continue;
    RC_ASSERT(line.amount * bps % 10'000 == 0);  // exact: nothing rounded
    discounted += line.amount;
  }
  RC_ASSERT(quote.first_invoice.discount * 10'000 == discounted * bps);
}

// Stripe rounds a tax amount commercially, a half cent up
// (https://docs.stripe.com/billing/taxes/tax-rates#rounding); so does the pricing.
TEST(Pricing, RoundsAHalfCentOfTaxUpAsStripeDocumentsIt) {
  EXPECT_EQ(PercentOf(4900, 2550), 1250);  // 1249.5: Finland's 25.5 % of the starter plan
  EXPECT_EQ(PercentOf(1500, 2550), 383);   // 382.5
  EXPECT_EQ(PercentOf(4900, 1900), 931);   // exact
}

RC_GTEST_PROP(PricingProperty, YearlyRecurringIsTenTimesMonthly, ()) {
  Scenario scenario = ValidScenario();
  scenario.request.interval = Interval::kMonth;
  const PricedQuote monthly = PriceOf(scenario);
  scenario.request.interval = Interval::kYear;
  const PricedQuote yearly = PriceOf(scenario);
  RC_ASSERT(yearly.recurring.subtotal == 10 * monthly.recurring.subtotal);
  // Catalog prices are whole euros, so with a whole-percent rate the VAT is exact cents and
  // the gross scales too; 25.5 % (Finland) rounds per line and may differ by cents.
  if (scenario.tax.rate_bps % 100 == 0)
    RC_ASSERT(yearly.recurring.total == 10 * monthly.recurring.total);
}

RC_GTEST_PROP(PricingProperty, AddingAPaidAddOnNeverLowersTheTotal, ()) {
  Scenario scenario = ValidScenario();
  const Catalog& catalog = CatalogV1();
  const Plan& plan = *catalog.FindPlan(scenario.request.plan);
  std::vector<const Addon*> candidates;
  for (const Addon& addon : catalog.addons) {
    const bool chosen = std::any_of(scenario.request.addons.begin(), scenario.request.addons.end(),
                                    [&](const AddonSelection& s) { return s.code == addon.code; });
    if (!chosen && !plan.Includes(addon.code) && addon.AvailableWith(plan.code))
      candidates.push_back(&addon);
  }
  RC_PRE(!candidates.empty());
  const PricedQuote before = PriceOf(scenario);
  const Addon& extra = **rc::gen::elementOf(candidates);
  scenario.request.addons.push_back({extra.code, extra.min_quantity});
  const PricedQuote after = PriceOf(scenario);
  RC_ASSERT(after.first_invoice.total >= before.first_invoice.total);
  RC_ASSERT(after.recurring.total >= before.recurring.total);
}

RC_GTEST_PROP(PricingProperty, ATokenRoundTripsAndAnyChangedByteIsRejected, ()) {
  const Scenario scenario = ValidScenario();
  QuoteToken token;
  token.request = scenario.request;
  token.catalog_version = *rc::gen::inRange(1, 1000);
  token.discount = scenario.discount;
  token.tax = scenario.tax;
  token.issued_at = *rc::gen::inRange<std::int64_t>(1'700'000'000, 2'000'000'000);
  token.expires_at = token.issued_at + kQuoteLifetimeSeconds;
  const std::vector<std::string> keys{"0123456789abcdef0123456789abcdef"};
  const std::string text = SealQuoteToken(token, keys[0]);

  auto back = OpenQuoteToken(text, keys, token.issued_at);
  RC_ASSERT(back.has_value());
  const PricedQuote original = Price(CatalogV1(), token.request, token.discount, token.tax);
  const PricedQuote derived = Price(CatalogV1(), back->request, back->discount, back->tax);
  RC_ASSERT(derived.first_invoice.total == original.first_invoice.total);
  RC_ASSERT(derived.recurring.total == original.recurring.total);
  RC_ASSERT(derived.lines.size() == original.lines.size());

  const auto position = *rc::gen::inRange<std::size_t>(0, text.size());
  const char replacement = *rc::gen::suchThat(rc::gen::inRange<char>(33, 127),
                                              [&](char c) { return c != text[position]; });
  std::string tampered = text;
  tampered[position] = replacement;
  RC_ASSERT(!OpenQuoteToken(tampered, keys, token.issued_at).has_value());
}

}  // namespace
}  // namespace codezero::domain
