// A charge refunded in full ends what it paid for: the order moves to `refunded` (from paid,
// provisioning or active), its workspace is canceled (and the provisioning endpoint told), and
// its Stripe subscription is canceled at once (stripe.cancel_subscription), so Stripe stops
// charging for it too. A partial refund changes nothing here.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/objects.h"

namespace codezero::billing {

// `order_hint`: the charge's order when Stripe told it (its invoice's subscription's metadata);
// a stored invoice of the charge takes precedence. True when the order moved.
[[nodiscard]] boost::asio::awaitable<Result<bool>> ApplyRefund(db::Transaction& tx,
                                                               const stripe::Charge& charge,
                                                               std::string order_hint,
                                                               std::string cause,
                                                               std::string stripe_event);

}  // namespace codezero::billing
