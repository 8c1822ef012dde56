// Stripe's webhooks: POST /v1/webhooks/stripe. The only route that outside traffic reaches
// without a bearer token, so it trusts nothing it has not verified:
//
// - the body is at most 512 KiB and its `Stripe-Signature` must hold for one of the
//   configured secrets (v1 only, timestamp within 300 s either way): otherwise 400, no detail;
// - a valid event is stored (unique on its id, the raw body kept) and a
//   `stripe.process_event` job enqueued in the same statement, then 200 at once; the worker
//   does the rest. A duplicate delivery is 200 and changes nothing; events of types the
//   platform does not use are stored and acknowledged all the same.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/route_table.h"
#include "db/pool.h"

namespace codezero::api {

struct StripeWebhookDependencies {
  db::Pool& database;
  std::vector<std::string> secrets;  // STRIPE_WEBHOOK_SECRETS; empty: webhooks refused (503)
  std::function<std::int64_t()> now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
};

inline constexpr std::size_t kMaxWebhookBytes = 512 * 1024;

void AddStripeWebhookRoutes(RouteTable& routes, StripeWebhookDependencies dependencies);

}  // namespace codezero::api
