// Each event loop's copy of the coupons and referral codes, so that POST /v1/quotes decides a
// discount without a database round trip. Loaded when the loop starts and again whenever
// PostgreSQL says the tables changed (LISTEN codezero_discounts; a statement trigger NOTIFYs at
// commit, migration 0011) or the listening connection was re-established (a change may have
// been missed meanwhile); a load that fails is tried again every second. A coupon's dates are
// compared at each quote, so one that ends needs no reload. Checkout still asks the database
// (ResolveDiscount): the truth when buying.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "api/discount_lookup.h"
#include "db/listener.h"
#include "db/pool.h"

namespace codezero::api {

class DiscountCache {
 public:
  DiscountCache(boost::asio::any_io_executor executor, db::Pool& database,
                db::ConnectOptions listen);

  // What the codes give, decided from the copy; nullopt until a copy was loaded (the caller
  // asks the database then).
  [[nodiscard]] std::optional<DiscountOutcome> Resolve(
      const std::optional<std::string>& coupon, const std::optional<std::string>& referral_code,
      std::chrono::system_clock::time_point now) const;

  // Starts listening (and so loading); Close() stops it.
  void Start();
  void Close();

 private:
  struct Coupon {
    int percent_off_bps = 0;
    bool active = false;
    std::optional<std::int64_t> valid_from_ms;  // Unix milliseconds
    std::optional<std::int64_t> valid_until_ms;
  };

  boost::asio::awaitable<void> Run();
  boost::asio::awaitable<Result<void>> Load();

  boost::asio::any_io_executor executor_;
  db::Pool& database_;
  db::NotificationListener listener_;
  bool closed_ = false;
  bool loaded_ = false;
  std::unordered_map<std::string, Coupon> coupons_;
  std::unordered_map<std::string, int> referral_codes_;  // the active ones
};

}  // namespace codezero::api
