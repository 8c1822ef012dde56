// The orders of the caller's company (any member may read them; another company's order is a
// 404):
//   GET /v1/orders?limit=&offset=   newest first: {"data": [summary...], "has_more"}
//   GET /v1/orders/{id}             lines, amounts, tax, discount, checkout, status history
// An order still `awaiting_payment` whose Checkout Session Stripe reports paid is confirmed
// on read (the browser usually comes back before the webhook); the worker's later handling of
// the same event then changes nothing.
#pragma once

#include "auth/token_store.h"
#include "db/pool.h"
#include "http/router.h"
#include "stripe/client.h"

namespace codezero::api {

struct OrderDependencies {
  db::Pool& database;
  auth::TokenStore& tokens;
  stripe::Client& stripe;
};

void AddOrderRoutes(http::Router& router, OrderDependencies dependencies);

}  // namespace codezero::api
