// The pricing engine alone (no I/O): what POST /v1/quotes computes per request.
//   build/bench/bench/bench_pricing
#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>

#include "domain/pricing.h"
#include "domain/quote_request.h"
#include "domain/quote_token.h"
#include "domain/vat_id.h"
#include "domain/vat_rates.h"
#include "embedded/catalog_v1_json.h"

namespace {

using namespace codezero::domain;

const Catalog& TheCatalog() {
  static const Catalog kCatalog = *ParseCatalog(codezero::embedded::catalog_v1_json(), 1);
  return kCatalog;
}

QuoteRequest Example() {
  QuoteRequest request;
  request.plan = "team";
  request.interval = Interval::kYear;
  request.addons = {{"extra_seats", 5}, {"sso", 1}, {"credits_5m", 3}, {"onboarding", 1}};
  request.customer = {"AT", CustomerType::kBusiness, "ATU12345675"};
  return request;
}

constexpr std::string_view kBody = R"({"plan":"team","interval":"year",
  "addons":[{"code":"extra_seats","quantity":5},{"code":"sso","quantity":1},
  {"code":"credits_5m","quantity":3},{"code":"onboarding","quantity":1}],"currency":"eur",
  "customer":{"country":"AT","type":"business","vat_id":"ATU12345675"},"coupon":null,
  "referral_code":null,"locale":"de"})";

// Price(): lines, discount, VAT and totals of a validated configuration.
void BM_Price(benchmark::State& state) {
  const QuoteRequest request = Example();
  const TaxDecision tax{TaxTreatment::kStandard, "DE", 1900, false};
  const std::optional<Discount> discount = Discount{DiscountKind::kCoupon, "LAUNCH20", 2000};
  for (auto _ : state) {
    PricedQuote quote = Price(TheCatalog(), request, discount, tax);
    benchmark::DoNotOptimize(quote);
  }
}
BENCHMARK(BM_Price);

// Everything a quote request costs the domain: parse the JSON body, check the rules and the
// VAT ID, decide the tax, price, and seal the token.
void BM_QuoteFromJson(benchmark::State& state) {
  const std::string key = "0123456789abcdef0123456789abcdef";
  const auto day = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26);
  for (auto _ : state) {
    const ParsedQuoteRequest parsed = ParseQuoteRequest(boost::json::parse(kBody));
    auto violations = ValidateConfiguration(TheCatalog(), parsed.request);
    const VatIdCheck vat =
        CheckVatId(parsed.request.customer.country, *parsed.request.customer.vat_id);
    QuoteToken token;
    token.request = parsed.request;
    token.catalog_version = 1;
    token.tax =
        DecideTax(EmbeddedVatRates(), parsed.request.customer.country, parsed.request.customer.type,
                  vat.valid ? VatIdStatus::kValid : VatIdStatus::kNone, day);
    PricedQuote quote = Price(TheCatalog(), parsed.request, std::nullopt, token.tax);
    std::string sealed_token = SealQuoteToken(token, key);
    benchmark::DoNotOptimize(violations);
    benchmark::DoNotOptimize(quote);
    benchmark::DoNotOptimize(sealed_token);
  }
}
BENCHMARK(BM_QuoteFromJson);

}  // namespace

BENCHMARK_MAIN();
