#include "api/routes/admin_subscriptions.h"

#include <memory>

#include "api/audit.h"
#include "auth/bearer.h"
#include "billing/admin_cancellation.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/uuid.h"
#include "domain/violation.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

asio::awaitable<Result<http::Response>> CancelNow(const AdminSubscriptionDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context,
                                                  const auth::Principal& admin) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto refund = fields.String("refund");
  const auto reason = fields.String("reason", {.required = false, .max_length = 500});
  fields.RejectUnknown();
  std::vector<domain::Violation> violations;
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields) {
      violations.push_back({error.code, error.field, {}});
    }
  }
  billing::RefundChoice choice = billing::RefundChoice::kNone;
  if (refund == "prorated")
    choice = billing::RefundChoice::kProrated;
  else if (refund == "full")
    choice = billing::RefundChoice::kFull;
  else if (refund && *refund != "none") {
    violations.push_back({"invalid_value", "refund", {"none, prorated, full"}});
  }
  if (!violations.empty()) {
    co_return tl::unexpected(domain::ValidationError(violations, domain::Locale::kEn));
  }
  auto ended = co_await billing::CancelImmediately(deps.database, deps.stripe, id, choice);
  if (!ended) co_return tl::unexpected(ended.error());
  JsonWriter details(256);
  details.BeginObject();
  details.Member("subscription", id);
  details.Member("refund", refund.value_or("none"));
  details.Member("refunded", ended->refunded);
  details.Member("reason", reason.value_or(""));
  details.EndObject();
  const std::string audit = std::move(details).Take();
  const std::string client(context.client);
  auto audited =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
        co_return co_await Audit(tx, "admin_subscription_canceled", admin.user_id, "", "", client,
                                 audit);
      });
  if (!audited) co_return tl::unexpected(audited.error());
  JsonWriter json(96);
  json.BeginObject();
  json.Member("refunded", ended->refunded);
  json.Member("currency", ended->currency);
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

}  // namespace

void AddAdminSubscriptionRoutes(RouteTable& routes, AdminSubscriptionDependencies dependencies) {
  auto deps = std::make_shared<const AdminSubscriptionDependencies>(dependencies);
  routes.Add(http::Verb::post, "/v1/admin/subscriptions/{id}/cancel",
             {.operation = "cancelSubscriptionNow", .caller = Caller::kPlatformAdmin},
             Bound(deps, CancelNow));
}

}  // namespace codezero::api
