// An order and its workspace following the newest stored subscription of the order: the
// subscription's status decides the order's and the workspace's (domain/subscription_state.h),
// and a running subscription's items decide the workspace's entitlements (a portal quantity
// change, say). The e-mails that go with a change are queued once each.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"

namespace codezero::billing {

// `cause` (an event type, "billing.reconcile") and `stripe_event` (may be empty) are recorded
// with each move.
[[nodiscard]] boost::asio::awaitable<Result<void>> SyncOrder(db::Transaction& tx,
                                                             std::string order_id,
                                                             std::string cause,
                                                             std::string stripe_event);

}  // namespace codezero::billing
