// The types every handler sees: a parsed request, the response it returns, and the context
// of one request (its id, path parameters, client address, start time).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/error.h"
#include "tracing/tracer.h"

namespace codezero::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Status = boost::beast::http::status;
using Verb = boost::beast::http::verb;
using Field = boost::beast::http::field;

struct PathParam {
  std::string name;
  std::string value;  // percent-decoded
};

struct RequestContext {
  std::string request_id;
  std::string_view path;   // the target without its query; points into the request
  std::string_view query;  // after '?', empty when absent
  std::vector<PathParam> params;
  boost::asio::ip::address remote;
  std::string_view remote_text;  // `remote` as text, once per connection (empty: not known)
  std::string_view client;       // `remote` truncated for logs (access_log.h), once per connection
  std::chrono::steady_clock::time_point started;
  // This request's server span (tracing/tracer.h), and its parent from the caller's traceparent
  // (none: a new trace).
  tracing::SpanContext span;
  std::optional<tracing::SpanContext> parent_span;

  // What work done for this request carries (a job row, a call to the API), so that it becomes
  // a child of this request's span.
  [[nodiscard]] std::string traceparent() const { return span.Traceparent(); }
  // The path as the access log shows it, when the handler hides part of it (a token in the
  // path: "/de/angebot/{token}"); empty: `path` itself.
  std::string log_path;
  // The signed-in caller's user id, once a bearer guard has checked the token (auth/bearer.h):
  // a pseudonymous id for error reports, never an e-mail address. Empty: anonymous.
  std::string user_id;

  // The value of path parameter `name`; empty when the route has none by that name.
  [[nodiscard]] std::string_view Param(std::string_view name) const {
    for (const PathParam& param : params) {
      if (param.name == name) return param.value;
    }
    return {};
  }
};

// A route's handler. A failure is returned as an Error; the pipeline turns it into
// problem+json with the status that HttpStatusOf gives.
using Handler = std::function<boost::asio::awaitable<Result<Response>>(Request&, RequestContext&)>;

}  // namespace codezero::http
