// Checkout: a signed quote becomes an order and a Stripe Checkout Session.
//   POST /v1/checkout/sessions  (owner; header Idempotency-Key required)
//        {"quote_token", "success_url"?, "cancel_url"?}
//        → 201 {"order_id", "checkout_session_id", "url", "amount_total", "currency"}
// The quote is re-priced with its catalog version; Stripe's session total must equal the
// quote's total to the cent or the session is expired and nothing is charged. docs/stripe.md
// describes what is sent to Stripe and why.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/catalog_cache.h"
#include "api/route_table.h"
#include "auth/token_store.h"
#include "billing/stripe_objects.h"
#include "db/pool.h"
#include "redis/idempotency_store.h"
#include "stripe/client.h"

namespace codezero::api {

struct CheckoutDependencies {
  db::Pool& database;
  CatalogCache& catalogs;
  auth::TokenStore& tokens;
  redis::IdempotencyStore& idempotency;
  billing::StripeObjects& stripe_objects;
  stripe::Client& stripe;
  std::vector<std::string> signing_keys;  // QUOTE_SIGNING_SECRET (+ _PREVIOUS)
  std::string public_web_url;             // success and cancel URLs must be under it
  std::function<std::int64_t()> now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
};

void AddCheckoutRoutes(RouteTable& routes, CheckoutDependencies dependencies);

}  // namespace codezero::api
