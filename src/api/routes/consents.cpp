#include "api/routes/consents.h"

#include <memory>

#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/uuid.h"
#include "domain/consent.h"
#include "http/json_body.h"
#include "metrics/registry.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kRecordConsent{
    "consent_record",
    "INSERT INTO consent_records (consent_id, action, statistics, marketing, policy_version, "
    "user_agent_class) VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6) "
    "RETURNING consent_id::text, iso8601(recorded_at)"};

struct ConsentRequest {
  std::optional<std::string> consent_id;
  domain::ConsentChoice choice;
  std::string policy_version;
  std::string user_agent_class;
};

Result<ConsentRequest> ParseConsentRequest(const boost::json::value& body) {
  JsonFields fields(body);
  ConsentRequest parsed;
  if (const boost::json::value* id = fields.Raw("consent_id"); id && !id->is_null()) {
    if (!id->is_string() || !IsUuid(id->as_string())) {
      fields.AddError("invalid_value", "consent_id", "Must be a UUID or null.");
    } else {
      parsed.consent_id = std::string(id->as_string());
    }
  }
  const auto action_text = fields.String("action", {.max_length = 16});
  const auto statistics = fields.Boolean("statistics", false);
  const auto marketing = fields.Boolean("marketing", false);
  const auto version = fields.String("policy_version", {.max_length = 32});
  const auto agent = fields.String("user_agent_class", {.min_length = 1, .max_length = 64});
  fields.RejectUnknown();
  const auto action = action_text ? domain::ParseConsentAction(*action_text) : std::nullopt;
  if (action_text && !action) {
    fields.AddError("invalid_value", "action", "Must be accept_all, reject_all or custom.");
  }
  if (action == domain::ConsentAction::kCustom && (!statistics || !marketing)) {
    fields.AddError("required", "statistics", "A custom choice names every category.");
  }
  if (version && !domain::IsPolicyVersion(*version)) {
    fields.AddError("invalid_value", "policy_version", "1 to 32 of A-Z a-z 0-9 . _ -.");
  }
  if (auto ok = fields.Finish(); !ok) return tl::unexpected(ok.error());
  parsed.choice =
      domain::DecideConsent(*action, statistics.value_or(false), marketing.value_or(false));
  parsed.policy_version = *version;
  parsed.user_agent_class = *agent;
  return parsed;
}

// codezero_consent_choices_total{category,choice} (docs/metrics.md): how many visitors allow
// each optional category, with nothing about who they are.
void CountConsentChoice(const domain::ConsentChoice& choice) {
  auto& family = metrics::Default().AddCounter("codezero_consent_choices_total",
                                               "Cookie consent decisions recorded, by category.",
                                               {"category", "choice"});
  family.With({"statistics", choice.statistics ? "granted" : "denied"}).Inc();
  family.With({"marketing", choice.marketing ? "granted" : "denied"}).Inc();
}

asio::awaitable<Result<http::Response>> RecordConsent(const ConsentDependencies& deps,
                                                      http::Request& request,
                                                      http::RequestContext&) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  auto parsed = ParseConsentRequest(*body);
  if (!parsed) co_return tl::unexpected(parsed.error());
  const std::string_view action = domain::ToString(parsed->choice.action);
  auto rows = co_await deps.database.Execute(kRecordConsent, parsed->consent_id, action,
                                             parsed->choice.statistics, parsed->choice.marketing,
                                             parsed->policy_version, parsed->user_agent_class);
  if (!rows) co_return tl::unexpected(rows.error());
  CountConsentChoice(parsed->choice);

  JsonWriter json(256);
  json.BeginObject();
  json.SafeMember("consent_id", rows->Text(0, 0));
  json.SafeMember("action", action);
  json.Member("statistics", parsed->choice.statistics);
  json.Member("marketing", parsed->choice.marketing);
  json.SafeMember("policy_version", parsed->policy_version);
  json.SafeMember("recorded_at", rows->Text(0, 1));
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::created, std::move(json).Take(),
                                   request.version());
}

}  // namespace

void AddConsentRoutes(RouteTable& routes, ConsentDependencies dependencies) {
  auto deps = std::make_shared<const ConsentDependencies>(std::move(dependencies));
  routes.Add(http::Verb::post, "/v1/consents",
             {.operation = "recordConsent", .per_address = &deps->limit},
             [deps](http::Request& request, http::RequestContext& context) {
               return RecordConsent(*deps, request, context);
             });
}

}  // namespace codezero::api
