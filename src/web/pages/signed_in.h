// What the pages of a signed-in visitor share: reading the API as them, and the answer when
// that fails (the sign-in page when their session has ended, an error page otherwise).
#pragma once

#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "web/site.h"

namespace codezero::web {

// GET `path` on the visitor's behalf: the JSON body of a 2xx answer, or an Error
// (kUnauthenticated: the session has ended; otherwise the API's status as an ErrorCode).
[[nodiscard]] boost::asio::awaitable<Result<boost::json::value>> GetJson(Site& site,
                                                                         Visitor& visitor,
                                                                         std::string path,
                                                                         std::string request_id);

// A call with a JSON body on the visitor's behalf; the answer whatever its status.
[[nodiscard]] boost::asio::awaitable<Result<http::Response>> SendJson(
    Site& site, Visitor& visitor, http::Verb method, std::string path, std::string body,
    std::string request_id, std::string idempotency_key = {});

// The visitor's role as the API knows it now (GET /v1/me), for pages that show or hide what only
// the owner may do: a handover made in another session shows at once. A changed role is a change
// of privileges, so the session gets a new id (Visitor::new_session_cookie).
[[nodiscard]] boost::asio::awaitable<Result<void>> RefreshRole(Site& site, Visitor& visitor,
                                                               std::string request_id);

// Changes the visitor's session as stored now (re-read first: another request may have
// refreshed its tokens meanwhile) and saves it; `rotate`: under a new id (a change of
// privileges), which the response must set (Visitor::new_session_cookie).
[[nodiscard]] boost::asio::awaitable<Result<void>> ChangeSession(
    Site& site, Visitor& visitor, std::function<void(Session&)> change, bool rotate = false);

// The response for a failed call: to the sign-in page (and back, page_route.h's ReturnPathOf)
// when the session ended, otherwise the error (its page).
[[nodiscard]] Result<http::Response> WhenFailed(const Site& site, const Error& error,
                                                const http::Request& request,
                                                const http::RequestContext& context, Locale locale);

// What a new password must be (GET /v1/password-policy: min_length, max_length), for forms to
// say before anyone types; empty when the API cannot be asked (the form then says nothing about
// lengths, and the API still checks).
[[nodiscard]] boost::asio::awaitable<boost::json::object> PasswordPolicyOf(Site& site,
                                                                           std::string request_id);

// A date member of an API answer (RFC 3339) as the page shows it ("29.11.2026"); "" when absent.
[[nodiscard]] std::string DateAt(const boost::json::value& value, std::string_view key,
                                 Locale locale);

// The same as a date and time in Germany ("30.11.2026, 08:15 Uhr (MEZ)"); "" when absent.
[[nodiscard]] std::string DateTimeAt(const boost::json::value& value, std::string_view key,
                                     Locale locale);

// The meta of an account page: `page`'s own path, or `path` for one with an id.
[[nodiscard]] PageMeta AccountMeta(Page page, Locale locale, std::string path = {});

// The JSON body of an answer, or null when it is not JSON.
[[nodiscard]] boost::json::value JsonBodyOf(const http::Response& answer);

// A string member of a JSON object, or "" when absent or not a string.
[[nodiscard]] std::string StringAt(const boost::json::value& value, std::string_view key);
// A whole-number member of a JSON object, or 0 when absent or not one.
[[nodiscard]] std::int64_t IntegerAt(const boost::json::value& value, std::string_view key);
// A member of a JSON object, or null when absent (or `value` is no object). The answer refers
// into `value`, which must outlive it (no temporary, hence the deleted overload: a
// json::object would otherwise be copied into one).
[[nodiscard]] const boost::json::value& MemberAt(const boost::json::value& value,
                                                 std::string_view key);
[[nodiscard]] const boost::json::value& MemberAt(const boost::json::object& object,
                                                 std::string_view key);
const boost::json::value& MemberAt(boost::json::value&& value, std::string_view key) = delete;

}  // namespace codezero::web
