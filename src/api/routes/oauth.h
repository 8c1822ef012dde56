// OAuth 2.0 for the web frontend (a confidential, server-side client):
//   POST /v1/oauth/token   grant_type=password (username, password) or
//                          grant_type=refresh_token (refresh_token); form-encoded (RFC 6749)
//   POST /v1/oauth/revoke  token=... (RFC 7009): 200, also for unknown tokens
// Errors are RFC 6749 §5.2 JSON ({"error","error_description"}), never problem+json, because
// OAuth clients parse that shape; too many attempts are 429 problem+json with Retry-After.
#pragma once

#include "api/account_dependencies.h"
#include "api/route_table.h"

namespace codezero::api {

void AddOAuthRoutes(RouteTable& routes, const AccountDependencies& dependencies);

}  // namespace codezero::api
