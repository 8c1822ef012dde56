// Cancelling without signing in, from the page "Verträge hier kündigen" that every page of the
// website links to (§ 312k BGB):
//   POST /v1/cancellation-requests          {"email","name","contract"?,"kind","reason"?,"locale"}
//        → 202 {"received_at"}: the same answer whether or not the address owns a contract
//        (no one learns here who is a customer). Every declaration is stored with the time it
//        was received and its receipt mailed to the address given (§ 312k(4) BGB); for a
//        company owner's address with a running subscription, with a link that attributes it
//        to the contracts.
//   POST /v1/cancellation-requests/lookup   {"token"} → the declaration and the contracts it
//        cancels (the one named by its order number, or every running one of the company)
//   POST /v1/cancellation-requests/confirm  {"token"} → the same after the cancellation is
//        recorded, as received when the declaration was (§ 312k(4) BGB), with the usual
//        confirmation e-mail; confirming again changes and sends nothing.
// The token travels in bodies, never in a path (access logs). Links live 72 hours.
#pragma once

#include <string>

#include "api/rate_limits.h"
#include "api/route_table.h"
#include "db/pool.h"

namespace codezero::api {

struct CancellationRequestDependencies {
  db::Pool& database;
  std::string public_web_url;  // where the e-mailed link points
  RateLimits limits;
};

void AddCancellationRequestRoutes(RouteTable& routes, CancellationRequestDependencies dependencies);

}  // namespace codezero::api
