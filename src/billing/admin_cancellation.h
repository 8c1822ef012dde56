// Staff end a subscription at once (POST /v1/admin/subscriptions/{id}/cancel), with a choice of
// refund: none, the unused part of the last paid invoice (to the second, as prorations are), or
// all of it. The subscription is deleted at Stripe (no proration credit: the refund, if any,
// returns money to the card instead), then the refund is made on the invoice's payment; Stripe's
// events end the order and workspace as for any ended or refunded subscription.
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::billing {

enum class RefundChoice { kNone, kProrated, kFull };

struct ImmediateCancellation {
  std::int64_t refunded = 0;  // cents
  std::string currency;
};

// `subscription`: the public id. kNotFound for none; kConflict when it has ended already here.
// A second call before Stripe's event has ended it here refunds nothing more: the amount
// counts from Stripe's end of the subscription and the refund has one key per subscription.
[[nodiscard]] boost::asio::awaitable<Result<ImmediateCancellation>> CancelImmediately(
    db::Pool& database, stripe::Client& stripe, std::string subscription, RefundChoice refund);

}  // namespace codezero::billing
