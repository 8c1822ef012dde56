// One log line per answered request: method, path (never the query string, which may carry
// tokens), status, duration, bytes in and out, and the client's address with its last part
// removed (IPv4 /24, IPv6 /48): enough to spot abuse, less personal data to keep (GDPR
// Art. 5(1)(c), data minimisation). Headers and bodies are never logged.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <boost/asio/ip/address.hpp>

#include "http/message.h"

namespace codezero::http {

[[nodiscard]] std::string TruncatedAddress(const boost::asio::ip::address& address);

void LogAccess(const RequestContext& context, Verb method, unsigned status, std::size_t bytes_in,
               std::size_t bytes_out);

}  // namespace codezero::http
