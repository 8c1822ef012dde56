// Proof of consent (§ 25 TDDDG, GDPR Art. 7(1)). The web frontend records each choice a
// visitor makes in its consent dialog:
//   POST /v1/consents  {"consent_id"?: uuid, "action": "accept_all"|"reject_all"|"custom",
//                       "statistics"?: bool, "marketing"?: bool (custom only),
//                       "policy_version": "2026-11-29", "user_agent_class": "desktop, Chrome"}
//   → 201 {"consent_id","action","statistics","marketing","policy_version","recorded_at"}
// A visitor's first choice gets a new consent id; later changes and withdrawals name it and
// add a row. No IP address and no account is stored (docs/compliance.md, "Consent"); the
// address only counts towards the rate limit (429 over RATE_LIMIT_CONSENT_IP).
#pragma once

#include "api/route_table.h"
#include "db/pool.h"
#include "redis/rate_limiter.h"

namespace codezero::api {

struct ConsentDependencies {
  db::Pool& database;
  redis::RateLimit limit;  // per address (RateLimits::consent_per_address)
};

void AddConsentRoutes(RouteTable& routes, ConsentDependencies dependencies);

}  // namespace codezero::api
