// The address of the client behind a request, for rate limits: the socket's peer, or, behind
// `trusted_proxies` proxies (a load balancer, an edge), the address they saw, taken from
// X-Forwarded-For counted from the right (entries further left are the client's own claims).
#pragma once

#include <cstddef>
#include <string>

#include "http/message.h"

namespace codezero::http {

[[nodiscard]] std::string ClientAddress(const Request& request, const RequestContext& context,
                                        std::size_t trusted_proxies);

}  // namespace codezero::http
