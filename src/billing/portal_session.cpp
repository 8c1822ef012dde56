#include "billing/portal_session.h"

#include "stripe/api_error.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kCustomerOf{"billing_portal_customer",
                                    "SELECT coalesce(stripe_customer_id, '') FROM companies "
                                    "WHERE id = $1::uuid AND deleted_at IS NULL"};

}  // namespace

asio::awaitable<Result<std::string>> OpenPortalSession(db::Pool& database, stripe::Client& stripe,
                                                       PortalRequest request) {
  auto company = co_await database.Execute(kCustomerOf, request.company_id);
  if (!company) co_return tl::unexpected(company.error());
  const std::string customer = company->empty() ? "" : std::string(company->Text(0, 0));
  if (customer.empty()) {
    co_return Fail(ErrorCode::kConflict,
                   "The company has no billing account yet: it is opened with the first order.");
  }
  stripe::FormFields fields{{"customer", customer},
                            {"return_url", request.return_url},
                            {"locale", request.locale == "en" ? "en" : "de"}};
  auto session = co_await stripe.Post("/v1/billing_portal/sessions", std::move(fields),
                                      "portal:" + request.company_id + ":" + request.request_id);
  if (!session) co_return tl::unexpected(stripe::ToError(session.error()));
  std::string url = stripe::StringOf(*session, "url");
  if (url.empty()) co_return Fail(ErrorCode::kInternal, "Stripe's portal session has no URL.");
  co_return url;
}

}  // namespace codezero::billing
