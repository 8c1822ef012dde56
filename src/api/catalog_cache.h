// The catalog versions one event loop has loaded, with the GET /v1/catalog bodies and ETags
// rendered once per version and locale. The newest version is loaded when refreshing starts
// (so no quote waits on the database for it) and then polled every
// CATALOG_REFRESH_MS (one indexed `max(version)` query), so a `codezero catalog import` is
// served by every process within that interval; older versions (for quotes priced with them)
// are loaded on first use and kept.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "domain/catalog.h"

namespace codezero::api {

struct CatalogEntry {
  domain::Catalog catalog;
  std::string body_de;  // GET /v1/catalog?locale=de
  std::string body_en;
  std::string etag_de;
  std::string etag_en;
};

class CatalogCache {
 public:
  CatalogCache(boost::asio::any_io_executor executor, db::Pool& database,
               std::chrono::milliseconds refresh_interval);
  ~CatalogCache();

  // The newest version when one is loaded (no suspension: the common case); else null.
  [[nodiscard]] std::shared_ptr<const CatalogEntry> CurrentIfLoaded() const { return current_; }
  // The newest version; loads it when none is loaded yet.
  [[nodiscard]] boost::asio::awaitable<Result<std::shared_ptr<const CatalogEntry>>> Current();
  // A given version (kNotFound when the database has no such version).
  [[nodiscard]] boost::asio::awaitable<Result<std::shared_ptr<const CatalogEntry>>> Version(
      int version);

  // Starts polling for new versions; Close() stops it.
  void StartRefreshing();
  void Close();

 private:
  boost::asio::awaitable<void> RefreshLoop();
  boost::asio::awaitable<Result<std::shared_ptr<const CatalogEntry>>> Load(int version);
  boost::asio::awaitable<Result<int>> NewestVersion();

  boost::asio::any_io_executor executor_;
  db::Pool& database_;
  std::chrono::milliseconds refresh_interval_;
  boost::asio::steady_timer refresh_timer_;
  bool closed_ = false;
  std::shared_ptr<const CatalogEntry> current_;
  std::map<int, std::shared_ptr<const CatalogEntry>> versions_;
};

// The public JSON of a catalog version in one language (GET /v1/catalog).
[[nodiscard]] std::string RenderCatalog(const domain::Catalog& catalog, domain::Locale locale);

}  // namespace codezero::api
