// The customer ends or keeps their subscription (§ 312k BGB): a cancellation takes effect at the
// end of the paid period, and may be taken back before then.
//
// The declaration is recorded here first, in one transaction with its confirmation e-mail (date
// and time of receipt, the end date) and a `stripe.follow_cancellation` job: a Stripe outage
// loses nothing, and the customer's confirmation does not wait for Stripe. The job then makes
// Stripe's `cancel_at_period_end` follow what is recorded (FollowCancellation); Stripe's
// customer.subscription.updated event stores the result as for any change.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::billing {

// `subscription`: the public id (subscriptions.id) of one of `company_id`'s subscriptions.
// True when the declaration was recorded now; false when it was so already (nothing is sent
// again). kNotFound: no such subscription of the company; kConflict: it has ended already.
[[nodiscard]] boost::asio::awaitable<Result<bool>> RequestCancellation(db::Pool& database,
                                                                       std::string company_id,
                                                                       std::string subscription,
                                                                       std::string user_id);
// Takes the customer's cancellation back. kConflict too when the subscription ends for another
// reason (its company was closed): that is not the customer's to undo.
[[nodiscard]] boost::asio::awaitable<Result<bool>> Resume(db::Pool& database,
                                                          std::string company_id,
                                                          std::string subscription);

// Makes Stripe's cancel_at_period_end match the recorded declaration of the subscription
// (`stripe_id`), again while the declaration changes meanwhile. True when Stripe was changed.
[[nodiscard]] boost::asio::awaitable<Result<bool>> FollowCancellation(db::Pool& database,
                                                                      stripe::Client& stripe,
                                                                      std::string stripe_id);

}  // namespace codezero::billing
