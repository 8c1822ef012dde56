// The subscriptions of the caller's company (any member may read them; another company's is a
// 404), and the owner's cancellation and its taking back (§ 312k BGB):
//   GET  /v1/subscriptions              {"data": [subscription...]}
//   GET  /v1/subscriptions/{id}         plan, add-ons, interval, status, period, next invoice,
//                                       cancellation, workspace and entitlements
//   POST /v1/subscriptions/{id}/cancel  (owner) at the end of the paid period → the subscription
//   POST /v1/subscriptions/{id}/resume  (owner) take the cancellation back → the subscription
//   POST /v1/subscriptions/{id}/preview (owner) {"plan"?,"interval"?,"addons":[{"code",
//                                       "quantity"}],"when"?} the wanted state → what changes:
//                                       when, the prorated lines, what is due now, the next
//                                       recurring amount, and the `proration_date` used
//   POST /v1/subscriptions/{id}/changes (owner, Idempotency-Key) the same body (with the
//                                       preview's `proration_date`) → the change, made or set
//                                       for the period's end (billing/subscription_changes.h)
// Cancel and resume are idempotent by nature: a second cancel changes and sends nothing.
#pragma once

#include "api/route_table.h"
#include "auth/token_store.h"
#include "db/pool.h"
#include "redis/idempotency_store.h"
#include "stripe/client.h"

namespace codezero::api {

struct SubscriptionDependencies {
  db::Pool& database;
  auth::TokenStore& tokens;
  redis::IdempotencyStore& idempotency;
  stripe::Client& stripe;
};

void AddSubscriptionRoutes(RouteTable& routes, SubscriptionDependencies dependencies);

}  // namespace codezero::api
