#include "billing/tax_rates.h"

#include "billing/stripe_records.h"
#include "common/log.h"
#include "domain/subscription_state.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kObjectOf{"billing_stripe_object_of",
                                  "SELECT stripe_id FROM stripe_objects WHERE key = $1"};
// Keeps and answers the id stored first. Not DO NOTHING plus a SELECT in the same statement:
// when a concurrent insert of the key commits while this one waits for it, that SELECT's
// snapshot, taken before, does not see the row, and the statement answered nothing. DO UPDATE
// locks the committed row and returns it.
constexpr db::Statement kStoreObject{
    "billing_stripe_store_object",
    "INSERT INTO stripe_objects (key, stripe_id) VALUES ($1, $2) "
    "ON CONFLICT (key) DO UPDATE SET stripe_id = stripe_objects.stripe_id RETURNING stripe_id"};

// Running subscriptions with a rate to follow, and the rate each is charged now.
constexpr db::Statement kTaxedSubscriptions{
    "billing_taxed_subscriptions",
    "SELECT s.stripe_id, o.tax_treatment, o.tax_country, "
    "  coalesce(s.tax_rate_bps, o.tax_rate_bps), "
    "  extract(epoch FROM s.current_period_end)::bigint, o.billing_interval "
    "FROM subscriptions s JOIN orders o ON o.id = s.order_id "
    "WHERE s.status IN ('active', 'trialing', 'past_due', 'unpaid') "
    "AND o.tax_treatment IN ('standard', 'oss') AND s.current_period_end IS NOT NULL "
    "ORDER BY s.stripe_id"};
constexpr db::Statement kRecordRate{
    "billing_subscription_tax_rate",
    "UPDATE subscriptions SET tax_rate_bps = $2 WHERE stripe_id = $1"};

struct Taxed {
  std::string subscription;
  std::string treatment;
  std::string country;
  int rate_bps = 0;
  std::int64_t renews_at = 0;  // Unix seconds
  std::string interval;        // month | year
};

// True when the rate was changed; false for a subscription that has ended at Stripe.
asio::awaitable<Result<bool>> ChangeRate(db::Pool& database, stripe::Client& stripe,
                                         const Taxed& taxed, int due_bps) {
  stripe::TaxRateRequest request;
  request.rate_bps = due_bps;
  request.treatment = taxed.treatment;
  request.country = taxed.country;
  request.display_name = taxed.country == "DE" ? "USt." : "VAT";
  auto rate = co_await TaxRateId(database, stripe, std::move(request));
  if (!rate) co_return tl::unexpected(rate.error());
  auto fetched = co_await FetchObject(stripe, "/v1/subscriptions", taxed.subscription);
  if (!fetched) co_return tl::unexpected(fetched.error());
  const stripe::Subscription subscription = stripe::DecodeSubscription(*fetched);
  if (domain::HasEnded(subscription.status)) {
    co_return false;  // ended at Stripe: nothing renews; its event brings it here
  }
  stripe::FormFields fields{{"proration_behavior", "none"}};
  for (std::size_t i = 0; i < subscription.items.size(); ++i) {
    const std::string item = "items[" + std::to_string(i) + "]";
    fields.emplace_back(item + "[id]", subscription.items[i].id);
    fields.emplace_back(item + "[tax_rates][0]", *rate);
  }
  auto updated = co_await stripe.Post(
      "/v1/subscriptions/" + taxed.subscription, std::move(fields),
      "subscription:" + taxed.subscription + ":vat_rate:" + std::to_string(due_bps));
  if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
  auto recorded = co_await database.Execute(kRecordRate, taxed.subscription, due_bps);
  if (!recorded) co_return tl::unexpected(recorded.error());
  log::Warn("VAT rate of a running subscription changed before its renewal",
            {{"subscription", taxed.subscription},
             {"country", taxed.country},
             {"treatment", taxed.treatment},
             {"from_bps", taxed.rate_bps},
             {"to_bps", due_bps},
             {"renews_at", taxed.renews_at}});
  co_return true;
}

}  // namespace

std::chrono::sys_days DayTheNextPeriodEnds(std::int64_t renews_at, const std::string& interval) {
  const auto renewal = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(renews_at)));
  std::chrono::year_month_day end{renewal};
  end = interval == "year" ? end + std::chrono::years(1) : end + std::chrono::months(1);
  if (!end.ok()) end = end.year() / end.month() / std::chrono::last;  // 31 Jan + 1 month
  return std::chrono::sys_days(end);
}

asio::awaitable<Result<std::string>> TaxRateId(db::Pool& database, stripe::Client& stripe,
                                               stripe::TaxRateRequest rate) {
  const std::string key = stripe::TaxRateKey(rate);
  auto stored = co_await database.Execute(kObjectOf, key);
  if (!stored) co_return tl::unexpected(stored.error());
  if (stored->empty()) {
    auto created = co_await stripe.Post("/v1/tax_rates", stripe::TaxRateFields(rate), key);
    if (!created) co_return tl::unexpected(stripe::ToError(created.error()));
    const std::string id = stripe::StringOf(*created, "id");
    if (id.empty()) co_return Fail(ErrorCode::kInternal, "stripe tax rate without an id");
    stored = co_await database.Execute(kStoreObject, key, id);
    if (!stored) co_return tl::unexpected(stored.error());
    if (stored->empty()) co_return Fail(ErrorCode::kInternal, "stored tax rate without an id");
  }
  co_return std::string(stored->Text(0, 0));
}

asio::awaitable<Result<int>> FollowVatRateChanges(db::Pool& database, stripe::Client& stripe,
                                                  const domain::VatRates& rates) {
  auto rows = co_await database.Execute(kTaxedSubscriptions);
  if (!rows) co_return tl::unexpected(rows.error());
  int changed = 0;
  int failed = 0;
  for (int row = 0; row < rows->size(); ++row) {
    Taxed taxed;
    taxed.subscription = std::string(rows->Text(row, 0));
    taxed.treatment = std::string(rows->Text(row, 1));
    taxed.country = std::string(rows->Text(row, 2));
    taxed.rate_bps = static_cast<int>(rows->Int64(row, 3));
    taxed.renews_at = rows->Int64(row, 4);
    taxed.interval = std::string(rows->Text(row, 5));
    const std::optional<int> due =
        rates.StandardRate(taxed.country, DayTheNextPeriodEnds(taxed.renews_at, taxed.interval));
    if (!due || *due == taxed.rate_bps) continue;
    // One subscription that cannot be changed now must not hold up the others.
    auto done = co_await ChangeRate(database, stripe, taxed, *due);
    if (!done) {
      ++failed;
      log::Error("VAT rate of a running subscription not changed",
                 {{"subscription", taxed.subscription}, {"reason", done.error().reason}});
      continue;
    }
    if (*done) ++changed;
  }
  if (failed > 0) {
    co_return Fail(ErrorCode::kUnavailable, "some subscriptions keep their old VAT rate",
                   std::to_string(failed) + " failed, " + std::to_string(changed) + " changed");
  }
  co_return changed;
}

}  // namespace codezero::billing
