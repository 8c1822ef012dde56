#include "billing/portal_session.h"

#include "billing/stripe_records.h"
#include "common/log.h"
#include "stripe/api_error.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kPortalCustomerOf{"billing_portal_customer",
                                          "SELECT coalesce(stripe_customer_id, '') FROM companies "
                                          "WHERE id = $1::uuid AND deleted_at IS NULL"};

}  // namespace

asio::awaitable<Result<std::string>> OpenPortalSession(db::Pool& database, stripe::Client& stripe,
                                                       PortalRequest request) {
  auto company = co_await database.Execute(kPortalCustomerOf, request.company_id);
  if (!company) co_return tl::unexpected(company.error());
  const std::string customer = company->empty() ? "" : std::string(company->Text(0, 0));
  if (customer.empty()) {
    co_return Fail(ErrorCode::kConflict,
                   "The company has no billing account yet: it is opened with the first order.");
  }
  stripe::FormFields fields{{"customer", customer},
                            {"return_url", request.return_url},
                            {"locale", request.locale == "en" ? "en" : "de"}};
  // The platform's configuration (payment methods and invoices only: cancelling and changing
  // plans go through the platform, § 312k confirmation included), made by `codezero stripe
  // setup`. Without it Stripe uses the account's default configuration.
  stripe::FormFields no_filters;
  auto configurations =
      co_await ListAll(stripe, "/v1/billing_portal/configurations", std::move(no_filters), 5);
  if (!configurations) co_return tl::unexpected(configurations.error());
  std::string configuration;
  for (const boost::json::object& candidate : configurations->objects) {
    if (stripe::MetadataOf(candidate, "codezero") == "platform" &&
        stripe::BoolOf(candidate, "active")) {
      configuration = stripe::StringOf(candidate, "id");
      break;
    }
  }
  if (configuration.empty()) {
    log::Error(
        "no billing portal configuration of the platform: the account's default is used; run "
        "codezero stripe setup",
        {{"company_id", request.company_id}});
  } else {
    fields.emplace_back("configuration", configuration);
  }
  auto session = co_await stripe.Post("/v1/billing_portal/sessions", std::move(fields),
                                      "portal:" + request.company_id + ":" + request.request_id);
  if (!session) co_return tl::unexpected(stripe::ToError(session.error()));
  std::string url = stripe::StringOf(*session, "url");
  if (url.empty()) co_return Fail(ErrorCode::kInternal, "Stripe's portal session has no URL.");
  co_return url;
}

}  // namespace codezero::billing
