// The signed-in person's own data: name and language (the site and the e-mails follow the
// language), the password (the current one asked first; every other sign-in ends), the export of
// everything held about them (GDPR Art. 15 and 20) as a download, and deleting the account
// (Art. 17), with what it means said first. An owner hands over or closes the company first.
#include <boost/json/object.hpp>

#include "common/json_writer.h"
#include "http/query.h"
#include "web/form_feedback.h"
#include "web/form_post.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr FieldMapping kProfileFields[] = {
    {"name", "name"}, {"password", "password"}, {"current_password", "current_password"}};

asio::awaitable<Result<http::Response>> ProfilePage(Site& site, Visitor& visitor,
                                                    const http::Request& request,
                                                    http::RequestContext& context, Locale locale,
                                                    json::object feedback, unsigned status) {
  const Session& session = *visitor.session;
  json::object policy = co_await PasswordPolicyOf(site, context.request_id);
  json::object data{
      {"section_profile", true},
      {"action", PathOf(Page::kProfile, locale)},
      {"password_action", std::string(PathOf(Page::kProfile, locale)) + "/password"},
      {"export_url", PathOf(Page::kExport, locale)},
      {"delete_url", PathOf(Page::kDeleteAccount, locale)},
      {"email", session.email},
      {"values", json::object{{"name", session.name},
                              {"de", session.locale == Locale::kDe},
                              {"en", session.locale == Locale::kEn}}},
      {"policy", std::move(policy)},
      {"saved", http::QueryParameter(context.query, "saved").value_or("") == "1"},
      {"password_changed", http::QueryParameter(context.query, "password").value_or("") == "1"},
      {"field", json::object()}};
  Merge(data, feedback);
  PageMeta meta;
  meta.page = Page::kProfile;
  meta.path = std::string(PathOf(Page::kProfile, locale));
  meta.account = true;
  meta.forms = {"profile-form", "password-form"};
  co_return site.PrivatePage("profile", std::move(data), meta, visitor, request, status);
}

asio::awaitable<Result<http::Response>> ShowProfile(Site& site, Visitor& visitor,
                                                    http::Request& request,
                                                    http::RequestContext& context, Locale locale) {
  json::object no_feedback;
  co_return co_await ProfilePage(site, visitor, request, context, locale, std::move(no_feedback),
                                 200);
}

// PATCH /v1/me with `body`; back to the profile (in `then_locale`) with `notice`, or the page
// with the API's messages.
asio::awaitable<Result<http::Response>> PatchMe(Site& site, Visitor& visitor,
                                                const http::Request& request,
                                                http::RequestContext& context, Locale locale,
                                                std::string body, std::string notice) {
  auto answer = co_await SendJson(site, visitor, http::Verb::patch, "/v1/me", std::move(body),
                                  context.request_id);
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  if (answer->result_int() >= 300) {
    co_return co_await ProfilePage(site, visitor, request, context, locale,
                                   FeedbackOf(*answer, kProfileFields), 422);
  }
  // The session shows the person as they are now.
  const json::value me = JsonBodyOf(*answer);
  auto changed = co_await ChangeSession(site, visitor, [&me](Session& session) {
    if (const std::string name = StringAt(me, "name"); !name.empty()) session.name = name;
    session.locale = domain::ParseLocale(StringAt(me, "locale")).value_or(session.locale);
  });
  if (!changed) co_return WhenFailed(site, changed.error(), request, context, locale);
  co_return Site::SeeOther(
      std::string(PathOf(Page::kProfile, visitor.session->locale)) + "?" + notice,
      request.version());
}

asio::awaitable<Result<http::Response>> SaveProfile(Site& site, Visitor& visitor,
                                                    const FormPost& form, http::Request& request,
                                                    http::RequestContext& context, Locale locale) {
  JsonWriter body(256);
  body.BeginObject();
  body.Member("name", form.Text("name"));
  body.Member("locale", form.Text("locale"));
  body.EndObject();
  co_return co_await PatchMe(site, visitor, request, context, locale, std::move(body).Take(),
                             "saved=1");
}

asio::awaitable<Result<http::Response>> ChangePassword(Site& site, Visitor& visitor,
                                                       const FormPost& form, http::Request& request,
                                                       http::RequestContext& context,
                                                       Locale locale) {
  JsonWriter body(256);
  body.BeginObject();
  body.Member("password", form.Text("password"));
  body.Member("current_password", form.Text("current_password"));
  body.EndObject();
  co_return co_await PatchMe(site, visitor, request, context, locale, std::move(body).Take(),
                             "password=1");
}

asio::awaitable<Result<http::Response>> Export(Site& site, Visitor& visitor, http::Request& request,
                                               http::RequestContext& context, Locale locale) {
  ApiCall call;
  call.path = "/v1/me/export";
  call.request_id = context.request_id;
  auto answer = co_await site.CallApi(visitor, std::move(call));
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result() != http::Status::ok) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  http::Response response(http::Status::ok, request.version());
  response.set(http::Field::content_type, "application/json; charset=utf-8");
  response.set(http::Field::content_disposition,
               "attachment; filename=\"codezero-personal-data.json\"");
  response.set(http::Field::cache_control, "private, no-store");
  response.set(kContentSecurityPolicy, kNothingAllowedPolicy);
  response.body() = std::move(answer->body());
  co_return response;
}

asio::awaitable<Result<http::Response>> DeletePage(Site& site, Visitor& visitor,
                                                   const http::Request& request,
                                                   const http::RequestContext& context,
                                                   Locale locale, json::object feedback,
                                                   unsigned status) {
  auto role = co_await RefreshRole(site, visitor, context.request_id);
  if (!role) co_return WhenFailed(site, role.error(), request, context, locale);
  const bool owner = visitor.session->owner();
  json::object data{{"section_profile", true},
                    {"owner", owner},
                    {"action", PathOf(Page::kDeleteAccount, locale)},
                    {"members_url", PathOf(Page::kMembers, locale)},
                    {"company_url", PathOf(Page::kCompany, locale)},
                    {"profile_url", PathOf(Page::kProfile, locale)}};
  Merge(data, feedback);
  PageMeta meta;
  meta.page = Page::kDeleteAccount;
  meta.path = std::string(PathOf(Page::kDeleteAccount, locale));
  meta.account = true;
  if (!owner) meta.forms = {"delete-form"};
  co_return site.PrivatePage("delete_account", std::move(data), meta, visitor, request, status);
}

asio::awaitable<Result<http::Response>> ShowDelete(Site& site, Visitor& visitor,
                                                   http::Request& request,
                                                   http::RequestContext& context, Locale locale) {
  json::object no_feedback;
  co_return co_await DeletePage(site, visitor, request, context, locale, std::move(no_feedback),
                                200);
}

asio::awaitable<Result<http::Response>> DeleteAccount(Site& site, Visitor& visitor,
                                                      const FormPost& form, http::Request& request,
                                                      http::RequestContext& context,
                                                      Locale locale) {
  if (!form.Checked("confirm")) {
    co_return co_await DeletePage(site, visitor, request, context, locale, FeedbackFlag("refused"),
                                  422);
  }
  auto answer =
      co_await SendJson(site, visitor, http::Verb::delete_, "/v1/me", "", context.request_id);
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result() == http::Status::conflict) {
    co_return co_await DeletePage(site, visitor, request, context, locale, FeedbackFlag("conflict"),
                                  409);
  }
  if (answer->result_int() >= 300) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  (void)co_await site.sessions().Delete(visitor.session->id);
  visitor.session.reset();
  PageMeta meta;
  meta.page = Page::kHome;
  meta.path = std::string(PathOf(Page::kDeleteAccount, locale));
  meta.error = true;  // nothing to link to or index
  http::Response response = site.PrivatePage("signed_out", json::object(), meta, visitor, request);
  response.set(http::Field::set_cookie, site.SessionCookie(""));
  co_return response;
}

}  // namespace

void AddProfileRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    const std::string profile(PathOf(Page::kProfile, locale));
    AddPage(router, site, locale, profile, Audience::kSignedIn, ShowProfile);
    AddForm(router, site, locale, profile, Audience::kSignedIn, SaveProfile);
    AddForm(router, site, locale, profile + "/password", Audience::kSignedIn, ChangePassword);
    AddPage(router, site, locale, PathOf(Page::kExport, locale), Audience::kSignedIn, Export);
    AddPage(router, site, locale, PathOf(Page::kDeleteAccount, locale), Audience::kSignedIn,
            ShowDelete);
    AddForm(router, site, locale, PathOf(Page::kDeleteAccount, locale), Audience::kSignedIn,
            DeleteAccount);
  }
}

}  // namespace codezero::web
