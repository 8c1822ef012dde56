// The catalog the pages show, fetched from the API (GET /v1/catalog in both languages) and
// kept per event loop. It is refreshed in the background with conditional requests (ETag, so
// an unchanged catalog costs two 304s); a new catalog version shows up within the refresh
// interval and, since the version is part of every page-cache key, invalidates the cached
// pages and quotes at once.
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/error.h"
#include "web/api_client.h"
#include "web/catalog_view.h"

namespace codezero::web {

struct Catalogs {
  CatalogView de;
  CatalogView en;
  std::string etag_de;
  std::string etag_en;

  [[nodiscard]] int version() const { return de.version; }
  [[nodiscard]] const CatalogView& In(domain::Locale locale) const {
    return locale == domain::Locale::kDe ? de : en;
  }
};

class CatalogSource {
 public:
  // REQUIRES: `api` outlives the source.
  CatalogSource(boost::asio::any_io_executor executor, ApiClient& api,
                std::chrono::milliseconds refresh_interval);

  // The current catalogs, fetched first when there are none yet (kUnavailable when the API
  // cannot be reached then). Once loaded, an API outage keeps the last catalogs.
  [[nodiscard]] boost::asio::awaitable<Result<std::shared_ptr<const Catalogs>>> Current();
  // Without waiting: null before the first successful fetch.
  [[nodiscard]] std::shared_ptr<const Catalogs> CurrentIfLoaded() const { return current_; }

  void StartRefreshing();
  // Stops the refresh loop. Call on this source's loop.
  void Close();

 private:
  [[nodiscard]] boost::asio::awaitable<Result<void>> Refresh();
  [[nodiscard]] boost::asio::awaitable<void> RefreshLoop();

  ApiClient& api_;
  std::chrono::milliseconds refresh_interval_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<const Catalogs> current_;
  bool closed_ = false;
};

}  // namespace codezero::web
