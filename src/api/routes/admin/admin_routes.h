// What the admin resources' files share (api/routes/admin.h lists the routes).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "api/account_dependencies.h"
#include "api/route_table.h"
#include "http/query.h"

namespace codezero::api::admin {

using Dependencies = std::shared_ptr<const AccountDependencies>;

// The policy of every admin route: platform admins only.
[[nodiscard]] inline RoutePolicy AdminsOnly(std::string_view operation,
                                            std::size_t body_limit = kJsonBodyLimit) {
  return {.operation = operation, .caller = Caller::kPlatformAdmin, .body_limit = body_limit};
}

// ?limit (1 to 100, default 50) and ?offset of a search; the 400 when either is not a whole
// number in range.
struct Page {
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};
[[nodiscard]] inline Result<Page> PageOf(std::string_view query) {
  const auto limit = http::IntegerParameter(query, "limit", 50, 1, 100);
  const auto offset = http::IntegerParameter(query, "offset", 0, 0, 1'000'000);
  if (!limit || !offset) {
    return Fail(ErrorCode::kBadRequest, "limit must be 1 to 100 and offset 0 or more.");
  }
  return Page{*limit, *offset};
}

// One per resource, each in its own file.
void AddCompanyRoutes(RouteTable& routes, const Dependencies& deps);
void AddUserRoutes(RouteTable& routes, const Dependencies& deps);
void AddCatalogRoutes(RouteTable& routes, const Dependencies& deps);
void AddCouponRoutes(RouteTable& routes, const Dependencies& deps);
void AddJobRoutes(RouteTable& routes, const Dependencies& deps);
void AddReferralRoutes(RouteTable& routes, const Dependencies& deps);

}  // namespace codezero::api::admin
