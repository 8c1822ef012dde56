// What happens to every parsed request between the socket and the handler, in order:
// route (404, or 405 with Allow), call the handler, turn a returned Error or an escaped
// exception into problem+json, then add the security headers, the request id and the Date.
// The session (server.cpp) reads and writes; the pipeline is plain logic a test can call.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>

#include "http/message.h"
#include "http/router.h"
#include "http/security_headers.h"

namespace codezero::http {

class Pipeline {
 public:
  Pipeline(std::shared_ptr<const Router> router, SecurityHeaders security_headers);

  // REQUIRES: context.request_id, path, query are set (see PrepareContext).
  [[nodiscard]] boost::asio::awaitable<Response> Handle(Request& request,
                                                        RequestContext& context) const;

  // Finishes a response the pipeline did not produce (the session's own 400/413/431).
  void Decorate(const RequestContext& context, Response& response) const;

 private:
  std::shared_ptr<const Router> router_;
  SecurityHeaders security_headers_;
};

// Splits the request target into path and query and picks the request id.
void PrepareContext(const Request& request, RequestContext& context);

// The current time as an IMF-fixdate (RFC 9110 §5.6.7), cached per thread for a second.
[[nodiscard]] std::string_view HttpDateNow();

}  // namespace codezero::http
