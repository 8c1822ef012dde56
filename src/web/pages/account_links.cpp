// The pages the API's e-mails link to (the link's token in the query), each acting only when the
// visitor presses its button, never on the GET (mail scanners open links):
//   /…/account/verify?token=…&next=…        confirm the address, then sign in (and go on)
//   /…/account/forgot-password              ask for a reset link (202 whatever the address)
//   /…/account/reset-password?token=…       set a new password; every sign-in ends
//   /…/account/accept-invitation?token=…    join a company: name and password, then sign in
#include <boost/json/object.hpp>

#include "common/json_writer.h"
#include "http/query.h"
#include "web/configuration.h"
#include "web/form_feedback.h"
#include "web/form_post.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"
#include "web/pages/visitor_post.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr FieldMapping kPasswordFields[] = {{"password", "password"}, {"name", "name"}};

std::string QueryValue(const http::RequestContext& context, std::string_view name) {
  return http::QueryParameter(context.query, name).value_or("");
}

// Verify.
asio::awaitable<Result<http::Response>> ShowVerify(Site& site, Visitor& visitor,
                                                   http::Request& request,
                                                   http::RequestContext& context, Locale locale) {
  json::object data{{"action", PathOf(Page::kVerify, locale)},
                    {"token", QueryValue(context, "token")},
                    {"next", SafeReturnPath(QueryValue(context, "next"), "")}};
  co_return site.PrivatePage("verify", std::move(data),
                             FormPageMeta(Page::kVerify, locale, "verify-form"), visitor, request);
}

asio::awaitable<Result<http::Response>> Verify(Site& site, Visitor& visitor, const FormPost& form,
                                               http::Request& request,
                                               http::RequestContext& context, Locale locale) {
  const std::string token = form.Text("token");
  const std::string next = SafeReturnPath(form.Text("next"), "");
  std::string body = TokenBody(token);
  auto answer =
      co_await PostForVisitor(site, request, context, "/v1/accounts/verify", std::move(body));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() == http::Status::no_content) {
    std::string target = std::string(PathOf(Page::kSignIn, locale)) + "?notice=verified";
    if (!next.empty()) target += "&next=" + http::EncodeQueryValue(next);
    co_return Site::SeeOther(std::move(target), request.version());
  }
  json::object data{{"action", PathOf(Page::kVerify, locale)}, {"token", token}, {"next", next}};
  Merge(data, FeedbackOf(*answer, {}));
  co_return site.PrivatePage("verify", std::move(data),
                             FormPageMeta(Page::kVerify, locale, "verify-form"), visitor, request,
                             422);
}

// Forgotten password.
asio::awaitable<Result<http::Response>> ShowForgot(Site& site, Visitor& visitor,
                                                   http::Request& request,
                                                   http::RequestContext& context, Locale locale) {
  json::object data{{"action", PathOf(Page::kForgotPassword, locale)},
                    {"sent", QueryValue(context, "sent") == "1"}};
  co_return site.PrivatePage("forgot_password", std::move(data),
                             FormPageMeta(Page::kForgotPassword, locale, "forgot-form"), visitor,
                             request);
}

asio::awaitable<Result<http::Response>> Forgot(Site& site, Visitor& visitor, const FormPost& form,
                                               http::Request& request,
                                               http::RequestContext& context, Locale locale) {
  JsonWriter body(256);
  body.BeginObject();
  body.Member("email", form.Text("email"));
  body.EndObject();
  auto answer =
      co_await PostForVisitor(site, request, context, "/v1/password-reset", std::move(body).Take());
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() == http::Status::accepted) {
    co_return Site::SeeOther(std::string(PathOf(Page::kForgotPassword, locale)) + "?sent=1",
                             request.version());
  }
  json::object data{{"action", PathOf(Page::kForgotPassword, locale)},
                    {"email", form.Text("email")}};
  Merge(data, FeedbackOf(*answer, {}));
  co_return site.PrivatePage("forgot_password", std::move(data),
                             FormPageMeta(Page::kForgotPassword, locale, "forgot-form"), visitor,
                             request, answer->result_int() == 429 ? 429 : 422);
}

// Reset.
asio::awaitable<Result<http::Response>> ShowReset(Site& site, Visitor& visitor,
                                                  http::Request& request,
                                                  http::RequestContext& context, Locale locale) {
  json::object policy = co_await PasswordPolicyOf(site, context.request_id);
  json::object data{{"action", PathOf(Page::kResetPassword, locale)},
                    {"token", QueryValue(context, "token")},
                    {"policy", std::move(policy)}};
  co_return site.PrivatePage("reset_password", std::move(data),
                             FormPageMeta(Page::kResetPassword, locale, "reset-form"), visitor,
                             request);
}

asio::awaitable<Result<http::Response>> Reset(Site& site, Visitor& visitor, const FormPost& form,
                                              http::Request& request, http::RequestContext& context,
                                              Locale locale) {
  const std::string token = form.Text("token");
  std::string body = TokenBody(token, {{"password", form.Text("password")}});
  auto answer = co_await PostForVisitor(site, request, context, "/v1/password-reset/confirm",
                                        std::move(body));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() == http::Status::no_content) {
    co_return Site::SeeOther(std::string(PathOf(Page::kSignIn, locale)) + "?notice=password",
                             request.version());
  }
  json::object policy = co_await PasswordPolicyOf(site, context.request_id);
  json::object data{{"action", PathOf(Page::kResetPassword, locale)},
                    {"token", token},
                    {"policy", std::move(policy)}};
  Merge(data, FeedbackOf(*answer, kPasswordFields));
  co_return site.PrivatePage("reset_password", std::move(data),
                             FormPageMeta(Page::kResetPassword, locale, "reset-form"), visitor,
                             request, 422);
}

// Invitation.
asio::awaitable<Result<http::Response>> ShowInvitation(Site& site, Visitor& visitor,
                                                       http::Request& request,
                                                       http::RequestContext& context,
                                                       Locale locale) {
  json::object policy = co_await PasswordPolicyOf(site, context.request_id);
  json::object data{{"action", PathOf(Page::kAcceptInvitation, locale)},
                    {"token", QueryValue(context, "token")},
                    {"policy", std::move(policy)}};
  co_return site.PrivatePage("accept_invitation", std::move(data),
                             FormPageMeta(Page::kAcceptInvitation, locale, "invitation-form"),
                             visitor, request);
}

asio::awaitable<Result<http::Response>> AcceptInvitation(Site& site, Visitor& visitor,
                                                         const FormPost& form,
                                                         http::Request& request,
                                                         http::RequestContext& context,
                                                         Locale locale) {
  const std::string token = form.Text("token");
  std::string body =
      TokenBody(token, {{"name", form.Text("name")}, {"password", form.Text("password")}});
  auto answer =
      co_await PostForVisitor(site, request, context, "/v1/invitations/accept", std::move(body));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() == http::Status::created) {
    // Joined: on to sign-in with the new password.
    co_return Site::SeeOther(std::string(PathOf(Page::kSignIn, locale)) + "?notice=joined",
                             request.version());
  }
  json::object policy = co_await PasswordPolicyOf(site, context.request_id);
  json::object data{{"action", PathOf(Page::kAcceptInvitation, locale)},
                    {"token", token},
                    {"name", form.Text("name")},
                    {"policy", std::move(policy)}};
  Merge(data, FeedbackOf(*answer, kPasswordFields));
  co_return site.PrivatePage("accept_invitation", std::move(data),
                             FormPageMeta(Page::kAcceptInvitation, locale, "invitation-form"),
                             visitor, request, 422);
}

}  // namespace

void AddAccountLinkRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    // The token's in the query, which the access log leaves out.
    AddPage(router, site, locale, PathOf(Page::kVerify, locale), Audience::kAnyone, ShowVerify);
    AddForm(router, site, locale, PathOf(Page::kVerify, locale), Audience::kAnyone, Verify);
    AddPage(router, site, locale, PathOf(Page::kForgotPassword, locale), Audience::kAnyone,
            ShowForgot);
    AddForm(router, site, locale, PathOf(Page::kForgotPassword, locale), Audience::kAnyone, Forgot);
    AddPage(router, site, locale, PathOf(Page::kResetPassword, locale), Audience::kAnyone,
            ShowReset);
    AddForm(router, site, locale, PathOf(Page::kResetPassword, locale), Audience::kAnyone, Reset);
    AddPage(router, site, locale, PathOf(Page::kAcceptInvitation, locale), Audience::kAnyone,
            ShowInvitation);
    AddForm(router, site, locale, PathOf(Page::kAcceptInvitation, locale), Audience::kAnyone,
            AcceptInvitation);
  }
}

}  // namespace codezero::web
