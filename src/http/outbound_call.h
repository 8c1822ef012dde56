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

#include "http/client.h"
#include "tracing/tracer.h"

namespace codezero::http {

class OutboundCall {
 public:
  // What the status passed to Done() is: an HTTP status, or an SMTP reply code (whose 4xx is a
  // failure too: try again later).
  enum class Protocol { kHttp, kSmtp };

  // `executor`: the calling coroutine's (`co_await this_coro::executor`); `operation`: a
  // literal ("POST", "send").
  OutboundCall(std::string_view service, std::string_view operation,
               const boost::asio::any_io_executor& executor, Protocol protocol = Protocol::kHttp);

  // Adds this call's span as `request`'s `traceparent`, so a service that traces (the Stripe
  // stand-in does) continues the trace. Nothing when the call has no span.
  void Propagate(OutboundRequest& request) const;

  // `status`: as `protocol` says, 0 when no answer came.
  void Done(int status);

 private:
  std::string_view service_;
  Protocol protocol_;
  std::chrono::steady_clock::time_point started_;
  std::optional<tracing::Span> span_;
};

}  // namespace codezero::http
