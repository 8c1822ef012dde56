// GET /v1/catalog?locale=de|en: plans, add-ons with their rules and prices, intervals,
// currency and catalog version. Rendered once per version and locale; `ETag` with 304 on
// `If-None-Match`; `Cache-Control: public, max-age=60`.
#pragma once

#include "api/catalog_cache.h"
#include "api/route_table.h"

namespace codezero::api {

void AddCatalogRoutes(RouteTable& routes, CatalogCache& catalogs);

// True when an If-None-Match header value matches `etag` (a list, `*`, weak or strong).
[[nodiscard]] bool IfNoneMatchMatches(std::string_view header, std::string_view etag);

}  // namespace codezero::api
