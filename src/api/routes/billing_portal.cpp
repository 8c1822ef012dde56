#include "api/routes/billing_portal.h"

#include <memory>

#include "api/return_url.h"
#include "auth/bearer.h"
#include "billing/portal_session.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "domain/violation.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

asio::awaitable<Result<http::Response>> OpenPortal(const BillingPortalDependencies& deps,
                                                   http::Request& request,
                                                   http::RequestContext& context,
                                                   const auth::Principal& me) {
  const domain::Locale locale = me.locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
  billing::PortalRequest portal{.company_id = me.company_id,
                                .locale = me.locale == "en" ? "en" : "de",
                                .return_url = "",
                                .request_id = context.request_id};
  portal.return_url = deps.public_web_url + "/" + portal.locale + "/account/invoices";
  if (!request.body().empty()) {
    auto body = http::ParseJsonBody(request);
    if (!body) co_return tl::unexpected(body.error());
    JsonFields fields(*body);
    const auto return_url = fields.String("return_url", {.required = false, .max_length = 2048});
    fields.RejectUnknown();
    std::vector<domain::Violation> violations;
    if (auto shape = fields.Finish(); !shape) {
      for (const FieldError& error : shape.error().fields) {
        violations.push_back({error.code, error.field, {}});
      }
    }
    if (return_url) {
      if (auto refused = CheckReturnUrl("return_url", *return_url, deps.public_web_url)) {
        violations.push_back(std::move(*refused));
      } else {
        portal.return_url = *return_url;
      }
    }
    if (!violations.empty()) co_return tl::unexpected(domain::ValidationError(violations, locale));
  }
  auto url = co_await billing::OpenPortalSession(deps.database, deps.stripe, std::move(portal));
  if (!url) co_return tl::unexpected(url.error());
  JsonWriter json(256);
  json.BeginObject();
  json.Member("url", *url);
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::created, std::move(json).Take(),
                                   request.version());
}

}  // namespace

void AddBillingPortalRoutes(RouteTable& routes, BillingPortalDependencies dependencies) {
  auto deps = std::make_shared<const BillingPortalDependencies>(std::move(dependencies));
  routes.Add(http::Verb::post, "/v1/billing-portal/sessions",
             {.operation = "createBillingPortalSession", .caller = Caller::kOwner},
             Bound(deps, OpenPortal));
}

}  // namespace codezero::api
