// Stripe's billing portal for the caller's company (owner only: payment methods are the
// owner's to change):
//   POST /v1/billing-portal/sessions  {"return_url"?}  → 201 {"url"}
// The return URL must be a page of the platform's website (default: the account's invoices in
// the caller's language). 409 when the company has never checked out (no Stripe customer).
#pragma once

#include <string>

#include "api/route_table.h"
#include "auth/token_store.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::api {

struct BillingPortalDependencies {
  db::Pool& database;
  auth::TokenStore& tokens;
  stripe::Client& stripe;
  std::string public_web_url;
};

void AddBillingPortalRoutes(RouteTable& routes, BillingPortalDependencies dependencies);

}  // namespace codezero::api
