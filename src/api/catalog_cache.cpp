#include "api/catalog_cache.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/digest.h"
#include "common/log.h"
#include "common/spawn.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using domain::Locale;

constexpr db::Statement kNewestVersion{"catalog_newest_version",
                                       "SELECT max(version) FROM catalog_versions"};
constexpr db::Statement kLoadVersion{
    "catalog_load_version", "SELECT document::text FROM catalog_versions WHERE version = $1"};

std::string ShortHash(std::string_view text) {
  const Sha256Digest digest = Sha256(text);
  return ToHex(digest.data(), 8);
}

boost::json::array Codes(const std::vector<std::string>& codes) {
  boost::json::array array;
  for (const std::string& code : codes) array.emplace_back(code);
  return array;
}

}  // namespace

std::string RenderCatalog(const domain::Catalog& catalog, Locale locale) {
  const bool de = locale == Locale::kDe;
  boost::json::object body;
  body["version"] = catalog.version;
  body["currency"] = catalog.currency;
  body["locale"] = domain::ToString(locale);
  body["intervals"] = boost::json::array{
      boost::json::object{
          {"code", "month"}, {"name", de ? "monatlich" : "monthly"}, {"months_charged", 1}},
      boost::json::object{{"code", "year"},
                          {"name", de ? "jährlich" : "yearly"},
                          {"months_charged", catalog.yearly_price_months}}};
  boost::json::array plans;
  for (const domain::Plan& plan : catalog.plans) {
    plans.push_back(boost::json::object{
        {"code", plan.code},
        {"name", plan.name.In(locale)},
        {"summary", plan.summary.In(locale)},
        {"unit_amount",
         boost::json::object{{"month", catalog.UnitAmount(plan, domain::Interval::kMonth)},
                             {"year", catalog.UnitAmount(plan, domain::Interval::kYear)}}},
        {"included_seats", plan.included_seats},
        {"included_ai_credits", plan.included_ai_credits},
        {"max_seats", plan.max_seats},
        {"includes", Codes(plan.includes)}});
  }
  body["plans"] = std::move(plans);
  boost::json::array addons;
  for (const domain::Addon& addon : catalog.addons) {
    boost::json::object max_quantity;
    std::vector<std::string> included_in;
    for (const domain::Plan& plan : catalog.plans) {
      if (addon.AvailableWith(plan.code))
        max_quantity[plan.code] = catalog.MaxQuantity(addon, plan);
      if (plan.Includes(addon.code)) included_in.push_back(plan.code);
    }
    boost::json::object entry{{"code", addon.code},
                              {"name", addon.name.In(locale)},
                              {"recurring", addon.recurring},
                              {"min_quantity", addon.min_quantity},
                              {"max_quantity", std::move(max_quantity)},
                              {"available_with", Codes(addon.available_with)},
                              {"included_in", Codes(included_in)}};
    if (addon.recurring) {
      entry["unit_amount"] =
          boost::json::object{{"month", catalog.UnitAmount(addon, domain::Interval::kMonth)},
                              {"year", catalog.UnitAmount(addon, domain::Interval::kYear)}};
    } else {
      entry["unit_amount"] = boost::json::object{{"once", addon.amount}};
    }
    addons.push_back(std::move(entry));
  }
  body["addons"] = std::move(addons);
  return boost::json::serialize(body);
}

CatalogCache::CatalogCache(asio::any_io_executor executor, db::Pool& database,
                           std::chrono::milliseconds refresh_interval)
    : executor_(executor),
      database_(database),
      refresh_interval_(refresh_interval),
      refresh_timer_(executor) {}

CatalogCache::~CatalogCache() = default;

asio::awaitable<Result<int>> CatalogCache::NewestVersion() {
  auto rows = co_await database_.Execute(kNewestVersion);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty() || rows->IsNull(0, 0)) {
    co_return Fail(ErrorCode::kUnavailable, "no catalog",
                   "catalog_versions is empty: run codezero migrate");
  }
  co_return static_cast<int>(rows->Int64(0, 0));
}

asio::awaitable<Result<std::shared_ptr<const CatalogEntry>>> CatalogCache::Load(int version) {
  if (auto known = versions_.find(version); known != versions_.end()) co_return known->second;
  auto rows = co_await database_.Execute(kLoadVersion, version);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kNotFound, "no such catalog version");
  auto catalog = domain::ParseCatalog(rows->Text(0, 0), version);
  if (!catalog) {
    co_return Fail(ErrorCode::kInternal,
                   "catalog version " + std::to_string(version) + " is invalid",
                   catalog.error().fields.empty() ? catalog.error().message
                                                  : catalog.error().fields.front().field);
  }
  auto entry = std::make_shared<CatalogEntry>();
  entry->catalog = std::move(*catalog);
  entry->body_de = RenderCatalog(entry->catalog, Locale::kDe);
  entry->body_en = RenderCatalog(entry->catalog, Locale::kEn);
  entry->etag_de = "\"c" + std::to_string(version) + "-de-" + ShortHash(entry->body_de) + "\"";
  entry->etag_en = "\"c" + std::to_string(version) + "-en-" + ShortHash(entry->body_en) + "\"";
  // Another request may have loaded it while this one waited for the database.
  auto [it, inserted] = versions_.emplace(version, std::move(entry));
  co_return it->second;
}

asio::awaitable<Result<std::shared_ptr<const CatalogEntry>>> CatalogCache::Current() {
  if (current_) co_return current_;
  auto newest = co_await NewestVersion();
  if (!newest) co_return tl::unexpected(newest.error());
  auto entry = co_await Load(*newest);
  if (!entry) co_return tl::unexpected(entry.error());
  if (!current_ || current_->catalog.version < (*entry)->catalog.version) current_ = *entry;
  co_return current_;
}

asio::awaitable<Result<std::shared_ptr<const CatalogEntry>>> CatalogCache::Version(int version) {
  co_return co_await Load(version);
}

void CatalogCache::StartRefreshing() { SpawnLogged(executor_, RefreshLoop(), "catalog refresh"); }

asio::awaitable<void> CatalogCache::RefreshLoop() {
  // At once, so that this loop's first quote does not wait on the database.
  if (auto first = co_await Current(); first) {
    log::Info("catalog loaded", {{"version", (*first)->catalog.version}});
  }
  while (!closed_) {
    refresh_timer_.expires_after(refresh_interval_);
    (void)co_await refresh_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (closed_) break;
    auto newest = co_await NewestVersion();
    if (!newest || (current_ && current_->catalog.version >= *newest)) continue;
    auto entry = co_await Load(*newest);
    if (entry) {
      log::Info(current_ ? "catalog version changed" : "catalog loaded", {{"version", *newest}});
      current_ = *entry;
    } else {
      log::Error("cannot load the new catalog version",
                 {{"version", *newest}, {"reason", entry.error().reason}});
    }
  }
}

void CatalogCache::Close() {
  closed_ = true;
  refresh_timer_.cancel();
}

}  // namespace codezero::api
