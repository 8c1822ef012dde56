#include "api/routes/admin/admin_routes.h"

#include <charconv>
#include <limits>

#include "api/audit.h"
#include "common/json_fields.h"
#include "http/json_body.h"
#include "http/query.h"
#include "queue/job_admin.h"

namespace codezero::api::admin {
namespace {

namespace asio = boost::asio;
using auth::Principal;

// The {id} of a job route, or nullopt (answered 404).
std::optional<std::int64_t> JobId(const http::RequestContext& context) {
  const std::string_view text = context.Param("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

asio::awaitable<Result<http::Response>> ListJobs(const AccountDependencies& deps,
                                                 http::Request& request,
                                                 http::RequestContext& context, const Principal&) {
  const std::string state = http::QueryParameter(context.query, "state").value_or("");
  const std::string kind = http::QueryParameter(context.query, "kind").value_or("");
  const std::string queue = http::QueryParameter(context.query, "queue").value_or("");
  const auto limit = http::IntegerParameter(context.query, "limit", 50, 1, queue::kMaxJobsPage);
  const auto before = http::IntegerParameter(context.query, "before", 0, 0,
                                             std::numeric_limits<std::int64_t>::max());
  if (!state.empty() && !queue::IsJobState(state)) {
    co_return Fail(ErrorCode::kBadRequest,
                   "state must be one of available, scheduled, running, retryable, completed, "
                   "discarded, cancelled.");
  }
  if (!limit || !before) {
    co_return Fail(ErrorCode::kBadRequest, "limit must be 1 to 100 and before a job id.");
  }
  auto page = co_await queue::ListJobs(deps.database, state, kind, queue, *limit, *before);
  if (!page) co_return tl::unexpected(page.error());
  co_return http::JsonTextResponse(http::Status::ok, std::move(*page), request.version());
}

asio::awaitable<Result<http::Response>> ShowJob(const AccountDependencies& deps,
                                                http::Request& request,
                                                http::RequestContext& context, const Principal&) {
  const auto id = JobId(context);
  if (!id) co_return Fail(ErrorCode::kNotFound, "No such job.");
  auto job = co_await queue::ShowJob(deps.database, *id);
  if (!job) co_return tl::unexpected(job.error());
  co_return http::JsonTextResponse(http::Status::ok, std::move(*job), request.version());
}

// Retry or cancel, audited in the same transaction.
asio::awaitable<Result<http::Response>> ChangeJob(const AccountDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context,
                                                  const Principal& admin, queue::JobAction action) {
  const auto id = JobId(context);
  if (!id) co_return Fail(ErrorCode::kNotFound, "No such job.");
  std::string reason = "cancelled by " + admin.email;
  if (action == queue::JobAction::kCancel && !request.body().empty()) {
    auto body = http::ParseJsonBody(request);
    if (!body) co_return tl::unexpected(body.error());
    JsonFields fields(*body);
    auto given = fields.String("reason", {.required = false, .min_length = 1, .max_length = 500});
    fields.RejectUnknown();
    if (auto ok = fields.Finish(); !ok) co_return tl::unexpected(ok.error());
    if (given) reason += ": " + *given;
  }
  const std::string client(context.client);
  const std::string details = "{\"job_id\":" + std::to_string(*id) + "}";
  auto job = co_await deps.database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::string>> {
        auto changed = co_await queue::ChangeJob(tx, *id, action, reason);
        if (!changed) co_return tl::unexpected(changed.error());
        auto audited = co_await Audit(tx, std::string(queue::AuditActionOf(action)), admin.user_id,
                                      "", "", client, details);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return std::move(*changed);
      });
  if (!job) co_return tl::unexpected(job.error());
  co_return http::JsonTextResponse(http::Status::ok, std::move(*job), request.version());
}

asio::awaitable<Result<http::Response>> RetryJob(const AccountDependencies& deps,
                                                 http::Request& request,
                                                 http::RequestContext& context,
                                                 const Principal& admin) {
  co_return co_await ChangeJob(deps, request, context, admin, queue::JobAction::kRetry);
}

asio::awaitable<Result<http::Response>> CancelJob(const AccountDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context,
                                                  const Principal& admin) {
  co_return co_await ChangeJob(deps, request, context, admin, queue::JobAction::kCancel);
}

}  // namespace

void AddJobRoutes(RouteTable& routes, const Dependencies& deps) {
  routes.Add(http::Verb::get, "/v1/admin/jobs", AdminsOnly("listJobs"), Bound(deps, ListJobs));
  routes.Add(http::Verb::get, "/v1/admin/jobs/{id}", AdminsOnly("getJob"), Bound(deps, ShowJob));
  routes.Add(http::Verb::post, "/v1/admin/jobs/{id}/retry", AdminsOnly("retryJob"),
             Bound(deps, RetryJob));
  routes.Add(http::Verb::post, "/v1/admin/jobs/{id}/cancel", AdminsOnly("cancelJob"),
             Bound(deps, CancelJob));
}

}  // namespace codezero::api::admin
