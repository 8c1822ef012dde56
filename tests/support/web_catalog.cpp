#include "support/web_catalog.h"

#include <stdexcept>

#include "api/catalog_cache.h"
#include "support/catalog_fixture.h"

namespace codezero::testing {

const web::CatalogView& WebCatalog(domain::Locale locale) {
  static const auto parse = [](domain::Locale in) {
    auto view = web::ParseCatalog(api::RenderCatalog(CatalogV1(), in));
    if (!view) throw std::runtime_error("the API's catalog does not parse: " + view.error().reason);
    return *view;
  };
  static const web::CatalogView de = parse(domain::Locale::kDe);
  static const web::CatalogView en = parse(domain::Locale::kEn);
  return locale == domain::Locale::kDe ? de : en;
}

}  // namespace codezero::testing
