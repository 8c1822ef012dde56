#include "api/routes/accounts.h"

#include <memory>

#include "api/audit.h"
#include "api/rate_limits.h"
#include "auth/tokens.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "domain/email_address.h"
#include "domain/tax.h"
#include "domain/tax_id.h"
#include "domain/vat_territory.h"
#include "domain/violation.h"
#include "http/client_address.h"
#include "http/json_body.h"
#include "http/query.h"
#include "mail/outbox.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using domain::Violation;

constexpr db::Statement kFindUserByEmail{
    "accounts_find_user_by_email",
    "SELECT id::text, locale, name FROM users WHERE email = $1 AND anonymized_at IS NULL"};
constexpr db::Statement kInsertCompany{
    "accounts_insert_company",
    "INSERT INTO companies (name, country, vat_id, address) VALUES ($1, $2, nullif($3, ''), "
    "$4::jsonb) RETURNING id::text"};
constexpr db::Statement kInsertOwner{
    "accounts_insert_owner",
    "INSERT INTO users (company_id, email, name, locale, password_hash, role) "
    "VALUES ($1::uuid, $2, $3, $4, $5, 'owner') RETURNING id::text"};
constexpr db::Statement kInsertEmailToken{
    "accounts_insert_email_token",
    "INSERT INTO email_tokens (token_hash, purpose, user_id, expires_at) "
    "VALUES (decode($1, 'hex'), $2, $3::uuid, now() + make_interval(secs => $4))"};
constexpr db::Statement kUseEmailToken{
    "accounts_use_email_token",
    "UPDATE email_tokens SET used_at = now() WHERE token_hash = decode($1, 'hex') "
    "AND purpose = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id::text"};
constexpr db::Statement kMarkVerified{
    "accounts_mark_verified",
    "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1::uuid "
    "RETURNING coalesce(company_id::text, '')"};
constexpr db::Statement kSetPassword{
    "accounts_set_password",
    "UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) "
    "WHERE id = $1::uuid AND anonymized_at IS NULL RETURNING coalesce(company_id::text, '')"};
constexpr db::Statement kFindResettable{
    "accounts_find_resettable",
    "SELECT id::text, locale, name FROM users WHERE email = $1 AND anonymized_at IS NULL "
    "AND disabled_at IS NULL"};

http::Response Accepted(unsigned version) {
  http::Response response(http::Status::accepted, version);
  response.set(http::Field::content_type, "application/json");
  response.body() = R"({"status":"accepted"})";
  return response;
}

http::Response NoContent(unsigned version) {
  return http::Response(http::Status::no_content, version);
}

std::string LinkPayload(const std::string& link, const std::string& name) {
  JsonWriter json(256);
  json.BeginObject();
  json.Member("link", link);
  json.Member("name", name);
  json.EndObject();
  return std::move(json).Take();
}

// The shape of a registration, checked as a whole (every problem in one 422).
struct Registration {
  std::string company_name;
  std::string country;
  std::string vat_id;
  std::string address_json;
  std::string email;
  std::string password;
  std::string name;
  std::string locale = "de";
  std::string next;  // where the verification link's page leads on (a path of the site)
};

Result<Registration> ReadRegistration(const boost::json::value& body,
                                      const auth::PasswordPolicy& policy) {
  Registration registration;
  std::vector<Violation> violations;
  JsonFields fields(body);
  JsonFields company = fields.Object("company");
  registration.company_name =
      company.String("name", {.min_length = 1, .max_length = 200}).value_or("");
  const auto country = company.String("country", {.min_length = 2, .max_length = 2});
  const auto vat_id =
      company.String("vat_id", {.required = false, .min_length = 1, .max_length = 32});
  JsonFields address = company.Object("address");
  const auto line1 = address.String("line1", {.min_length = 1, .max_length = 200});
  const auto line2 = address.String("line2", {.required = false, .max_length = 200});
  const auto postal_code = address.String("postal_code", {.min_length = 1, .max_length = 20});
  const auto city = address.String("city", {.min_length = 1, .max_length = 100});
  address.RejectUnknown();
  company.RejectUnknown();
  JsonFields user = fields.Object("user");
  const auto email = user.String("email", {.min_length = 3, .max_length = 254});
  const auto password = user.String("password", {.min_length = 1, .max_length = 1024});
  registration.name = user.String("name", {.min_length = 1, .max_length = 200}).value_or("");
  const auto locale = user.String("locale", {.required = false, .min_length = 2, .max_length = 2});
  user.RejectUnknown();
  const auto next = fields.String("next", {.required = false, .min_length = 1, .max_length = 512});
  fields.RejectUnknown();
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields)
      violations.push_back({error.code, error.field, {}});
  }
  if (country) {
    registration.country = *country;
    for (char& c : registration.country)
      c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (!domain::IsSupportedCountry(registration.country)) {
      violations.push_back({"unsupported_country", "company.country", {*country}});
    }
  }
  if (vat_id && domain::IsSupportedCountry(registration.country)) {
    // Checked where the country's kind of number is known (EU, GB, CH, NO), else kept as given.
    // As a number of the country the company is in for VAT (Monaco's are French).
    const domain::TaxIdCheck check =
        domain::CheckTaxId(domain::VatTerritoryOf(registration.country, "").country, *vat_id);
    if (!check.valid) {
      violations.push_back({"invalid_vat_id", "company.vat_id", {*vat_id}});
    } else {
      registration.vat_id = check.normalized;
    }
  }
  if (email) {
    registration.email = domain::NormalizeEmail(*email);
    if (!domain::IsPlausibleEmail(registration.email))
      violations.push_back({"invalid_email", "user.email", {}});
  }
  if (password) {
    const std::string_view problem = auth::PasswordProblem(policy, *password);
    if (problem == "too_short") {
      violations.push_back(
          {"password_too_short", "user.password", {std::to_string(policy.min_length)}});
    } else if (problem == "too_long") {
      violations.push_back(
          {"password_too_long", "user.password", {std::to_string(policy.max_length)}});
    }
    registration.password = *password;
  }
  if (next) {
    if (http::IsSitePath(*next)) {
      registration.next = *next;
    } else {
      violations.push_back({"url_not_allowed", "next", {"/"}});
    }
  }
  if (locale) {
    if (*locale == "de" || *locale == "en") {
      registration.locale = *locale;
    } else {
      violations.push_back({"unsupported_locale", "user.locale", {*locale}});
    }
  }
  if (!violations.empty()) {
    return tl::unexpected(domain::ValidationError(
        violations, registration.locale == "en" ? domain::Locale::kEn : domain::Locale::kDe));
  }
  JsonWriter json(256);
  json.BeginObject();
  json.Member("line1", *line1);
  if (line2) json.Member("line2", *line2);
  json.Member("postal_code", *postal_code);
  json.Member("city", *city);
  json.EndObject();
  registration.address_json = std::move(json).Take();
  return registration;
}

asio::awaitable<Result<http::Response>> Register(const AccountDependencies& deps,
                                                 http::Request& request,
                                                 http::RequestContext& context) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  auto registration = ReadRegistration(*body, deps.hasher.policy());
  if (!registration) co_return tl::unexpected(registration.error());

  // Hash whether or not the address is taken, so both answers take equally long.
  auto hash = co_await deps.hasher.Hash(registration->password);
  if (!hash) co_return tl::unexpected(hash.error());

  const Registration& r = *registration;
  const std::string client(context.client);
  const std::string traceparent = context.traceparent();
  auto done =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        tx.set_trace_context(traceparent);
        auto existing = co_await tx.Execute(kFindUserByEmail, r.email);
        if (!existing) co_return tl::unexpected(existing.error());
        if (!existing->empty()) {
          // Tell the owner of the address, not the caller.
          const std::string user_id(existing->Text(0, 0));
          const std::string link =
              deps.public_web_url + "/" + std::string(existing->Text(0, 1)) + "/login";
          const std::string locale(existing->Text(0, 1));
          const std::string payload = LinkPayload(link, std::string(existing->Text(0, 2)));
          auto queued =
              co_await mail::EnqueueEmail(tx, r.email, "account_exists", locale, payload, user_id);
          if (!queued) co_return tl::unexpected(queued.error());
          auto audited = co_await Audit(tx, "signup_for_existing_account", "", "", user_id, client);
          if (!audited) co_return tl::unexpected(audited.error());
          co_return false;
        }
        auto company = co_await tx.Execute(kInsertCompany, r.company_name, r.country, r.vat_id,
                                           r.address_json);
        if (!company) co_return tl::unexpected(company.error());
        const std::string company_id(company->Text(0, 0));
        auto user = co_await tx.Execute(kInsertOwner, company_id, r.email, r.name, r.locale, *hash);
        if (!user) co_return tl::unexpected(user.error());
        const std::string user_id(user->Text(0, 0));
        const auth::NewToken token = auth::MakeToken(auth::kEmailLinkPrefix);
        auto stored = co_await tx.Execute(kInsertEmailToken, token.hash, "verify", user_id,
                                          kVerifyLinkSeconds);
        if (!stored) co_return tl::unexpected(stored.error());
        const std::string payload =
            LinkPayload(EmailLink(deps, r.locale, "account/verify", token.value, r.next), r.name);
        auto queued =
            co_await mail::EnqueueEmail(tx, r.email, "verify_email", r.locale, payload, user_id);
        if (!queued) co_return tl::unexpected(queued.error());
        auto audited = co_await Audit(tx, "account_created", user_id, company_id, user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  // Two sign-ups for one address at the same moment: the second meets the unique index.
  // It is answered like every other sign-up for an existing address.
  if (!done && db::SqlStateOf(done.error()) != "23505") co_return tl::unexpected(done.error());
  co_return Accepted(request.version());
}

asio::awaitable<Result<http::Response>> Verify(const AccountDependencies& deps,
                                               http::Request& request,
                                               http::RequestContext& context) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto token = fields.String("token", {.min_length = 1, .max_length = 256});
  fields.RejectUnknown();
  if (auto ok = fields.Finish(); !ok) co_return tl::unexpected(ok.error());
  const std::string hash = auth::HashToken(*token);
  const std::string client(context.client);
  auto verified =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        auto used = co_await tx.Execute(kUseEmailToken, hash, "verify");
        if (!used) co_return tl::unexpected(used.error());
        if (used->empty()) co_return false;
        const std::string user_id(used->Text(0, 0));
        auto marked = co_await tx.Execute(kMarkVerified, user_id);
        if (!marked) co_return tl::unexpected(marked.error());
        const std::string company_id(marked->Text(0, 0));
        auto audited = co_await Audit(tx, "email_verified", user_id, company_id, user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!verified) co_return tl::unexpected(verified.error());
  if (!*verified) co_return tl::unexpected(InvalidLink());
  co_return NoContent(request.version());
}

asio::awaitable<Result<http::Response>> RequestReset(const AccountDependencies& deps,
                                                     http::Request& request,
                                                     http::RequestContext& context) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto email = fields.String("email", {.min_length = 3, .max_length = 254});
  fields.RejectUnknown();
  if (auto ok = fields.Finish(); !ok) co_return tl::unexpected(ok.error());
  const std::string address = domain::NormalizeEmail(*email);
  if (!domain::IsPlausibleEmail(address)) {
    std::vector<Violation> violations;
    violations.push_back({"invalid_email", "email", {}});
    co_return tl::unexpected(domain::ValidationError(violations, domain::Locale::kDe));
  }
  const std::string client(context.client);
  const std::string traceparent = context.traceparent();
  auto done =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        tx.set_trace_context(traceparent);
        auto user = co_await tx.Execute(kFindResettable, address);
        if (!user) co_return tl::unexpected(user.error());
        if (user->empty()) co_return false;  // nobody to tell; the answer is the same
        const std::string user_id(user->Text(0, 0));
        const std::string locale(user->Text(0, 1));
        const auth::NewToken token = auth::MakeToken(auth::kEmailLinkPrefix);
        auto stored =
            co_await tx.Execute(kInsertEmailToken, token.hash, "reset", user_id, kResetLinkSeconds);
        if (!stored) co_return tl::unexpected(stored.error());
        const std::string payload =
            LinkPayload(EmailLink(deps, locale, "account/reset-password", token.value),
                        std::string(user->Text(0, 2)));
        auto queued =
            co_await mail::EnqueueEmail(tx, address, "password_reset", locale, payload, user_id);
        if (!queued) co_return tl::unexpected(queued.error());
        auto audited = co_await Audit(tx, "password_reset_requested", "", "", user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!done) co_return tl::unexpected(done.error());
  co_return Accepted(request.version());
}

asio::awaitable<Result<http::Response>> ConfirmReset(const AccountDependencies& deps,
                                                     http::Request& request,
                                                     http::RequestContext& context) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto token = fields.String("token", {.min_length = 1, .max_length = 256});
  const auto password = fields.String("password", {.min_length = 1, .max_length = 1024});
  fields.RejectUnknown();
  if (auto ok = fields.Finish(); !ok) co_return tl::unexpected(ok.error());
  const auth::PasswordPolicy& policy = deps.hasher.policy();
  if (const std::string_view problem = auth::PasswordProblem(policy, *password); !problem.empty()) {
    std::vector<Violation> violations;
    violations.push_back(
        {problem == "too_short" ? "password_too_short" : "password_too_long",
         "password",
         {std::to_string(problem == "too_short" ? policy.min_length : policy.max_length)}});
    co_return tl::unexpected(domain::ValidationError(violations, domain::Locale::kDe));
  }
  const std::string token_hash = auth::HashToken(*token);
  auto usable = co_await LinkIsUsable(deps.database, token_hash, "reset");
  if (!usable) co_return tl::unexpected(usable.error());
  if (!*usable) co_return tl::unexpected(InvalidLink());
  auto hash = co_await deps.hasher.Hash(*password);
  if (!hash) co_return tl::unexpected(hash.error());
  const std::string client(context.client);
  std::vector<std::string> evict;
  auto reset =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        auto used = co_await tx.Execute(kUseEmailToken, token_hash, "reset");
        if (!used) co_return tl::unexpected(used.error());
        if (used->empty()) co_return false;
        const std::string user_id(used->Text(0, 0));
        auto updated = co_await tx.Execute(kSetPassword, user_id, *hash);
        if (!updated) co_return tl::unexpected(updated.error());
        if (updated->empty()) co_return false;
        auto revoked = co_await deps.tokens.RevokeUser(tx, user_id);
        if (!revoked) co_return tl::unexpected(revoked.error());
        evict = std::move(*revoked);
        const std::string company_id(updated->Text(0, 0));
        auto audited = co_await Audit(tx, "password_reset", user_id, company_id, user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!reset) co_return tl::unexpected(reset.error());
  if (!*reset) co_return tl::unexpected(InvalidLink());  // used up meanwhile
  co_await deps.tokens.Evict(std::move(evict));
  co_return NoContent(request.version());
}

}  // namespace

void AddAccountRoutes(RouteTable& routes, const AccountDependencies& dependencies) {
  auto deps = std::make_shared<const AccountDependencies>(dependencies);
  const RateLimits& limits = deps->limits;
  routes.Add(http::Verb::post, "/v1/accounts",
             {.operation = "createAccount", .per_address = &limits.signup_per_address},
             [deps](http::Request& request, http::RequestContext& context) {
               return Register(*deps, request, context);
             });
  routes.Add(http::Verb::post, "/v1/accounts/verify", {.operation = "verifyAccount"},
             [deps](http::Request& request, http::RequestContext& context) {
               return Verify(*deps, request, context);
             });
  routes.Add(http::Verb::post, "/v1/password-reset",
             {.operation = "requestPasswordReset", .per_address = &limits.reset_per_address},
             [deps](http::Request& request, http::RequestContext& context) {
               return RequestReset(*deps, request, context);
             });
  routes.Add(
      http::Verb::post, "/v1/password-reset/confirm",
      {.operation = "confirmPasswordReset", .per_address = &limits.reset_confirm_per_address},
      [deps](http::Request& request, http::RequestContext& context) {
        return ConfirmReset(*deps, request, context);
      });
  // What a new password must be, for forms to say so before anyone types one.
  routes.Add(http::Verb::get, "/v1/password-policy", {.operation = "getPasswordPolicy"},
             [deps](http::Request& request,
                    http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
               const auth::PasswordPolicy& policy = deps->hasher.policy();
               JsonWriter json(64);
               json.BeginObject();
               json.Member("min_length", static_cast<std::int64_t>(policy.min_length));
               json.Member("max_length", static_cast<std::int64_t>(policy.max_length));
               json.EndObject();
               http::Response response = http::JsonTextResponse(
                   http::Status::ok, std::move(json).Take(), request.version());
               response.set(http::Field::cache_control, "public, max-age=3600");
               co_return response;
             });
}

}  // namespace codezero::api
