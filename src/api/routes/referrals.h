// The caller's company's referral code and what it earned (any member may read them):
//   GET /v1/referrals/me              {"code","link","percent_off_bps","reward_amount",
//                                      "holding_days","currency",
//                                      "counts":{"pending","holding","credited","refused",
//                                      "reversed","voided"}}; the code is made on first ask
//   GET /v1/referrals/me/redemptions  {"data":[{"id","state","refusal","reward_amount",
//                                      "currency","placed_at","paid_at","hold_until",
//                                      "credited_at","reversed_at"}]}, newest first; "pending":
//                                      an order placed with the code, not paid yet (no id)
// Nothing about the referred company is shown: it is another customer's business.
#pragma once

#include <string>

#include "api/catalog_cache.h"
#include "api/route_table.h"
#include "auth/token_store.h"
#include "db/pool.h"

namespace codezero::api {

struct ReferralDependencies {
  db::Pool& database;
  auth::TokenStore& tokens;
  CatalogCache& catalogs;      // the newest catalog's referral terms
  std::string public_web_url;  // the link's origin
};

void AddReferralRoutes(RouteTable& routes, ReferralDependencies dependencies);

}  // namespace codezero::api
