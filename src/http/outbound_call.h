// One try of a call to another service (Stripe, VIES, the provisioning endpoint, the mail
// relay), from construction to Done(): timed for codezero_outbound_request_duration_seconds
// (outbound_metrics.h), and a client span under the request's or job's (tracing/
// traced_executor.h), named by the service and the operation, never by a path with ids.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

#include "tracing/tracer.h"

namespace codezero::http {

class OutboundCall {
 public:
  // `executor`: the calling coroutine's (`co_await this_coro::executor`); `operation`: a
  // literal ("POST", "send").
  OutboundCall(std::string_view service, std::string_view operation,
               const boost::asio::any_io_executor& executor);

  // For the called service's `traceparent` header: this call's span, so a service that traces
  // (the Stripe stand-in does) continues the trace. Empty when the call has no span.
  [[nodiscard]] std::string traceparent() const;

  // `status`: the HTTP status (an SMTP reply code for mail), 0 when no answer came.
  void Done(int status);

 private:
  std::string_view service_;
  std::chrono::steady_clock::time_point started_;
  std::optional<tracing::Span> span_;
};

}  // namespace codezero::http
