#include "billing/checkout_session.h"

#include <algorithm>

#include "billing/stripe_setup.h"
#include "common/log.h"
#include "domain/tax.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

// Stripe accepts a session expiry between 30 minutes and 24 hours from the request
// (https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-expires_at).
constexpr std::int64_t kLongestSessionSeconds = 24 * 3600 - 60;
constexpr std::int64_t kShortestSessionSeconds = 31 * 60;
// A session lives this long from its order's creation: minutes less than the longest, so
// that the order's time (PostgreSQL's clock) may be a little ahead of this process's.
constexpr std::int64_t kSessionLifetimeSeconds = 24 * 3600 - 5 * 60;

// The Checkout Session for an order whose Stripe objects exist; checks Stripe's total.
asio::awaitable<Result<OpenedSession>> CreateSession(stripe::Client& stripe,
                                                     stripe::CheckoutSessionRequest session,
                                                     std::int64_t expected_total) {
  const std::string order_id = session.order_id;
  const std::int64_t wanted_expiry = session.expires_at;
  auto created =
      co_await stripe.Post("/v1/checkout/sessions", stripe::CheckoutSessionFields(session),
                           "order:" + order_id + ":checkout_session");
  if (!created) co_return tl::unexpected(stripe::ToError(created.error()));
  const stripe::CheckoutSession opened = stripe::DecodeCheckoutSession(*created);
  if (opened.id.empty() || opened.url.empty()) {
    co_return Fail(ErrorCode::kInternal, "the payment provider answered unexpectedly",
                   "checkout session without id or url");
  }
  if (opened.amount_total != expected_total) {
    // Never let a customer pay another amount than the one shown.
    log::Error("stripe total differs from the quote; session expired",
               {{"order_id", order_id},
                {"session", opened.id},
                {"expected", expected_total},
                {"stripe", opened.amount_total.value_or(-1)}});
    stripe::FormFields no_fields;
    auto expired =
        co_await stripe.Post("/v1/checkout/sessions/" + opened.id + "/expire", std::move(no_fields),
                             "order:" + order_id + ":expire_mismatch");
    if (!expired) log::Warn("mismatched session not expired", {{"session", opened.id}});
    co_return Fail(ErrorCode::kInternal, "the payment provider computed another total",
                   "checkout total mismatch");
  }
  co_return OpenedSession{opened.id, opened.url,
                          stripe::IntOf(*created, "expires_at").value_or(wanted_expiry)};
}

}  // namespace

std::int64_t SessionExpiresAt(std::int64_t order_created_at, std::int64_t now) {
  return std::clamp(order_created_at + kSessionLifetimeSeconds, now + kShortestSessionSeconds,
                    now + kLongestSessionSeconds);
}

std::string TaxExemptOf(domain::TaxTreatment treatment) {
  switch (treatment) {
    case domain::TaxTreatment::kReverseCharge:
      return "reverse";
    case domain::TaxTreatment::kNotTaxable:
      return "exempt";
    default:
      return "none";
  }
}

asio::awaitable<Result<OpenedSession>> OpenCheckoutSession(stripe::Client& stripe,
                                                           StripeObjects& objects,
                                                           CheckoutSessionInput input) {
  const domain::PricedQuote& quote = *input.quote;
  const domain::Locale locale = quote.locale;
  stripe::CustomerRequest customer;
  customer.company_id = input.payer.company_id;
  customer.name = input.payer.name;
  customer.email = input.payer.email;
  customer.country = input.payer.country;
  customer.locale = std::string(domain::ToString(locale));
  customer.tax_exempt = TaxExemptOf(quote.tax.treatment);
  customer.tax_id = input.payer.tax_id;
  customer.line1 = input.payer.line1;
  customer.line2 = input.payer.line2;
  customer.postal_code = input.payer.postal_code;
  customer.city = input.payer.city;
  // The note the treatment needs on the invoice (reverse charge, OSS, not taxable), where
  // Stripe prints it; the standard German VAT needs none beyond the tax line.
  if (quote.tax.treatment != domain::TaxTreatment::kStandard) {
    customer.invoice_footer = domain::TaxNote(quote.tax, locale);
  }
  auto customer_id = co_await objects.Customer(std::move(customer), input.order_id);
  if (!customer_id) co_return tl::unexpected(customer_id.error());

  stripe::TaxRateRequest tax_rate;
  tax_rate.rate_bps = quote.tax.rate_bps;
  tax_rate.treatment = std::string(domain::ToString(quote.tax.treatment));
  tax_rate.country = quote.tax.country;
  tax_rate.display_name = quote.tax.country == "DE" ? "USt." : "VAT";
  auto tax_rate_id = co_await objects.TaxRate(std::move(tax_rate));
  if (!tax_rate_id) co_return tl::unexpected(tax_rate_id.error());

  stripe::CheckoutSessionRequest session;
  session.order_id = input.order_id;
  session.customer_id = *customer_id;
  session.currency = quote.currency;
  session.interval = std::string(domain::ToString(quote.interval));
  session.locale = std::string(domain::ToString(locale));
  std::vector<std::string> recurring_products;
  for (const domain::PricedLine& line : quote.lines) {
    auto product =
        co_await objects.Product(line.code, StripeProductName(*input.catalog, line.code));
    if (!product) co_return tl::unexpected(product.error());
    if (line.recurring) recurring_products.push_back(*product);
    session.lines.push_back(
        {*product, line.unit_amount, line.quantity, line.recurring, *tax_rate_id});
  }
  if (quote.discount && quote.discount->percent_off_bps > 0) {
    stripe::CouponRequest coupon;
    coupon.id = "codezero_order_" + input.order_id;
    coupon.percent_off_bps = quote.discount->percent_off_bps;
    coupon.name = quote.discount->code;
    coupon.product_ids = std::move(recurring_products);
    auto coupon_id = co_await objects.Coupon(std::move(coupon));
    if (!coupon_id) co_return tl::unexpected(coupon_id.error());
    session.coupon_id = *coupon_id;
  }
  const std::string pages = input.public_web_url + "/" + session.locale + "/checkout/";
  session.success_url = input.success_url.value_or(pages + "success?order=" + input.order_id +
                                                   "&session_id={CHECKOUT_SESSION_ID}");
  session.cancel_url = input.cancel_url.value_or(pages + "canceled?order=" + input.order_id);
  session.expires_at = SessionExpiresAt(input.order_created_at, input.now);
  co_return co_await CreateSession(stripe, std::move(session), quote.first_invoice.total);
}

}  // namespace codezero::billing
