// For Code Zero staff (platform_admin) only, audited:
//   POST /v1/admin/subscriptions/{id}/cancel  {"refund":"none"|"prorated"|"full","reason"?}
//        → 200 {"refunded","currency"}: ends the subscription at once (billing/
//        admin_cancellation.h); 409 once ended
#pragma once

#include "api/route_table.h"
#include "auth/token_store.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::api {

struct AdminSubscriptionDependencies {
  db::Pool& database;
  auth::TokenStore& tokens;
  stripe::Client& stripe;
};

void AddAdminSubscriptionRoutes(RouteTable& routes, AdminSubscriptionDependencies dependencies);

}  // namespace codezero::api
