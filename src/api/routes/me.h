// The signed-in user's own account:
//   GET    /v1/me         who I am (from the token's cached principal: one Redis lookup)
//   PATCH  /v1/me         name, locale; password with current_password (other sessions end)
//   GET    /v1/me/export  all personal data held about me, as JSON (GDPR Art. 15 and 20)
//   DELETE /v1/me         erase me (GDPR Art. 17); an owner hands over or deletes first
#pragma once

#include "api/account_dependencies.h"
#include "api/route_table.h"

namespace codezero::api {

void AddMeRoutes(RouteTable& routes, const AccountDependencies& dependencies);

}  // namespace codezero::api
