// Stores a catalog document as the next version (used by `codezero catalog import` and by
// POST /v1/admin/catalog). The document is validated in full first; a document equal to the
// newest version is not stored again.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"

namespace codezero::api {

struct CatalogImport {
  int version = 0;
  bool created = false;  // false: identical to the newest version, nothing stored
};

// kValidationFailed lists every problem of an invalid document.
[[nodiscard]] boost::asio::awaitable<Result<CatalogImport>> ImportCatalog(db::Pool& database,
                                                                          std::string document);

}  // namespace codezero::api
