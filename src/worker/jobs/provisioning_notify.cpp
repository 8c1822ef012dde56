// `provisioning.notify` {"workspace_id"}: POSTs a workspace's current entitlements to
// PROVISIONING_URL, signed the way Stripe signs its webhooks (header
// `CodeZero-Signature: t=<unix>,v1=<hex HMAC-SHA256(PROVISIONING_SECRET, t + "." + body)>`), so
// the receiving system verifies it with any Stripe-compatible code. Anything but a 2xx is
// retried with the queue's backoff.
//
// Every change of a workspace queues a notice (billing/order_context.h). A notice sends the state
// current when it runs, and only when it is newer than the last state the endpoint
// acknowledged (`provisioning_notices`; a workspace's `version` counts its changes): a notice that
// ran while a change was committed leaves the change to the notice that change queued, and late or
// repeated notices send nothing old. Two notices running at once can still deliver the same
// state twice or, rarely, out of order: receivers keep the state with the highest `version`.
#include <boost/asio/this_coro.hpp>

#include "common/json_writer.h"
#include "common/log.h"
#include "common/random.h"
#include "common/uuid.h"
#include "http/outbound_call.h"
#include "stripe/webhook_signature.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kWorkspace{
    "notice_workspace",
    "SELECT w.id, w.company_id, w.order_id, w.plan, w.status, w.entitlements::text, "
    "iso8601_ms(w.updated_at), w.version, coalesce(n.version >= w.version, false) "
    "FROM workspaces w LEFT JOIN provisioning_notices n ON n.workspace_id = w.id "
    "WHERE w.id = $1::uuid"};
constexpr db::Statement kAcknowledged{
    "notice_acknowledged",
    "INSERT INTO provisioning_notices (workspace_id, version) VALUES ($1::uuid, $2::bigint) "
    "ON CONFLICT (workspace_id) DO UPDATE SET "
    "version = greatest(provisioning_notices.version, EXCLUDED.version), notified_at = now()"};

asio::awaitable<Outcome> Notify(JobDependencies& deps, const JobRecord& job) {
  if (!deps.provisioning) co_return Outcome::Completed();  // nobody to tell
  const auto* id = job.args.if_contains("workspace_id");
  if (id == nullptr || !id->is_string() || !IsUuid(id->as_string())) {
    co_return Outcome::Discarded("no workspace_id");
  }
  auto workspace = co_await deps.database.Execute(kWorkspace, std::string(id->as_string()));
  if (!workspace) co_return Outcome::Failed(workspace.error().reason);
  if (workspace->empty()) co_return Outcome::Discarded("no such workspace");
  if (workspace->Bool(0, 8)) co_return Outcome::Completed();  // acknowledged already
  const std::int64_t version = workspace->Int64(0, 7);

  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  JsonWriter body(512);
  body.BeginObject();
  body.Member("id", "ntc_" + NewRequestId());
  body.Member("type", "workspace.entitlements");
  body.Member("created", now);
  body.Key("data");
  body.BeginObject();
  body.Member("workspace_id", workspace->Text(0, 0));
  body.Member("company_id", workspace->Text(0, 1));
  body.Member("order_id", workspace->Text(0, 2));
  body.Member("plan", workspace->Text(0, 3));
  body.Member("status", workspace->Text(0, 4));
  body.Key("entitlements");
  std::string text = std::move(body).Take();
  text += workspace->Text(0, 5);  // jsonb, already JSON
  text += R"(,"version":)" + std::to_string(version) + R"(,"updated_at":")" +
          std::string(workspace->Text(0, 6)) + "\"}}";

  http::OutboundRequest request;
  request.method = http::Verb::post;
  request.url = deps.provisioning->url;
  request.timeout = std::chrono::seconds(10);
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("CodeZero-Signature",
                               stripe::SignatureHeader(deps.provisioning->secret, now, text));
  request.body = std::move(text);
  const auto executor = co_await asio::this_coro::executor;
  http::OutboundCall call("provisioning", "POST", executor);
  call.Propagate(request);
  auto answer = co_await deps.curl.Perform(std::move(request));
  call.Done(answer ? static_cast<int>(answer->result_int()) : 0);
  if (!answer) co_return Outcome::Failed("provisioning endpoint: " + answer.error().reason);
  const unsigned status = answer->result_int();
  if (status < 200 || status >= 300) {
    co_return Outcome::Failed("provisioning endpoint answered " + std::to_string(status));
  }
  const std::string workspace_id(id->as_string());
  auto acknowledged =
      co_await deps.database.Execute(kAcknowledged, workspace_id, static_cast<long long>(version));
  if (!acknowledged)
    co_return Outcome::Failed("record acknowledgement: " + acknowledged.error().reason);
  log::Info("provisioning notified", {{"workspace_id", workspace_id}, {"version", version}});
  co_return Outcome::Completed();
}

}  // namespace

void RegisterProvisioningNoticeJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kProvisioningNotify,
               [&deps](const JobRecord& job) { return Notify(deps, job); });
}

}  // namespace codezero::worker
