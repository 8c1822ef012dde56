#include "api/routes/admin.h"

#include <memory>

#include "api/routes/admin/admin_routes.h"

namespace codezero::api {

void AddAdminRoutes(RouteTable& routes, const AccountDependencies& dependencies) {
  const admin::Dependencies deps = std::make_shared<const AccountDependencies>(dependencies);
  admin::AddCompanyRoutes(routes, deps);
  admin::AddUserRoutes(routes, deps);
  admin::AddCatalogRoutes(routes, deps);
  admin::AddCouponRoutes(routes, deps);
  admin::AddJobRoutes(routes, deps);
  admin::AddReferralRoutes(routes, deps);
}

}  // namespace codezero::api
