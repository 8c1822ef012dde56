// The orders of the caller's company (any member may read them; another company's order is a
// 404):
//   GET /v1/orders?limit=&offset=   newest first: {"data": [summary...], "has_more"}
//   GET /v1/orders/{id}             lines, amounts, tax, discount, checkout, status history
// An order still `awaiting_payment` whose Checkout Session Stripe reports paid is confirmed
// on read (the browser usually comes back before the webhook); the worker's later handling of
// the same event then changes nothing. Stripe is asked at most once per order per
// `confirm_interval` however often the order is read (a success page polls): a lock in Redis,
// the other reads answer from the database (so do all while Redis cannot be asked).
#pragma once

#include <chrono>

#include "api/route_table.h"
#include "auth/token_store.h"
#include "db/pool.h"
#include "redis/client.h"
#include "stripe/client.h"

namespace codezero::api {

struct OrderDependencies {
  db::Pool& database;
  auth::TokenStore& tokens;
  stripe::Client& stripe;
  redis::Client& cache;
  std::chrono::milliseconds confirm_interval{3'000};
};

void AddOrderRoutes(RouteTable& routes, OrderDependencies dependencies);

}  // namespace codezero::api
