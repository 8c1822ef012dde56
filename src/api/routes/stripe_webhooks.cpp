#include "api/routes/stripe_webhooks.h"

#include <memory>

#include <boost/json/parse.hpp>

#include "billing/stripe_events.h"
#include "common/log.h"
#include "http/json_body.h"
#include "metrics/registry.h"
#include "stripe/webhook_signature.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

std::optional<billing::StripeEventHead> ReadHead(std::string_view body) {
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const auto& event = parsed.as_object();
  const auto* id = event.if_contains("id");
  const auto* type = event.if_contains("type");
  const auto* created = event.if_contains("created");
  const auto* livemode = event.if_contains("livemode");
  const auto* object = event.if_contains("object");
  if (id == nullptr || !id->is_string() || !id->as_string().starts_with("evt_") ||
      id->as_string().size() > 255 || type == nullptr || !type->is_string() ||
      type->as_string().empty() || type->as_string().size() > 255 || created == nullptr ||
      !created->is_int64() || livemode == nullptr || !livemode->is_bool() || object == nullptr ||
      !object->is_string() || object->as_string() != "event") {
    return std::nullopt;
  }
  return billing::StripeEventHead{std::string(id->as_string()), std::string(type->as_string()),
                                  created->as_int64(), livemode->as_bool()};
}

Error Rejected() { return Error{ErrorCode::kBadRequest, "", "", {}}; }

// codezero_webhook_events_total{type,outcome} (docs/metrics.md). The type is read only from an
// event whose signature was valid, so it is one of Stripe's, not whatever a stranger sends.
void CountWebhookEvent(std::string_view type, std::string_view outcome) {
  metrics::Default()
      .AddCounter("codezero_webhook_events_total",
                  "Stripe webhook deliveries, by type and outcome.", {"type", "outcome"})
      .With({type, outcome})
      .Inc();
}

asio::awaitable<Result<http::Response>> Receive(const StripeWebhookDependencies& deps,
                                                http::Request& request,
                                                http::RequestContext& context) {
  if (deps.secrets.empty()) {
    co_return Fail(ErrorCode::kUnavailable, "webhooks are not configured",
                   "STRIPE_WEBHOOK_SECRETS is not set");
  }
  const std::string& body = request.body();
  const stripe::SignatureCheck check =
      stripe::VerifySignature(request["Stripe-Signature"], body, deps.secrets, deps.now());
  if (check != stripe::SignatureCheck::kValid) {
    CountWebhookEvent("unknown", "bad_signature");
    log::Warn("stripe webhook rejected",
              {{"check", std::string(stripe::ToString(check))}, {"client", context.client}},
              context.request_id);
    co_return tl::unexpected(Rejected());
  }
  const auto head = ReadHead(body);
  if (!head) {
    CountWebhookEvent("unknown", "invalid");
    log::Warn("signed stripe webhook is not an event", {{"client", context.client}},
              context.request_id);
    co_return tl::unexpected(Rejected());
  }
  const std::string traceparent = context.traceparent();
  auto stored = co_await billing::RecordStripeEvent(deps.database, *head, body, traceparent);
  if (!stored) co_return tl::unexpected(stored.error());
  const bool duplicate = !*stored;
  CountWebhookEvent(head->type, duplicate ? "duplicate" : "stored");
  log::Info("stripe event received",
            {{"event", head->id}, {"type", head->type}, {"duplicate", duplicate}},
            context.request_id);
  co_return http::JsonTextResponse(
      http::Status::ok,
      duplicate ? R"({"received":true,"duplicate":true})" : R"({"received":true})",
      request.version());
}

}  // namespace

void AddStripeWebhookRoutes(RouteTable& routes, StripeWebhookDependencies dependencies) {
  auto deps = std::make_shared<const StripeWebhookDependencies>(std::move(dependencies));
  routes.Add(http::Verb::post, "/v1/webhooks/stripe",
             {.operation = "receiveStripeEvent", .body_limit = kMaxWebhookBytes},
             Bound(deps, Receive));
}

}  // namespace codezero::api
