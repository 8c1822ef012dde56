// Stripe's tax rates and the rates the law sets:
//
// - TaxRateId: the Stripe tax rate for a treatment, country and rate, created once per account
//   and remembered (table stripe_objects, key stripe::TaxRateKey), shared by the checkout and
//   the job below.
// - FollowVatRateChanges (`billing.follow_vat_rates`, daily): a subscription is a service in
//   periods, each taxed at the rate in force when it is complete (§ 27 (1) UStG). When the dated
//   rate table (catalog/vat-rates.json) gives a running subscription's country another standard
//   rate on the day the period its next renewal pays for ends than the one it is charged now, the
//   subscription's items get the new rate at Stripe before that renewal (no proration: a rate is no
//   price change), and the change is logged and remembered (subscriptions.tax_rate_bps). Only
//   standard German VAT and OSS have a rate to follow; reverse charge and not taxable stay at 0.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "domain/vat_rates.h"
#include "stripe/client.h"
#include "stripe/requests.h"

namespace codezero::billing {

[[nodiscard]] boost::asio::awaitable<Result<std::string>> TaxRateId(db::Pool& database,
                                                                    stripe::Client& stripe,
                                                                    stripe::TaxRateRequest rate);

// The day (UTC) the period a renewal at `renews_at` (Unix seconds) pays for ends, `interval`
// "month" or "year": the day that period's service is complete, whose rate applies to it.
[[nodiscard]] std::chrono::sys_days DayTheNextPeriodEnds(std::int64_t renews_at,
                                                         const std::string& interval);

// The number of subscriptions whose rate was changed. Every subscription is tried; when some
// could not be changed, an error after all were tried (the job is retried; those changed are
// then skipped).
[[nodiscard]] boost::asio::awaitable<Result<int>> FollowVatRateChanges(
    db::Pool& database, stripe::Client& stripe, const domain::VatRates& rates);

}  // namespace codezero::billing
