// Protection of every state-changing request (POST) against cross-site request forgery, two
// checks that must both pass:
//
// 1. Origin: the browser's `Origin` header is the site's own origin, or, where a browser sends
//    no Origin, `Sec-Fetch-Site: same-origin` (Fetch Metadata). A request with neither is
//    refused: every browser this site supports sends at least one of them with a form post.
// 2. Token: the form carries a token that the site signed (HMAC-SHA256 under WEB_SECRET) for
//    the visitor (`binding`: their session when signed in), no older than 12 hours. Anonymous
//    visitors, and every public page (which a CDN may cache for everybody), get a token bound
//    to nothing: for their forms the origin check is what stops a forged post, and the token
//    only proves the page came from this site lately. Which forms take which token:
//    pages/page_route.h.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace codezero::web {

inline constexpr std::chrono::hours kFormTokenLifetime{12};

// "<issued, base 36>.<base64url of the first 16 bytes of the MAC>".
[[nodiscard]] std::string SignFormToken(std::string_view secret, std::string_view binding,
                                        std::chrono::system_clock::time_point now);

[[nodiscard]] bool VerifyFormToken(std::string_view secret, std::string_view binding,
                                   std::string_view token,
                                   std::chrono::system_clock::time_point now);

// Check 1 above. `site_origin`: "https://codezero.ai" (scheme, host and port, no path).
[[nodiscard]] bool IsSameOriginRequest(std::string_view origin_header,
                                       std::string_view sec_fetch_site_header,
                                       std::string_view site_origin);

}  // namespace codezero::web
