#include "api/routes/quotes.h"

#include <algorithm>
#include <memory>

#include <boost/json/monotonic_resource.hpp>

#include "api/address_blocks.h"
#include "api/discount_lookup.h"
#include "api/locale_parameter.h"
#include "api/quote_json.h"
#include "api/rate_limits.h"
#include "domain/pricing.h"
#include "domain/quote_token.h"
#include "domain/tax_id.h"
#include "domain/vat_id.h"
#include "domain/vat_rates.h"
#include "http/client_address.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using domain::Violation;

std::chrono::sys_days DayOf(std::int64_t unix_seconds) {
  return std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(unix_seconds)));
}

// Checks the VAT ID of a business (and asks VIES for foreign EU ones, where configured), as
// a number of the country its address is in for VAT (`where`: Monaco's are French).
asio::awaitable<domain::VatIdStatus> CheckVatId(const domain::QuoteRequest& request,
                                                const domain::VatTerritory& where,
                                                VatIdVerifier* vies, bool vies_required,
                                                std::vector<Violation>& violations) {
  const auto& customer = request.customer;
  if (!customer.vat_id || !domain::IsSupportedCountry(customer.country)) {
    co_return domain::VatIdStatus::kNone;
  }
  if (!domain::IsEuMemberState(where.country)) {
    // Outside the EU a business is not taxable here with or without a number (§ 3a(2) UStG):
    // it changes nothing in the price, but one of a kind Stripe prints must be right.
    if (!domain::CheckTaxId(where.country, *customer.vat_id).valid) {
      violations.push_back({"invalid_vat_id", "customer.vat_id", {*customer.vat_id}});
    }
    co_return domain::VatIdStatus::kNone;
  }
  const domain::VatIdCheck check = domain::CheckVatId(where.country, *customer.vat_id);
  if (!check.valid) {
    violations.push_back({"invalid_vat_id", "customer.vat_id", {*customer.vat_id}});
    co_return domain::VatIdStatus::kNone;
  }
  // Outside the EU VAT area (the Canary Islands, Büsingen, ...) nothing is taxable here.
  if (where.outside_vat_area) co_return domain::VatIdStatus::kNone;
  const bool foreign_eu =
      where.country != domain::kSellerCountry && domain::IsEuMemberState(where.country);
  if (!foreign_eu || customer.type != domain::CustomerType::kBusiness) {
    co_return domain::VatIdStatus::kValid;
  }
  if (vies == nullptr) {
    co_return vies_required ? domain::VatIdStatus::kNotConfirmed : domain::VatIdStatus::kValid;
  }
  switch (co_await vies->Verify(check.normalized)) {
    case ViesAnswer::kValid:
      co_return domain::VatIdStatus::kConfirmed;
    case ViesAnswer::kInvalid:
      violations.push_back({"invalid_vat_id", "customer.vat_id", {*customer.vat_id}});
      co_return domain::VatIdStatus::kNone;
    case ViesAnswer::kUnreachable:
      co_return domain::VatIdStatus::kViesUnreachable;
  }
  co_return domain::VatIdStatus::kViesUnreachable;
}

http::Response QuoteResponse(http::Status status, std::string body, unsigned version) {
  http::Response response(status, version);
  response.set(http::Field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

// Whether the quote named a code that gave no discount (unknown or past its end).
bool CodeGaveNothing(const DiscountOutcome& outcome) {
  return std::any_of(
      outcome.violations.begin(), outcome.violations.end(), [](const Violation& violation) {
        return violation.code == "unknown_coupon" || violation.code == "coupon_expired" ||
               violation.code == "unknown_referral_code";
      });
}

asio::awaitable<Result<http::Response>> CreateQuote(const QuoteDependencies& deps,
                                                    AddressBlocks& blocks, http::Request& request,
                                                    http::RequestContext& context) {
  // The request's JSON lives in an arena on this frame: no allocation per node.
  unsigned char arena[4096];
  boost::json::monotonic_resource resource(arena, sizeof arena);
  auto body = http::ParseJsonBody(request, &resource);
  if (!body) co_return tl::unexpected(body.error());
  domain::ParsedQuoteRequest parsed = domain::ParseQuoteRequest(*body);
  const domain::QuoteRequest& quote_request = parsed.request;
  std::vector<Violation>& violations = parsed.violations;

  // The common case (catalog loaded, no VAT ID, no discount code) suspends nowhere.
  std::shared_ptr<const CatalogEntry> catalog = deps.catalogs.CurrentIfLoaded();
  if (!catalog) {
    auto loaded = co_await deps.catalogs.Current();
    if (!loaded) co_return tl::unexpected(loaded.error());
    catalog = *loaded;
  }
  std::vector<Violation> configuration =
      domain::ValidateConfiguration(catalog->catalog, quote_request);
  violations.insert(violations.end(), configuration.begin(), configuration.end());

  // Where the address is for VAT: Monaco is France, the Canary Islands are outside, ...
  const domain::VatTerritory where = domain::VatTerritoryOf(
      quote_request.customer.country, quote_request.customer.postal_code.value_or(""));
  domain::VatIdStatus vat_id = domain::VatIdStatus::kNone;
  if (quote_request.customer.vat_id)
    vat_id = co_await CheckVatId(quote_request, where, deps.vies, deps.vies_required, violations);
  DiscountOutcome discount;
  if (quote_request.coupon || quote_request.referral_code) {
    // Codes are not for guessing: an address that named too many that gave nothing gets no
    // answer for codes until its limit recovers. Its refusal is remembered by this loop, so a
    // quote with a good code never waits on Redis; quotes without a code are never limited.
    const std::string address =
        deps.limiter ? http::ClientAddress(request, context, deps.trusted_proxies) : "";
    const auto now = AddressBlocks::Clock::now();
    if (deps.limiter) {
      if (const auto wait = blocks.RemainingFor(address, now); wait.count() > 0) {
        redis::RateDecision refused{false, 0, wait, wait, true};
        co_return TooManyRequests(deps.unknown_codes, refused, context, request.version());
      }
    }
    std::optional<DiscountOutcome> known;
    if (deps.discounts) {
      known = deps.discounts->Resolve(quote_request.coupon, quote_request.referral_code,
                                      std::chrono::system_clock::now());
    }
    if (known) {
      discount = std::move(*known);
    } else {
      auto resolved = co_await ResolveDiscount(deps.database, quote_request.coupon,
                                               quote_request.referral_code);
      if (!resolved) co_return tl::unexpected(resolved.error());
      discount = std::move(*resolved);
    }
    if (deps.limiter && CodeGaveNothing(discount)) {
      const redis::RateDecision counted = co_await deps.limiter->Check(deps.unknown_codes, address);
      if (!counted.allowed) {
        blocks.Block(address, now + counted.retry_after);
        co_return TooManyRequests(deps.unknown_codes, counted, context, request.version());
      }
    }
  }
  violations.insert(violations.end(), discount.violations.begin(), discount.violations.end());
  if (!violations.empty())
    co_return tl::unexpected(domain::ValidationError(violations, quote_request.locale));

  domain::QuoteToken token;
  token.request = std::move(parsed.request);
  token.catalog_version = catalog->catalog.version;
  token.discount = discount.discount;
  token.issued_at = deps.now();
  token.expires_at = token.issued_at + domain::kQuoteLifetimeSeconds;
  token.tax = domain::DecideTax(domain::EmbeddedVatRates(), where, token.request.customer.type,
                                vat_id, DayOf(token.issued_at));
  const domain::PricedQuote quote =
      domain::Price(catalog->catalog, token.request, token.discount, token.tax);
  const domain::SealedQuote sealed = domain::SealQuote(token, deps.signing_keys.front());

  // No Location header: the token in the body is the quote's address (/v1/quotes/{token}),
  // and repeating ~500 characters in every configurator response costs throughput.
  co_return QuoteResponse(http::Status::created,
                          QuoteJson(quote, token.request.customer, sealed.token, sealed.id,
                                    token.issued_at, token.expires_at),
                          request.version());
}

asio::awaitable<Result<http::Response>> ShowQuote(const QuoteDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context) {
  const std::string token_text(context.Param("token"));
  auto token = domain::OpenQuoteToken(token_text, deps.signing_keys, deps.now());
  if (!token) co_return tl::unexpected(token.error());
  // The same quote in another language (its lines' names and the tax note): ?locale=en.
  auto locale = LocaleParameter(context.query);
  if (!locale) co_return tl::unexpected(locale.error());
  if (*locale) token->request.locale = **locale;
  auto catalog = co_await deps.catalogs.Version(token->catalog_version);
  if (!catalog) co_return tl::unexpected(catalog.error());
  // The token was valid when it was signed; re-derive it exactly. (Checkout re-validates the
  // discount and the configuration before it charges.)
  if (!domain::ValidateConfiguration((*catalog)->catalog, token->request).empty()) {
    co_return Fail(ErrorCode::kInternal, "a signed quote no longer validates");
  }
  const domain::PricedQuote quote =
      domain::Price((*catalog)->catalog, token->request, token->discount, token->tax);
  co_return QuoteResponse(
      http::Status::ok,
      QuoteJson(quote, token->request.customer, token_text, domain::QuoteIdOf(token_text),
                token->issued_at, token->expires_at),
      request.version());
}

}  // namespace

void AddQuoteRoutes(RouteTable& routes, QuoteDependencies dependencies) {
  auto deps = std::make_shared<const QuoteDependencies>(std::move(dependencies));
  auto blocks = std::make_shared<AddressBlocks>();  // this loop's
  routes.Add(http::Verb::post, "/v1/quotes", {.operation = "createQuote"},
             [deps, blocks](http::Request& request, http::RequestContext& context) {
               return CreateQuote(*deps, *blocks, request, context);
             });
  routes.Add(http::Verb::get, "/v1/quotes/{token}", {.operation = "getQuote"},
             [deps](http::Request& request, http::RequestContext& context) {
               context.log_path = "/v1/quotes/{token}";  // a quote token bears its prices
               return ShowQuote(*deps, request, context);
             });
}

}  // namespace codezero::api
