#include "billing/subscription_cancel.h"

#include "billing/stripe_records.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "domain/subscription_state.h"
#include "queue/enqueue.h"
#include "stripe/objects.h"

namespace codezero::billing {

boost::asio::awaitable<Result<void>> EnqueueSubscriptionCancel(db::Transaction& tx,
                                                               std::string subscription,
                                                               bool at_period_end,
                                                               std::string cause) {
  JsonWriter args(128);
  args.BeginObject();
  args.Member("subscription", subscription);
  args.Member("at_period_end", at_period_end);
  args.Member("cause", cause);
  args.EndObject();
  // One live job per subscription and way of ending; a cancellation at once does not wait for
  // one at the period's end.
  std::string unique_key = std::string(queue::kinds::kStripeCancelSubscription.name) + ":" +
                           subscription + (at_period_end ? ":period_end" : ":now");
  auto queued = co_await queue::Enqueue(tx, queue::kinds::kStripeCancelSubscription,
                                        std::move(args).Take(), std::move(unique_key));
  if (!queued) co_return tl::unexpected(queued.error());
  co_return Result<void>();
}

boost::asio::awaitable<Result<bool>> CancelAtStripe(stripe::Client& stripe,
                                                    std::string subscription, bool at_period_end,
                                                    std::string cause) {
  auto fetched = co_await FetchObject(stripe, "/v1/subscriptions", subscription);
  if (!fetched && fetched.error().code == ErrorCode::kNotFound) {
    log::Warn("subscription to cancel is not at Stripe", {{"subscription", subscription}});
    co_return false;
  }
  if (!fetched) co_return tl::unexpected(fetched.error());
  const stripe::Subscription current = stripe::DecodeSubscription(*fetched);
  if (domain::HasEnded(current.status)) co_return false;
  if (at_period_end) {
    if (current.cancel_at_period_end) co_return false;
    stripe::FormFields fields{{"cancel_at_period_end", "true"},
                              {"metadata[canceled_because]", cause}};
    auto updated = co_await stripe.Post("/v1/subscriptions/" + subscription, std::move(fields),
                                        "subscription:" + subscription + ":cancel_at_end");
    if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
  } else {
    stripe::FormFields fields{{"prorate", "false"}, {"cancellation_details[comment]", cause}};
    auto canceled = co_await stripe.Delete("/v1/subscriptions/" + subscription, std::move(fields));
    if (!canceled) co_return tl::unexpected(stripe::ToError(canceled.error()));
  }
  log::Info("stripe subscription canceled",
            {{"subscription", subscription}, {"at_period_end", at_period_end}, {"cause", cause}});
  co_return true;
}

}  // namespace codezero::billing
