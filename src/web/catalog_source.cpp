#include "web/catalog_source.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "common/spawn.h"

namespace codezero::web {

namespace asio = boost::asio;
using domain::Locale;

CatalogSource::CatalogSource(asio::any_io_executor executor, ApiClient& api,
                             std::chrono::milliseconds refresh_interval)
    : api_(api), refresh_interval_(refresh_interval), timer_(executor) {}

asio::awaitable<Result<void>> CatalogSource::Refresh() {
  const std::string etag_de = current_ ? current_->etag_de : "";
  const std::string etag_en = current_ ? current_->etag_en : "";
  auto de = co_await api_.FetchCatalog(Locale::kDe, etag_de);
  if (!de) co_return tl::unexpected(de.error());
  auto en = co_await api_.FetchCatalog(Locale::kEn, etag_en);
  if (!en) co_return tl::unexpected(en.error());
  if (de->not_modified && en->not_modified) co_return Result<void>();

  auto next = std::make_shared<Catalogs>();
  if (de->not_modified) {
    next->de = current_->de;
  } else {
    auto parsed = ParseCatalog(de->body);
    if (!parsed) co_return tl::unexpected(parsed.error());
    next->de = std::move(*parsed);
  }
  if (en->not_modified) {
    next->en = current_->en;
  } else {
    auto parsed = ParseCatalog(en->body);
    if (!parsed) co_return tl::unexpected(parsed.error());
    next->en = std::move(*parsed);
  }
  next->etag_de = de->etag;
  next->etag_en = en->etag;
  // Between the two requests a new version may have landed: take it next time round.
  if (next->de.version != next->en.version) {
    co_return Fail(ErrorCode::kUnavailable, "catalog changed while fetching", "version skew");
  }
  if (current_ && current_->version() != next->version()) {
    log::Info("catalog version changed", {{"version", next->version()}});
  }
  current_ = std::move(next);
  co_return Result<void>();
}

asio::awaitable<Result<std::shared_ptr<const Catalogs>>> CatalogSource::Current() {
  if (current_) co_return current_;
  auto refreshed = co_await Refresh();
  if (!refreshed) co_return tl::unexpected(refreshed.error());
  if (!current_) co_return Fail(ErrorCode::kUnavailable, "no catalog", "none loaded");
  co_return current_;
}

void CatalogSource::StartRefreshing() {
  SpawnLogged(timer_.get_executor(), RefreshLoop(), "catalog refresh");
}

asio::awaitable<void> CatalogSource::RefreshLoop() {
  while (!closed_) {
    timer_.expires_after(refresh_interval_);
    (void)co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (closed_) break;
    auto refreshed = co_await Refresh();
    if (!refreshed && current_) {
      log::Warn("cannot refresh the catalog; keeping the last one",
                {{"reason", refreshed.error().reason}});
    }
  }
}

void CatalogSource::Close() {
  closed_ = true;
  timer_.cancel();
}

}  // namespace codezero::web
