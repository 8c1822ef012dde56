#include "support/catalog_fixture.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace codezero::testing {

std::string RepositoryFile(const std::string& path) {
  std::ifstream in(std::string(CODEZERO_SOURCE_DIR) + "/" + path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const domain::Catalog& CatalogV1() {
  static const domain::Catalog kCatalog = [] {
    auto parsed = domain::ParseCatalog(RepositoryFile("catalog/catalog-v1.json"), 1);
    if (!parsed) throw std::runtime_error("catalog-v1.json does not parse");
    return *parsed;
  }();
  return kCatalog;
}

}  // namespace codezero::testing
