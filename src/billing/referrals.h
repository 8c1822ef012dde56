// Referrals as money (docs/pricing.md, "Referrals"): an order placed with a company's referral
// code is, once paid, a redemption: refused with its reason (domain/referral.h), or held for the
// catalog's holding period and then credited to the referrer's Stripe customer balance as a
// negative customer balance transaction, which Stripe takes off the referrer's next invoices.
// A refund of the referee's order before the credit refuses it, after the credit reverses it.
// Each credit and reversal is one job with a unique key and one Stripe idempotency key: it
// happens once however often the job runs.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::billing {

// In the transaction that moves `order_id` to paid: records its redemption, if it was placed
// with a company's referral code, and queues the credit for the end of the holding period.
[[nodiscard]] boost::asio::awaitable<Result<void>> RecordReferral(db::Transaction& tx,
                                                                  std::string order_id);

// In the transaction that moves `order_id` to refunded: a held redemption is refused
// ("refunded"); a credited one is reversed by a job.
[[nodiscard]] boost::asio::awaitable<Result<void>> WithdrawReferral(db::Transaction& tx,
                                                                    std::string order_id);

// The job `referral.credit` {"redemption"}: credits a held redemption whose holding period has
// ended, unless the referee's order was refunded or cancelled meanwhile (then refused). Returns
// the seconds still to wait when the period has not ended (0: done).
[[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> CreditReferral(db::Pool& database,
                                                                          stripe::Client& stripe,
                                                                          std::string redemption);

// The job `referral.reverse` {"redemption"}: takes a credit back from the referrer's balance.
[[nodiscard]] boost::asio::awaitable<Result<void>> ReverseReferral(db::Pool& database,
                                                                   stripe::Client& stripe,
                                                                   std::string redemption);

// In `tx`: a platform admin voids a held or credited redemption (a credited one is reversed by
// a job). False when there is no such redemption in either state.
[[nodiscard]] boost::asio::awaitable<Result<bool>> VoidReferral(db::Transaction& tx,
                                                                std::string redemption,
                                                                std::string admin_id);

}  // namespace codezero::billing
