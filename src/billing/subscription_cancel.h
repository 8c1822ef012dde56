// Ending a Stripe subscription when its order or its company ends here. Only the request is
// recorded, in the caller's transaction (EnqueueSubscriptionCancel); the worker's
// `stripe.cancel_subscription` job makes the call (CancelAtStripe), so a crash or an outage of
// Stripe loses nothing and a repeat does nothing twice.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::billing {

// `at_period_end`: false ends it now (a full refund), true at the end of the paid period (a
// closed company). `cause` is recorded at Stripe ("refund", "company_closed").
[[nodiscard]] boost::asio::awaitable<Result<void>> EnqueueSubscriptionCancel(
    db::Transaction& tx, std::string subscription, bool at_period_end, std::string cause);

// Ends the subscription at Stripe: at once (`DELETE`, no proration: the refund returned the
// money) or at the end of the paid period (`cancel_at_period_end=true`). A subscription Stripe
// no longer has, or has ended or set to end already, is done. True when Stripe was changed.
[[nodiscard]] boost::asio::awaitable<Result<bool>> CancelAtStripe(stripe::Client& stripe,
                                                                  std::string subscription,
                                                                  bool at_period_end,
                                                                  std::string cause);

}  // namespace codezero::billing
