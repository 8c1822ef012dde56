// The catalog as the API publishes it (GET /v1/catalog), built from catalog/catalog-v1.json by
// the API's own code, for tests of the web frontend's pure logic.
#pragma once

#include "domain/locale.h"
#include "web/catalog_view.h"

namespace codezero::testing {

[[nodiscard]] const web::CatalogView& WebCatalog(domain::Locale locale = domain::Locale::kDe);

}  // namespace codezero::testing
