// The subscriptions of the caller's company (any member may read them; another company's is a
// 404), and the owner's cancellation and its taking back (§ 312k BGB):
//   GET  /v1/subscriptions              {"data": [subscription...]}
//   GET  /v1/subscriptions/{id}         plan, add-ons, interval, status, period, next invoice,
//                                       cancellation, workspace and entitlements
//   POST /v1/subscriptions/{id}/cancel  (owner) at the end of the paid period → the subscription
//   POST /v1/subscriptions/{id}/resume  (owner) take the cancellation back → the subscription
// Both POSTs are idempotent by nature: a second cancel changes and sends nothing.
#pragma once

#include "api/route_table.h"
#include "auth/token_store.h"
#include "db/pool.h"

namespace codezero::api {

struct SubscriptionDependencies {
  db::Pool& database;
  auth::TokenStore& tokens;
};

void AddSubscriptionRoutes(RouteTable& routes, SubscriptionDependencies dependencies);

}  // namespace codezero::api
