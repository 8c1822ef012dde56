// The customer ends or keeps their subscription (§ 312k BGB): a cancellation takes effect at the
// end of the paid period, and may be taken back before then.
//
// The declaration is recorded here first, in one transaction with its confirmation e-mail (date
// and time of receipt, the end date) and a `stripe.follow_cancellation` job: a Stripe outage
// loses nothing, and the customer's confirmation does not wait for Stripe. The job then makes
// Stripe's `cancel_at_period_end` follow what is recorded (FollowCancellation); Stripe's
// customer.subscription.updated event stores the result as for any change.
#pragma once

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::billing {

// Who declared a cancellation, when, and of which kind (§ 312k(2) BGB asks for the kind).
struct CancellationDeclaration {
  std::string user_id;
  // When it was received (a timestamptz as PostgreSQL writes it): the moment the public page's
  // button was pressed, confirmed later by e-mail link. Now when absent.
  std::optional<std::string> received_at;
  // Extraordinary (for cause): recorded with its reason and confirmed as such; the contract
  // then ends at the period's end in any case (the cause is for a person to judge).
  bool extraordinary = false;
  std::string reason;
};

// `subscription`: the public id (subscriptions.id) of one of `company_id`'s subscriptions.
// True when the declaration was recorded now; false when it was so already (nothing is sent
// again). kNotFound: no such subscription of the company; kConflict: it has ended already.
[[nodiscard]] boost::asio::awaitable<Result<bool>> RequestCancellation(db::Pool& database,
                                                                       std::string company_id,
                                                                       std::string subscription,
                                                                       std::string user_id);
// The same within `tx`, for a use case that records more with it.
[[nodiscard]] boost::asio::awaitable<Result<bool>> RequestCancellation(
    db::Transaction& tx, std::string company_id, std::string subscription,
    CancellationDeclaration declaration);
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
