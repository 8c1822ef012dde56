// A small outbound HTTP/1.1 client (http:// and https://, TLS with certificate and host-name
// verification), one request per connection, with a deadline for the whole exchange. For
// occasional calls from request handlers (VIES); it never blocks the event loop.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "http/message.h"

namespace codezero::http {

struct OutboundRequest {
  Verb method = Verb::get;
  std::string url;  // http://host[:port]/path?query or https://...
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{5'000};
  std::size_t max_response_bytes = 1 << 20;
};

// kUnavailable when the server cannot be reached, kTimeout past the deadline, kBadRequest
// for a malformed URL. Any HTTP status is a success here; the caller judges it.
[[nodiscard]] boost::asio::awaitable<Result<Response>> Fetch(boost::asio::any_io_executor executor,
                                                             OutboundRequest request);

}  // namespace codezero::http
