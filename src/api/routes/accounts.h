// Signing up and the e-mail links around it:
//   POST /v1/accounts                      202 for every well-formed request (no enumeration)
//   POST /v1/accounts/verify               {"token"} -> 204; used or expired -> 400
//   POST /v1/password-reset                {"email"} -> 202 always
//   POST /v1/password-reset/confirm        {"token","password"} -> 204, every session revoked
#pragma once

#include "api/account_dependencies.h"
#include "api/route_table.h"

namespace codezero::api {

void AddAccountRoutes(RouteTable& routes, const AccountDependencies& dependencies);

}  // namespace codezero::api
