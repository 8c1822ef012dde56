// What happens to every parsed request between the socket and the handler, in order:
// route (404, or 405 with Allow), call the handler, turn a returned Error or an escaped
// exception into problem+json; then, when the response is written out, the headers every
// response carries: the security headers, `Cache-Control: no-store` unless the handler chose,
// the request id and the Date. Those are copied as one precomputed block rather than added to
// each response's field list (an allocation and a lookup per field, measured in bench/http).
// The session (server.cpp) reads and writes; the pipeline is plain logic a test can call.
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>

#include "http/message.h"
#include "http/request_metrics.h"
#include "http/router.h"
#include "http/security_headers.h"

namespace codezero::http {

// Turns an Error (returned by a handler, or the router's 404 and 405, or an escaped
// exception as kInternal) into the response the client sees. The API answers problem+json; the
// web frontend renders a page in the visitor's language.
using ErrorRenderer =
    std::function<Response(const Error& error, const Request& request, RequestContext& context)>;

class Pipeline {
 public:
  // Without an `error_renderer`, errors are problem+json (http/problem.h). With
  // `record_request_metrics`, every request counts in the process's RED metrics
  // (request_metrics.h); the metrics endpoint itself does not.
  Pipeline(std::shared_ptr<const Router> router, SecurityHeaders security_headers,
           ErrorRenderer error_renderer = nullptr, bool record_request_metrics = true);

  // The route for a request whose header has been read (its body not yet): the server reads
  // at most the route's body limit. `path` is the target without its query.
  [[nodiscard]] Router::Match Route(Verb method, std::string_view path,
                                    std::vector<PathParam>& params) const;

  // REQUIRES: context.request_id, path, query are set (see PrepareContext); `match` is
  // Route's answer for this request.
  [[nodiscard]] boost::asio::awaitable<Response> Handle(Request& request, RequestContext& context,
                                                        const Router::Match& match) const;

  // The response as it goes on the wire, with the headers every response carries.
  void Serialize(const Response& response, const RequestContext& context, std::string& out) const;

  // Null when this pipeline records no request metrics.
  [[nodiscard]] const RequestMetrics* request_metrics() const { return request_metrics_.get(); }

 private:
  std::shared_ptr<const Router> router_;
  ErrorRenderer error_renderer_;
  std::string header_block_;  // the security headers, "Name: value\r\n" each
  std::unique_ptr<const RequestMetrics> request_metrics_;
};

// Splits the request target into path and query and picks the request id.
void PrepareContext(const Request& request, RequestContext& context);

// The body limit for a request `match`ed to a route, given the server's own limit: the
// route's when it has a smaller one.
[[nodiscard]] std::size_t BodyLimitOf(const Router::Match& match, std::size_t server_limit);

// The current time as an IMF-fixdate (RFC 9110 §5.6.7), cached per thread for a second.
[[nodiscard]] std::string_view HttpDateNow();

}  // namespace codezero::http
