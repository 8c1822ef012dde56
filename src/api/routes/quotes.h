// The quotes resource: what a configuration costs, exactly.
//   POST /v1/quotes          price a configuration; 201 with the quote and its signed token
//   GET  /v1/quotes/{token}  the same quote re-derived from its token; 404 tampered, 410 expired
// No database round trip per quote (the configurator calls this on every change): the catalog
// and the discounts are each loop's copies, VIES is asked only for a foreign business's VAT ID
// (and its answers cached), and Redis only counts codes that gave nothing, against guessing.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/catalog_cache.h"
#include "api/discount_cache.h"
#include "api/route_table.h"
#include "api/vat_id_verifier.h"
#include "db/pool.h"
#include "redis/rate_limiter.h"

namespace codezero::api {

struct QuoteDependencies {
  db::Pool& database;
  CatalogCache& catalogs;
  // The first key signs; all of them verify (rotation). REQUIRES: non-empty, each >= 32 bytes.
  std::vector<std::string> signing_keys;
  VatIdVerifier* vies = nullptr;  // null: VIES not configured
  // A reverse charge needs VIES's confirmation: with `vies` null, no reverse charge
  // (ApiSettings::vies_required).
  bool vies_required = false;
  // This loop's copy of the discounts; null (or not loaded yet): the database is asked.
  const DiscountCache* discounts = nullptr;
  // Counts, per client address, quotes whose discount code gave nothing; over the limit, the
  // address's quotes with a code are refused (429) until it recovers. Null: not counted.
  redis::RateLimiter* limiter = nullptr;
  redis::RateLimit unknown_codes;
  std::size_t trusted_proxies = 0;
  std::function<std::int64_t()> now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
};

void AddQuoteRoutes(RouteTable& routes, QuoteDependencies dependencies);

}  // namespace codezero::api
