#include "api/routes/checkout.h"

#include <memory>

#include "api/account_dependencies.h"
#include "api/discount_lookup.h"
#include "api/idempotent_request.h"
#include "api/return_url.h"
#include "auth/bearer.h"
#include "billing/checkout_session.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "domain/pricing.h"
#include "domain/quote_token.h"
#include "domain/tax_id.h"
#include "domain/vat_territory.h"
#include "domain/violation.h"
#include "http/json_body.h"
#include "orders/order_store.h"
#include "stripe/requests.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using domain::Violation;

constexpr db::Statement kCompanyOf{
    "checkout_company",
    "SELECT name, country, coalesce(vat_id, ''), coalesce(address->>'line1', ''), "
    "coalesce(address->>'line2', ''), coalesce(address->>'postal_code', ''), "
    "coalesce(address->>'city', '') FROM companies WHERE id = $1::uuid AND deleted_at IS NULL"};

struct CheckoutInput {
  std::string quote_token;
  std::optional<std::string> success_url;
  std::optional<std::string> cancel_url;
  bool terms_accepted = false;
  bool early_performance_requested = false;
};

// A VAT number of the quote or the company, checked once as one of `country` (for VAT).
struct CheckedVatId {
  std::string normalized;  // as typed when it is not valid; empty when there is none
  std::optional<stripe::CustomerRequest::TaxId> for_stripe;  // a kind Stripe and we check

  // Whether both name one registration: a Swiss number's suffix (MWST, TVA, IVA, TPV) is only
  // the language of "VAT", so it is left out of the comparison.
  [[nodiscard]] bool SameAs(const CheckedVatId& other) const {
    const auto registration = [](const CheckedVatId& vat) {
      const bool swiss = vat.for_stripe && vat.for_stripe->type == "ch_vat";
      return swiss ? vat.normalized.substr(0, 15) : vat.normalized;  // CHE-123.456.789
    };
    return registration(*this) == registration(other);
  }
};

CheckedVatId CheckVatIdOf(std::string_view country, std::string_view vat_id) {
  CheckedVatId checked;
  if (vat_id.empty()) return checked;
  const domain::TaxIdCheck check = domain::CheckTaxId(country, vat_id);
  checked.normalized = check.valid ? check.normalized : std::string(vat_id);
  if (check.valid && !check.stripe_type.empty()) {
    checked.for_stripe = stripe::CustomerRequest::TaxId{check.stripe_type, check.normalized};
  }
  return checked;
}

http::Response CheckoutCreated(const std::string& order_id, const std::string& session_id,
                               const std::string& url, std::int64_t amount_total,
                               const std::string& currency, unsigned version) {
  JsonWriter json(256 + url.size());
  json.BeginObject();
  json.Member("order_id", order_id);
  json.Member("checkout_session_id", session_id);
  json.Member("url", url);
  json.Member("amount_total", amount_total);
  json.Member("currency", currency);
  json.EndObject();
  return http::JsonTextResponse(http::Status::created, std::move(json).Take(), version);
}

asio::awaitable<Result<http::Response>> StartCheckout(const CheckoutDependencies& deps,
                                                      billing::StripeObjects& objects,
                                                      const http::Request& request,
                                                      const auth::Principal& me,
                                                      const IdempotentCall& call) {
  const domain::Locale error_locale = me.locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  CheckoutInput input;
  input.quote_token = fields.String("quote_token", {.max_length = 8192}).value_or("");
  input.success_url = fields.String("success_url", {.required = false, .max_length = 2048});
  input.cancel_url = fields.String("cancel_url", {.required = false, .max_length = 2048});
  input.terms_accepted = fields.Boolean("terms_accepted", false).value_or(false);
  input.early_performance_requested =
      fields.Boolean("early_performance_requested", false).value_or(false);
  fields.RejectUnknown();
  std::vector<Violation> violations;
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields) {
      violations.push_back({error.code, error.field, {}});
    }
  }
  for (const auto& [name, url] :
       {std::pair{"success_url", &input.success_url}, std::pair{"cancel_url", &input.cancel_url}}) {
    if (!*url) continue;
    if (auto refused = CheckReturnUrl(name, url->value(), deps.public_web_url)) {
      violations.push_back(std::move(*refused));
    }
  }
  // An order is a contract on the seller's terms: the buyer must have accepted them (§ 305(2)
  // BGB), and the acceptance is stored with the order.
  if (!input.terms_accepted) violations.push_back({"terms_required", "terms_accepted", {}});
  if (!violations.empty())
    co_return tl::unexpected(domain::ValidationError(violations, error_locale));

  auto token = domain::OpenQuoteToken(input.quote_token, deps.signing_keys, deps.now());
  if (!token) {
    const bool expired = token.error().code == ErrorCode::kGone;
    violations.push_back({expired ? "quote_expired" : "quote_invalid", "quote_token", {}});
    co_return tl::unexpected(domain::ValidationError(violations, error_locale));
  }
  auto catalog = co_await deps.catalogs.Version(token->catalog_version);
  if (!catalog) co_return tl::unexpected(catalog.error());
  if (!domain::ValidateConfiguration((*catalog)->catalog, token->request).empty()) {
    co_return Fail(ErrorCode::kInternal, "a signed quote no longer validates");
  }
  // A discount counts only while it still holds: a coupon deactivated or past its end (or a
  // referral code withdrawn, or its percentage changed) since the quote was issued needs a
  // fresh quote, not an order at a price nobody offers any more.
  if (token->discount) {
    // Named first: a conditional's temporary inside co_await is freed twice by g++ 12.
    std::optional<std::string> coupon;
    std::optional<std::string> referral_code;
    (token->discount->kind == domain::DiscountKind::kCoupon ? coupon : referral_code) =
        token->discount->code;
    auto current = co_await ResolveDiscount(deps.database, coupon, referral_code);
    if (!current) co_return tl::unexpected(current.error());
    if (!current->discount ||
        current->discount->percent_off_bps != token->discount->percent_off_bps) {
      violations.push_back({"discount_no_longer_valid", "quote_token", {token->discount->code}});
      co_return tl::unexpected(domain::ValidationError(violations, error_locale));
    }
  }
  const domain::PricedQuote quote =
      domain::Price((*catalog)->catalog, token->request, token->discount, token->tax);
  // A consumer has a right of withdrawal; the service starts at once only at their express
  // request (§ 356(4) BGB), which must be stored with the order.
  if (token->request.customer.type == domain::CustomerType::kConsumer &&
      !input.early_performance_requested) {
    violations.push_back({"early_performance_required", "early_performance_requested", {}});
    co_return tl::unexpected(domain::ValidationError(violations, error_locale));
  }

  // The tax in the quote must be the company's: the country it is registered in and, for a
  // reverse charge, its own VAT ID.
  auto company = co_await deps.database.Execute(kCompanyOf, me.company_id);
  if (!company) co_return tl::unexpected(company.error());
  if (company->empty()) co_return Fail(ErrorCode::kNotFound, "Your company no longer exists.");
  const std::string company_name(company->Text(0, 0));
  const std::string company_country(company->Text(0, 1));
  // Where the company is for VAT, by its address: its territory must be the quote's (a quote
  // for Germany is no quote for Büsingen), and Monaco's VAT IDs are French.
  const domain::VatTerritory company_place =
      domain::VatTerritoryOf(company_country, company->Text(0, 5));
  const CheckedVatId company_vat = CheckVatIdOf(company_place.country, company->Text(0, 2));
  const CheckedVatId quote_vat =
      CheckVatIdOf(domain::VatTerritoryOf(token->request.customer.country, "").country,
                   token->request.customer.vat_id.value_or(""));
  if (token->request.customer.country != company_country ||
      (!quote_vat.normalized.empty() && !quote_vat.SameAs(company_vat)) ||
      token->tax.territory != company_place.territory) {
    const auto place = [error_locale](const std::string& country, const std::string& territory,
                                      const std::string& vat) {
      std::string text = country;
      if (!territory.empty()) {
        text += " (" + domain::TerritoryName(territory).In(error_locale) + ")";
      }
      if (!vat.empty()) text += " / " + vat;
      return text;
    };
    violations.push_back(
        {"quote_customer_mismatch",
         "quote_token",
         {place(token->request.customer.country, token->tax.territory, quote_vat.normalized),
          place(company_country, company_place.territory, company_vat.normalized)}});
    co_return tl::unexpected(domain::ValidationError(violations, error_locale));
  }

  orders::NewOrder new_order;
  new_order.company_id = me.company_id;
  new_order.created_by = me.user_id;
  new_order.idempotency_key = call.key;
  new_order.request_digest = call.fingerprint;
  new_order.quote_id = domain::QuoteIdOf(input.quote_token);
  if (!quote_vat.normalized.empty()) new_order.vat_id = quote_vat.normalized;
  new_order.quote = quote;
  new_order.customer_type = token->request.customer.type;
  new_order.terms_accepted = input.terms_accepted;
  new_order.early_performance_requested = input.early_performance_requested;
  auto order = co_await orders::CreateOrFind(deps.database, std::move(new_order));
  if (!order) co_return tl::unexpected(order.error());
  if (!order->created && order->request_digest != call.fingerprint) {
    violations.push_back({"idempotency_key_reused", "Idempotency-Key", {}});
    co_return tl::unexpected(domain::ValidationError(violations, error_locale));
  }
  if (order->checkout_session && order->checkout_url) {
    co_return CheckoutCreated(order->id, *order->checkout_session, *order->checkout_url,
                              quote.first_invoice.total, quote.currency, request.version());
  }

  billing::CheckoutSessionInput opening;
  opening.order_id = order->id;
  opening.order_created_at = order->created_at;
  opening.quote = &quote;
  opening.catalog = &(*catalog)->catalog;
  opening.payer.company_id = me.company_id;
  opening.payer.name = company_name;
  opening.payer.country = company_country;
  opening.payer.line1 = std::string(company->Text(0, 3));
  opening.payer.line2 = std::string(company->Text(0, 4));
  opening.payer.postal_code = std::string(company->Text(0, 5));
  opening.payer.city = std::string(company->Text(0, 6));
  opening.payer.tax_id = company_vat.for_stripe;
  opening.payer.email = me.email;
  opening.success_url = input.success_url;
  opening.cancel_url = input.cancel_url;
  opening.public_web_url = deps.public_web_url;
  opening.now = deps.now();
  auto opened = co_await billing::OpenCheckoutSession(deps.stripe, objects, std::move(opening));
  if (!opened) co_return tl::unexpected(opened.error());
  const std::string& session_id = opened->id;
  const std::string& url = opened->url;
  auto attached = co_await orders::AttachCheckoutSession(deps.database, order->id, session_id, url,
                                                         opened->expires_at);
  if (!attached) co_return tl::unexpected(attached.error());
  log::Info("checkout session created", {{"order_id", order->id},
                                         {"session", session_id},
                                         {"amount_total", quote.first_invoice.total}});
  co_return CheckoutCreated(order->id, session_id, url, quote.first_invoice.total, quote.currency,
                            request.version());
}

asio::awaitable<Result<http::Response>> Checkout(const CheckoutDependencies& deps,
                                                 http::Request& request,
                                                 http::RequestContext& context,
                                                 const auth::Principal& me) {
  if (!deps.stripe.configured()) {
    co_return Fail(ErrorCode::kUnavailable, "payments are not configured",
                   "STRIPE_SECRET_KEY is not set");
  }
  IdempotentHandler run = [&deps, &request, &me](const IdempotentCall& call) {
    return StartCheckout(deps, deps.stripe_objects, request, me, call);
  };
  co_return co_await RunIdempotently(deps.idempotency, "user:" + me.user_id, LanguageOf(me),
                                     request, context, std::move(run));
}

}  // namespace

void AddCheckoutRoutes(RouteTable& routes, CheckoutDependencies dependencies) {
  auto deps = std::make_shared<const CheckoutDependencies>(std::move(dependencies));
  routes.Add(
      http::Verb::post, "/v1/checkout/sessions",
      {.operation = "createCheckoutSession", .caller = Caller::kOwner, .idempotency_key = true},
      Bound(deps, Checkout));
}

}  // namespace codezero::api
