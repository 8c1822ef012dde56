// The company's data and its people. Everyone sees them; only the owner changes them: the
// company's name, address and VAT ID, closing the company's account, inviting colleagues,
// withdrawing pending invitations, removing members and handing the ownership over. The
// irreversible ones ask first, on a page of their own (a link to "…?remove=<id>" shows the
// question, its button posts); an invitation is withdrawn at once (it can be sent again).
#include <functional>

#include <boost/json/array.hpp>

#include "common/json_writer.h"
#include "common/uuid.h"
#include "http/query.h"
#include "web/form_feedback.h"
#include "web/form_post.h"
#include "web/formatting.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"
#include "web/quote_view.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr FieldMapping kCompanyFields[] = {{"name", "company_name"},
                                           {"vat_id", "vat_id"},
                                           {"address.line1", "line1"},
                                           {"address.postal_code", "postal_code"},
                                           {"address.city", "city"}};
constexpr FieldMapping kInviteFields[] = {{"email", "email"}};

PageMeta CompanyPageMeta(Page page, Locale locale, std::vector<std::string> forms) {
  PageMeta meta = AccountMeta(page, locale);
  meta.forms = std::move(forms);
  return meta;
}

// Company.
// The members page asking to confirm `query` (a removal or a handover) for member `id`.
std::string ConfirmUrl(std::string_view members_url, std::string_view query, std::string_view id) {
  std::string url(members_url);
  url.append(query).append(id).append("#confirm");
  return url;
}

json::object CompanyValues(const json::value& company) {
  const json::value& lines = MemberAt(company, "address");
  return json::object{
      {"company_name", StringAt(company, "name")}, {"line1", StringAt(lines, "line1")},
      {"line2", StringAt(lines, "line2")},         {"postal_code", StringAt(lines, "postal_code")},
      {"city", StringAt(lines, "city")},           {"vat_id", StringAt(company, "vat_id")}};
}

asio::awaitable<Result<http::Response>> CompanyPage(Site& site, Visitor& visitor,
                                                    const http::Request& request,
                                                    http::RequestContext& context, Locale locale,
                                                    json::object values, json::object feedback,
                                                    unsigned status) {
  auto role = co_await RefreshRole(site, visitor, context.request_id);
  if (!role) co_return WhenFailed(site, role.error(), request, context, locale);
  auto company = co_await GetJson(site, visitor, "/v1/company", context.request_id);
  if (!company) co_return WhenFailed(site, company.error(), request, context, locale);
  const bool owner = visitor.session->owner();
  json::object data{
      {"section_company", true},
      {"owner", owner},
      {"action", PathOf(Page::kCompany, locale)},
      {"close_action", std::string(PathOf(Page::kCompany, locale)) + "/close"},
      {"confirm_close", http::QueryParameter(context.query, "close").value_or("") == "1"},
      {"saved", http::QueryParameter(context.query, "saved").value_or("") == "1"},
      {"country", CountryName(StringAt(*company, "country"), locale)},
      {"values", values.empty() ? CompanyValues(*company) : std::move(values)},
      {"field", json::object()}};
  std::vector<std::string> forms;
  if (owner) forms.emplace_back("company-form");
  if (owner && MemberAt(data, "confirm_close") == true) forms.emplace_back("close-form");
  Merge(data, feedback);
  co_return site.PrivatePage("company", std::move(data),
                             CompanyPageMeta(Page::kCompany, locale, std::move(forms)), visitor,
                             request, status);
}

asio::awaitable<Result<http::Response>> ShowCompany(Site& site, Visitor& visitor,
                                                    http::Request& request,
                                                    http::RequestContext& context, Locale locale) {
  json::object none, no_feedback;
  co_return co_await CompanyPage(site, visitor, request, context, locale, std::move(none),
                                 std::move(no_feedback), 200);
}

asio::awaitable<Result<http::Response>> SaveCompany(Site& site, Visitor& visitor,
                                                    const FormPost& form, http::Request& request,
                                                    http::RequestContext& context, Locale locale) {
  JsonWriter body(512);
  body.BeginObject();
  body.Member("name", form.Text("company_name"));
  body.Member("vat_id", form.Text("vat_id"));
  WriteAddress(form, body);
  body.EndObject();
  auto answer = co_await SendJson(site, visitor, http::Verb::patch, "/v1/company",
                                  std::move(body).Take(), context.request_id);
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  if (answer->result_int() < 300) {
    co_return Site::SeeOther(std::string(PathOf(Page::kCompany, locale)) + "?saved=1",
                             request.version());
  }
  json::object values;
  for (const char* name : {"company_name", "line1", "line2", "postal_code", "city", "vat_id"}) {
    values[name] = form.Text(name);
  }
  co_return co_await CompanyPage(site, visitor, request, context, locale, std::move(values),
                                 FeedbackOf(*answer, kCompanyFields), 422);
}

asio::awaitable<Result<http::Response>> CloseCompany(Site& site, Visitor& visitor,
                                                     const FormPost& form, http::Request& request,
                                                     http::RequestContext& context, Locale locale) {
  if (!form.Checked("confirm")) {
    co_return Site::SeeOther(std::string(PathOf(Page::kCompany, locale)) + "?close=1",
                             request.version());
  }
  auto answer =
      co_await SendJson(site, visitor, http::Verb::delete_, "/v1/company", "", context.request_id);
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result_int() >= 300) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  // Every member is signed out, the owner too.
  (void)co_await site.sessions().Delete(visitor.session->id);
  http::Response response = Site::SeeOther(
      std::string(PathOf(Page::kSignIn, locale)) + "?notice=signed_out", request.version());
  response.set(http::Field::set_cookie, site.SessionCookie(""));
  co_return response;
}

// Members.
asio::awaitable<Result<http::Response>> MembersPage(Site& site, Visitor& visitor,
                                                    const http::Request& request,
                                                    http::RequestContext& context, Locale locale,
                                                    json::object values, json::object feedback,
                                                    unsigned status) {
  auto role = co_await RefreshRole(site, visitor, context.request_id);
  if (!role) co_return WhenFailed(site, role.error(), request, context, locale);
  auto members = co_await GetJson(site, visitor, "/v1/company/members", context.request_id);
  if (!members) co_return WhenFailed(site, members.error(), request, context, locale);
  const std::string members_url(PathOf(Page::kMembers, locale));
  const std::string remove = http::QueryParameter(context.query, "remove").value_or("");
  const std::string owner_of = http::QueryParameter(context.query, "owner").value_or("");
  json::array rows;
  json::object confirm;
  const json::value& list = MemberAt(*members, "data");
  static const json::array kNobody;
  for (const json::value& member : list.is_array() ? list.as_array() : kNobody) {
    const std::string id = StringAt(member, "id");
    const std::string name = StringAt(member, "name");
    rows.push_back(json::object{{"name", name},
                                {"email", StringAt(member, "email")},
                                {"is_owner", StringAt(member, "role") == "owner"},
                                {"you", id == visitor.session->user_id},
                                {"remove_url", ConfirmUrl(members_url, "?remove=", id)},
                                {"handover_url", ConfirmUrl(members_url, "?owner=", id)}});
    if (id == visitor.session->user_id) continue;
    if (id == remove || id == owner_of) {
      confirm = json::object{{"name", name},
                             {"user_id", id},
                             {"remove", id == remove},
                             {"handover", id == owner_of},
                             {"action", members_url + (id == remove ? "/remove" : "/owner")},
                             {"members_url", members_url}};
    }
  }
  const bool owner = visitor.session->owner();
  // The owner also sees who was invited and has not joined yet.
  json::array invitations;
  if (owner) {
    auto pending = co_await GetJson(site, visitor, "/v1/company/invitations", context.request_id);
    if (!pending) co_return WhenFailed(site, pending.error(), request, context, locale);
    const json::value& open = MemberAt(*pending, "data");
    for (const json::value& invitation : open.is_array() ? open.as_array() : kNobody) {
      const std::string expires = StringAt(invitation, "expires_at");
      const auto seconds = ParseRfc3339(expires);
      invitations.push_back(json::object{{"id", StringAt(invitation, "id")},
                                         {"email", StringAt(invitation, "email")},
                                         {"invited_by", StringAt(invitation, "invited_by")},
                                         {"expires", seconds ? Date(*seconds, locale) : expires},
                                         {"expires_iso", expires}});
    }
  }
  const bool has_invitations = !invitations.empty();
  json::object data{
      {"section_members", true},
      {"owner", owner},
      {"members", std::move(rows)},
      {"invite_action", members_url + "/invite"},
      {"invitations", std::move(invitations)},
      {"has_invitations", has_invitations},
      {"withdraw_action", members_url + "/withdraw"},
      {"withdrawn", http::QueryParameter(context.query, "withdrawn").value_or("") == "1"},
      {"invited", http::QueryParameter(context.query, "invited").value_or("") == "1"},
      {"removed", http::QueryParameter(context.query, "removed").value_or("") == "1"},
      {"values", std::move(values)},
      {"field", json::object()}};
  std::vector<std::string> forms;
  if (owner) forms.emplace_back("invite-form");
  if (has_invitations) forms.emplace_back("withdraw-form");
  if (owner && !confirm.empty()) {
    data["confirm"] = std::move(confirm);
    forms.emplace_back("confirm-form");
  }
  Merge(data, feedback);
  co_return site.PrivatePage("members", std::move(data),
                             CompanyPageMeta(Page::kMembers, locale, std::move(forms)), visitor,
                             request, status);
}

asio::awaitable<Result<http::Response>> ShowMembers(Site& site, Visitor& visitor,
                                                    http::Request& request,
                                                    http::RequestContext& context, Locale locale) {
  json::object none, no_feedback;
  co_return co_await MembersPage(site, visitor, request, context, locale, std::move(none),
                                 std::move(no_feedback), 200);
}

asio::awaitable<Result<http::Response>> Invite(Site& site, Visitor& visitor, const FormPost& form,
                                               http::Request& request,
                                               http::RequestContext& context, Locale locale) {
  JsonWriter body(256);
  body.BeginObject();
  body.Member("email", form.Text("email"));
  body.Member("locale", domain::ToString(locale));
  body.EndObject();
  auto answer = co_await SendJson(site, visitor, http::Verb::post, "/v1/company/invitations",
                                  std::move(body).Take(), context.request_id);
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  if (answer->result_int() < 300) {
    co_return Site::SeeOther(std::string(PathOf(Page::kMembers, locale)) + "?invited=1",
                             request.version());
  }
  json::object values{{"email", form.Text("email")}};
  co_return co_await MembersPage(site, visitor, request, context, locale, std::move(values),
                                 FeedbackOf(*answer, kInviteFields), 422);
}

// Each pending invitation's button posts its id.
asio::awaitable<Result<http::Response>> Withdraw(Site& site, Visitor& visitor, const FormPost& form,
                                                 http::Request& request,
                                                 http::RequestContext& context, Locale locale) {
  const std::string invitation_id = form.Text("invitation_id");
  if (!IsUuid(invitation_id)) co_return Fail(ErrorCode::kBadRequest, "no invitation");
  auto answer =
      co_await SendJson(site, visitor, http::Verb::delete_,
                        "/v1/company/invitations/" + invitation_id, "", context.request_id);
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  if (answer->result_int() >= 300) {  // accepted or withdrawn meanwhile: the page says which
    json::object none;
    co_return co_await MembersPage(site, visitor, request, context, locale, std::move(none),
                                   FeedbackOf(*answer, {}), 422);
  }
  co_return Site::SeeOther(std::string(PathOf(Page::kMembers, locale)) + "?withdrawn=1",
                           request.version());
}

// Removal and handover: the confirmation's button posts the member's id.
asio::awaitable<Result<http::Response>> ChangeMember(bool handover, Site& site, Visitor& visitor,
                                                     const FormPost& form, http::Request& request,
                                                     http::RequestContext& context, Locale locale) {
  const std::string user_id = form.Text("user_id");
  if (!IsUuid(user_id)) co_return Fail(ErrorCode::kBadRequest, "no member");
  Result<http::Response> answer;
  if (handover) {
    JsonWriter body(96);
    body.BeginObject();
    body.Member("user_id", user_id);
    body.EndObject();
    answer = co_await SendJson(site, visitor, http::Verb::post, "/v1/company/owner",
                               std::move(body).Take(), context.request_id);
  } else {
    answer = co_await SendJson(site, visitor, http::Verb::delete_, "/v1/company/members/" + user_id,
                               "", context.request_id);
  }
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  if (answer->result_int() >= 300) {
    json::object none;
    json::object feedback = FeedbackOf(*answer, {});
    co_return co_await MembersPage(site, visitor, request, context, locale, std::move(none),
                                   std::move(feedback), 422);
  }
  if (!handover) {
    co_return Site::SeeOther(std::string(PathOf(Page::kMembers, locale)) + "?removed=1",
                             request.version());
  }
  // The visitor is a member now: a privilege change, so a new session id.
  auto changed = co_await ChangeSession(
      site, visitor, [](Session& session) { session.role = "member"; }, true);
  if (!changed) co_return WhenFailed(site, changed.error(), request, context, locale);
  http::Response response =
      Site::SeeOther(std::string(PathOf(Page::kMembers, locale)), request.version());
  response.set(http::Field::set_cookie, visitor.new_session_cookie);
  co_return response;
}

}  // namespace

void AddCompanyRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    const std::string company(PathOf(Page::kCompany, locale));
    const std::string members(PathOf(Page::kMembers, locale));
    AddPage(router, site, locale, company, Audience::kSignedIn, ShowCompany);
    AddForm(router, site, locale, company, Audience::kSignedIn, SaveCompany);
    AddForm(router, site, locale, company + "/close", Audience::kSignedIn, CloseCompany);
    AddPage(router, site, locale, members, Audience::kSignedIn, ShowMembers);
    AddForm(router, site, locale, members + "/invite", Audience::kSignedIn, Invite);
    AddForm(router, site, locale, members + "/withdraw", Audience::kSignedIn, Withdraw);
    AddForm(router, site, locale, members + "/remove", Audience::kSignedIn,
            std::bind_front(ChangeMember, false));
    AddForm(router, site, locale, members + "/owner", Audience::kSignedIn,
            std::bind_front(ChangeMember, true));
  }
}

}  // namespace codezero::web
