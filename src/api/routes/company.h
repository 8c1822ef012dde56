// The caller's company and its people. Every statement is filtered by the caller's company:
// another company's member is "not found" (404), never "forbidden".
//   GET    /v1/company                  any member
//   PATCH  /v1/company                  owner: name, address, vat_id
//   GET    /v1/company/members          any member
//   DELETE /v1/company/members/{id}     owner: the member is disabled and signed out (another
//                                       owner: 409, they hand over first)
//   POST   /v1/company/owner            owner: {"user_id"} hands ownership over
//   DELETE /v1/company                  owner: closes the company
// Invitations: invitations.h.
#pragma once

#include "api/account_dependencies.h"
#include "api/route_table.h"

namespace codezero::api {

void AddCompanyRoutes(RouteTable& routes, const AccountDependencies& dependencies);

}  // namespace codezero::api
