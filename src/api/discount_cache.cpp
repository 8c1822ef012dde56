#include "api/discount_cache.h"

#include <vector>

#include "common/log.h"
#include "common/spawn.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kChannel = "codezero_discounts";

constexpr db::Statement kAllCoupons{
    "discounts_all_coupons",
    "SELECT code, percent_off_bps, active, (extract(epoch FROM valid_from) * 1000)::bigint, "
    "(extract(epoch FROM valid_until) * 1000)::bigint FROM coupons"};
constexpr db::Statement kActiveReferralCodes{
    "discounts_active_referral_codes",
    "SELECT code, percent_off_bps FROM referral_codes WHERE active"};

std::vector<std::string> Channels() { return {std::string(kChannel)}; }

}  // namespace

DiscountCache::DiscountCache(asio::any_io_executor executor, db::Pool& database,
                             db::ConnectOptions listen)
    : executor_(executor),
      database_(database),
      listener_(executor, std::move(listen), Channels()) {}

std::optional<DiscountOutcome> DiscountCache::Resolve(
    const std::optional<std::string>& coupon, const std::optional<std::string>& referral_code,
    std::chrono::system_clock::time_point now) const {
  if (!loaded_) return std::nullopt;
  std::optional<CouponState> coupon_found;
  std::optional<int> referral_found;
  if (coupon) {
    if (const auto found = coupons_.find(*coupon); found != coupons_.end()) {
      const Coupon& c = found->second;
      const std::int64_t now_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
      const bool started = !c.valid_from_ms || *c.valid_from_ms <= now_ms;
      const bool not_ended = !c.valid_until_ms || *c.valid_until_ms > now_ms;
      coupon_found = CouponState{c.percent_off_bps, c.active && started && not_ended};
    }
  }
  if (referral_code) {
    if (const auto found = referral_codes_.find(*referral_code); found != referral_codes_.end())
      referral_found = found->second;
  }
  return DecideDiscount(coupon, coupon_found, referral_code, referral_found);
}

void DiscountCache::Start() { SpawnLogged(executor_, Run(), "discount cache"); }

void DiscountCache::Close() {
  closed_ = true;
  listener_.Cancel();
}

asio::awaitable<void> DiscountCache::Run() {
  bool reload_due = false;
  while (!closed_) {
    auto wakeup = co_await listener_.Wait(std::chrono::seconds(1));
    if (closed_) break;
    // A notification, or listening (again): a change may be unseen. A failed load (PostgreSQL
    // ended the pool's connections too, say) is tried again every second until it succeeds;
    // meanwhile quotes go on with the copy they have (or ask the database, when there is none).
    if (wakeup && (wakeup->resumed || !wakeup->notifications.empty())) reload_due = true;
    if (!reload_due) continue;
    if (auto loaded = co_await Load(); loaded) {
      reload_due = false;
    } else {
      log::Warn("discounts not reloaded; trying again", {{"reason", loaded.error().reason}});
    }
  }
}

asio::awaitable<Result<void>> DiscountCache::Load() {
  auto coupons = co_await database_.Execute(kAllCoupons);
  if (!coupons) co_return tl::unexpected(coupons.error());
  auto referrals = co_await database_.Execute(kActiveReferralCodes);
  if (!referrals) co_return tl::unexpected(referrals.error());
  std::unordered_map<std::string, Coupon> loaded_coupons;
  for (int row = 0; row < coupons->size(); ++row) {
    Coupon coupon;
    coupon.percent_off_bps = static_cast<int>(coupons->Int64(row, 1));
    coupon.active = coupons->Bool(row, 2);
    if (!coupons->IsNull(row, 3)) coupon.valid_from_ms = coupons->Int64(row, 3);
    if (!coupons->IsNull(row, 4)) coupon.valid_until_ms = coupons->Int64(row, 4);
    loaded_coupons.emplace(std::string(coupons->Text(row, 0)), coupon);
  }
  std::unordered_map<std::string, int> loaded_referrals;
  for (int row = 0; row < referrals->size(); ++row) {
    loaded_referrals.emplace(std::string(referrals->Text(row, 0)),
                             static_cast<int>(referrals->Int64(row, 1)));
  }
  coupons_ = std::move(loaded_coupons);
  referral_codes_ = std::move(loaded_referrals);
  loaded_ = true;
  log::Info("discounts loaded",
            {{"coupons", coupons_.size()}, {"referral_codes", referral_codes_.size()}});
  co_return Result<void>{};
}

}  // namespace codezero::api
