// POST /de/einwilligung, /en/consent: the visitor's choice in the consent dialog (or on the
// cookie page). The choice is recorded as proof through the API first (POST /v1/consents); only
// then is the cookie set, so a choice the site cannot prove is not acted on. Without
// JavaScript the answer is a redirect back to where the visitor was (a path on this site only);
// the script asks for JSON and closes the dialog without a reload.
//
// Anyone may send it (page_route.h), signed in or not, from any page: the form token may be
// bound to nothing. Too many posts from one address: a 429 page with the wait.
#include <boost/json/serialize.hpp>

#include "common/json_writer.h"
#include "domain/consent.h"
#include "http/client_address.h"
#include "web/cookies.h"
#include "web/form_post.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/user_agent_class.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;

constexpr std::chrono::seconds kConsentCookieLifetime{365 * 24 * 3600};

bool WantsJson(const http::Request& request) {
  return request[http::Field::accept].find("application/json") != std::string_view::npos;
}

asio::awaitable<Result<http::Response>> RecordChoice(Site& site, Visitor& visitor,
                                                     const FormPost& form, http::Request& request,
                                                     http::RequestContext& context, Locale locale) {
  const WebSettings& settings = site.settings();
  const std::string address = http::ClientAddress(request, context, settings.trusted_proxies);
  const auto action = domain::ParseConsentAction(form.Text("choice"));
  if (!action) co_return Fail(ErrorCode::kBadRequest, "no choice", "choice missing or unknown");
  const redis::RateDecision decision =
      co_await site.limiter().Check(settings.consent_limit, address);
  if (!decision.allowed) {
    Error error{ErrorCode::kRateLimited, "too many choices", settings.consent_limit.name, {}};
    http::Response response = site.ErrorPage(error, request, context);
    response.set(http::Field::retry_after, std::to_string(std::max<std::int64_t>(
                                               1, (decision.retry_after.count() + 999) / 1000)));
    co_return response;
  }

  const domain::ConsentChoice choice =
      domain::DecideConsent(*action, form.Checked("statistics"), form.Checked("marketing"));
  JsonWriter body(256);
  body.BeginObject();
  body.NullableMember("consent_id", visitor.consent_id);
  body.Member("action", domain::ToString(choice.action));
  if (choice.action == domain::ConsentAction::kCustom) {
    body.Member("statistics", choice.statistics);
    body.Member("marketing", choice.marketing);
  }
  body.Member("policy_version", settings.consent_policy_version);
  body.Member("user_agent_class", UserAgentClass(request[http::Field::user_agent]));
  body.EndObject();
  auto recorded =
      co_await site.api().RecordConsent(std::move(body).Take(), context.request_id, address);
  if (!recorded) co_return tl::unexpected(recorded.error());

  const std::string cookie =
      SetCookieHeader(kConsentCookie,
                      ConsentCookieValue(recorded->consent_id, settings.consent_policy_version,
                                         choice.statistics, choice.marketing),
                      kConsentCookieLifetime);
  if (WantsJson(request)) {
    JsonWriter json(256);
    json.BeginObject();
    json.Member("statistics", choice.statistics);
    json.Member("marketing", choice.marketing);
    json.SafeMember("recorded_at", recorded->recorded_at);
    json.EndObject();
    http::Response response(http::Status::ok, request.version());
    response.set(http::Field::content_type, "application/json");
    response.set(http::Field::set_cookie, cookie);
    response.body() = std::move(json).Take();
    co_return response;
  }
  http::Response response(http::Status::see_other, request.version());
  response.set(http::Field::location,
               SafeReturnPath(form.Text("return"), PathOf(Page::kHome, locale)));
  response.set(http::Field::set_cookie, cookie);
  co_return response;
}

}  // namespace

void AddConsentRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddForm(router, site, locale, PathOf(Page::kConsent, locale), Audience::kAnyone, RecordChoice);
  }
}

}  // namespace codezero::web
