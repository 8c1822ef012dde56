// What the admin resources' files share (api/routes/admin.h lists the routes).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "api/account_dependencies.h"
#include "api/route_table.h"

namespace codezero::api::admin {

using Dependencies = std::shared_ptr<const AccountDependencies>;

// The policy of every admin route: platform admins only.
[[nodiscard]] inline RoutePolicy AdminsOnly(std::string_view operation,
                                            std::size_t body_limit = kJsonBodyLimit) {
  return {.operation = operation, .caller = Caller::kPlatformAdmin, .body_limit = body_limit};
}

// ?limit (1 to 100, default 50) and ?offset of a search; nullopt when either is not a whole
// number in range (answered 400).
struct Page {
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};
[[nodiscard]] std::optional<Page> PageOf(std::string_view query);

// One per resource, each in its own file.
void AddCompanyRoutes(RouteTable& routes, const Dependencies& deps);
void AddUserRoutes(RouteTable& routes, const Dependencies& deps);
void AddCatalogRoutes(RouteTable& routes, const Dependencies& deps);
void AddCouponRoutes(RouteTable& routes, const Dependencies& deps);
void AddJobRoutes(RouteTable& routes, const Dependencies& deps);

}  // namespace codezero::api::admin
