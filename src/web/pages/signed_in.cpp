#include "web/pages/signed_in.h"

#include <cstdint>

#include <boost/json/parse.hpp>

#include "domain/money_format.h"
#include "web/formatting.h"
#include "web/pages/page_route.h"

namespace codezero::web {

namespace asio = boost::asio;
namespace json = boost::json;

std::string DateAt(const json::value& value, std::string_view key, Locale locale) {
  const auto at = ParseRfc3339(StringAt(value, key));
  return at ? Date(*at, locale) : std::string();
}

std::string DateTimeAt(const json::value& value, std::string_view key, Locale locale) {
  const auto at = ParseRfc3339(StringAt(value, key));
  return at ? domain::FormatDateTime(*at, locale) : std::string();
}

PageMeta AccountMeta(Page page, Locale locale, std::string path) {
  PageMeta meta;
  meta.page = page;
  meta.path = path.empty() ? std::string(PathOf(page, locale)) : std::move(path);
  meta.account = true;
  return meta;
}

json::value JsonBodyOf(const http::Response& answer) {
  boost::system::error_code ec;
  json::value value = json::parse(answer.body(), ec);
  if (ec) return nullptr;
  return value;
}

std::string StringAt(const json::value& value, std::string_view key) {
  if (!value.is_object()) return "";
  const json::value* member = value.as_object().if_contains(key);
  return member != nullptr && member->is_string() ? std::string(member->as_string()) : "";
}

std::int64_t IntegerAt(const json::value& value, std::string_view key) {
  const json::value& member = MemberAt(value, key);
  if (member.is_int64()) return member.as_int64();
  if (member.is_uint64() && member.as_uint64() <= INT64_MAX) {
    return static_cast<std::int64_t>(member.as_uint64());
  }
  return 0;
}

const json::value& MemberAt(const json::object& object, std::string_view key) {
  static const json::value kNull;
  const json::value* member = object.if_contains(key);
  return member != nullptr ? *member : kNull;
}

const json::value& MemberAt(const json::value& value, std::string_view key) {
  static const json::value kNull;
  return value.is_object() ? MemberAt(value.as_object(), key) : kNull;
}

asio::awaitable<Result<json::value>> GetJson(Site& site, Visitor& visitor, std::string path,
                                             std::string request_id) {
  ApiCall call;
  call.path = std::move(path);
  call.request_id = std::move(request_id);
  auto answer = co_await site.CallApi(visitor, std::move(call));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result_int() < 200 || answer->result_int() > 299) {
    co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  }
  co_return JsonBodyOf(*answer);
}

asio::awaitable<Result<http::Response>> SendJson(Site& site, Visitor& visitor, http::Verb method,
                                                 std::string path, std::string body,
                                                 std::string request_id,
                                                 std::string idempotency_key) {
  ApiCall call;
  call.method = method;
  call.path = std::move(path);
  call.body = std::move(body);
  call.request_id = std::move(request_id);
  call.idempotency_key = std::move(idempotency_key);
  co_return co_await site.CallApi(visitor, std::move(call));
}

asio::awaitable<Result<void>> ChangeSession(Site& site, Visitor& visitor,
                                            std::function<void(Session&)> change, bool rotate) {
  if (!visitor.session) co_return Fail(ErrorCode::kUnauthenticated, "not signed in");
  auto current = co_await site.sessions().Find(visitor.session->id);
  if (!current) co_return tl::unexpected(current.error());
  if (!*current) {
    visitor.session.reset();
    visitor.stale_session = true;
    co_return Fail(ErrorCode::kUnauthenticated, "the session has ended", "ended before change");
  }
  Session session = std::move(**current);
  change(session);
  if (rotate) {
    auto rotated = co_await site.sessions().Rotate(std::move(session));
    if (!rotated) co_return tl::unexpected(rotated.error());
    visitor.session = std::move(*rotated);
    visitor.new_session_cookie = site.SessionCookie(visitor.session->id);
    co_return Result<void>();
  }
  auto saved = co_await site.sessions().Save(session);
  if (!saved) co_return tl::unexpected(saved.error());
  visitor.session = std::move(session);
  co_return Result<void>();
}

asio::awaitable<Result<void>> RefreshRole(Site& site, Visitor& visitor, std::string request_id) {
  auto me = co_await GetJson(site, visitor, "/v1/me", std::move(request_id));
  if (!me) co_return tl::unexpected(me.error());
  const std::string role = StringAt(*me, "role");
  if (role.empty() || role == visitor.session->role) co_return Result<void>();
  co_return co_await ChangeSession(
      site, visitor, [&role](Session& session) { session.role = role; }, true);
}

asio::awaitable<json::object> PasswordPolicyOf(Site& site, std::string request_id) {
  ApiCall call;
  call.path = "/v1/password-policy";
  call.request_id = std::move(request_id);
  auto answer = co_await site.api().Send(std::move(call));
  if (answer && answer->result() == http::Status::ok) {
    const json::value body = JsonBodyOf(*answer);
    if (body.is_object() && IntegerAt(body, "min_length") > 0 &&
        IntegerAt(body, "max_length") > 0) {
      co_return json::object{{"min_length", IntegerAt(body, "min_length")},
                             {"max_length", IntegerAt(body, "max_length")}};
    }
  }
  co_return json::object();
}

Result<http::Response> WhenFailed(const Site& site, const Error& error,
                                  const http::Request& request, const http::RequestContext& context,
                                  Locale locale) {
  if (error.code == ErrorCode::kUnauthenticated) {
    return site.SignInFirst(ReturnPathOf(request, context, site.settings().origin, locale), locale,
                            request.version(), true);
  }
  return tl::unexpected(error);
}

}  // namespace codezero::web
