#include "api/catalog_import.h"

#include "domain/catalog.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

// Serialises imports; the next version number is max + 1.
constexpr db::Statement kLock{"catalog_import_lock",
                              "LOCK TABLE catalog_versions IN SHARE ROW EXCLUSIVE MODE"};
constexpr db::Statement kNewest{
    "catalog_import_newest",
    "SELECT version, document = $1::jsonb FROM catalog_versions ORDER BY version DESC LIMIT 1"};
constexpr db::Statement kInsert{
    "catalog_import_insert",
    "INSERT INTO catalog_versions (version, document) VALUES ($1, $2::jsonb)"};

}  // namespace

asio::awaitable<Result<CatalogImport>> ImportCatalog(db::Pool& database, std::string document) {
  if (auto parsed = domain::ParseCatalog(document, 0); !parsed) {
    co_return tl::unexpected(parsed.error());
  }
  co_return co_await database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<CatalogImport>> {
        if (auto locked = co_await tx.Execute(kLock); !locked) {
          co_return tl::unexpected(locked.error());
        }
        auto newest = co_await tx.Execute(kNewest, document);
        if (!newest) co_return tl::unexpected(newest.error());
        if (!newest->empty() && newest->Bool(0, 1)) {
          co_return CatalogImport{static_cast<int>(newest->Int64(0, 0)), false};
        }
        const int version = newest->empty() ? 1 : static_cast<int>(newest->Int64(0, 0)) + 1;
        auto inserted = co_await tx.Execute(kInsert, version, document);
        if (!inserted) co_return tl::unexpected(inserted.error());
        co_return CatalogImport{version, true};
      });
}

}  // namespace codezero::api
