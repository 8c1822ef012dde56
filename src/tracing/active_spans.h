// Which server span a request id belongs to, on this thread, while its request is handled: so
// code that only has the request id (the web frontend's API client, which is given it for
// X-Request-Id) can make its spans children of the right server span without the span being
// passed through every call. A connection's requests run on one event loop, so a thread-local
// table is enough; two requests on one loop with the same id at once (a client sending the
// same X-Request-Id twice) may see each other's span as parent, which only misplaces a span.
#pragma once

#include <string>
#include <string_view>

namespace codezero::tracing {

class ActiveSpanScope {
 public:
  ActiveSpanScope(std::string request_id, std::string traceparent);
  ~ActiveSpanScope();
  ActiveSpanScope(const ActiveSpanScope&) = delete;
  ActiveSpanScope& operator=(const ActiveSpanScope&) = delete;

 private:
  std::string request_id_;
  std::string traceparent_;
};

// The traceparent of the server span handling `request_id` on this thread; empty when none.
[[nodiscard]] std::string ActiveTraceparent(std::string_view request_id);

}  // namespace codezero::tracing
