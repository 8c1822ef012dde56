// The reconciliation (`billing.reconcile`, periodic, hourly by default): compares local billing
// state with Stripe and repairs what drifted, logging each repair:
//
// 1. events: Stripe's events since the watermark (minus five minutes of overlap) that never
//    reached us (a dropped webhook) are stored and their jobs enqueued, exactly as the webhook
//    endpoint would have (RecordStripeEvent);
// 2. invoices: Stripe's invoices created since the watermark that are missing locally or differ
//    (status, amount paid) are stored fresh, and their orders follow;
// 3. subscriptions whose period should have renewed by now are fetched fresh;
// 4. orders still `awaiting_payment` after their Checkout Session expired are settled with what
//    Stripe says of the session (expired, or paid after all).
//
// The watermark (worker_state) advances only when a run completes, to the end of the window it
// read in full.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::billing {

// The number of repairs made. `traceparent` joins the run's writes to its trace.
[[nodiscard]] boost::asio::awaitable<Result<int>> Reconcile(db::Pool& database,
                                                            stripe::Client& stripe,
                                                            std::string traceparent);

}  // namespace codezero::billing
