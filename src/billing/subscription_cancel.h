// Ending a Stripe subscription when its order or its company ends here: the first use case of
// the billing layer (issue 13). Only the request is recorded, in the caller's transaction; the
// worker's `stripe.cancel_subscription` job (worker/jobs/stripe_cancel_subscription.cpp) makes the
// call, so a crash or an outage of Stripe loses nothing and a repeat does nothing twice.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"

namespace codezero::billing {

// `at_period_end`: false ends it now (a full refund), true at the end of the paid period (a
// closed company). `cause` is recorded at Stripe ("refund", "company_closed").
[[nodiscard]] boost::asio::awaitable<Result<void>> EnqueueSubscriptionCancel(
    db::Transaction& tx, std::string subscription, bool at_period_end, std::string cause);

}  // namespace codezero::billing
