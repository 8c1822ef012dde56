// For Code Zero staff (platform_admin) only; every action is audited.
//   GET  /v1/admin/companies?q=&limit=&offset=     search companies
//   GET  /v1/admin/users?q=&limit=&offset=         search users
//   POST /v1/admin/users/{id}/disable              disable a user, end their sessions
//   POST /v1/admin/catalog                         a catalog document -> the next version
//   GET  /v1/admin/coupons                         list coupons
//   POST /v1/admin/coupons                         {"code","percent_off_bps","valid_until"?}
//   POST /v1/admin/coupons/{code}/deactivate       stop a coupon
//   GET  /v1/admin/jobs?state=&kind=&queue=&limit=&before=   the job queue, newest first
//   GET  /v1/admin/jobs/{id}                       one job with its errors
//   POST /v1/admin/jobs/{id}/retry                 run again now (queue/job_admin.h)
//   POST /v1/admin/jobs/{id}/cancel                {"reason"?}: stop a waiting job
//   GET  /v1/admin/referrals?state=&limit=&offset= every redemption, newest first
//   POST /v1/admin/referrals/{id}/void             void a held or credited redemption
// (and, in admin_subscriptions.h, POST /v1/admin/subscriptions/{id}/cancel)
#pragma once

#include "api/account_dependencies.h"
#include "api/route_table.h"

namespace codezero::api {

void AddAdminRoutes(RouteTable& routes, const AccountDependencies& dependencies);

}  // namespace codezero::api
