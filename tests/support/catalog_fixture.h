// The catalog shipped in catalog/catalog-v1.json, parsed, for domain tests.
#pragma once

#include "domain/catalog.h"

namespace codezero::testing {

const domain::Catalog& CatalogV1();

// The text of a file in the repository (path relative to its root).
std::string RepositoryFile(const std::string& path);

}  // namespace codezero::testing
