#include "billing/subscription_cancel.h"

#include "common/json_writer.h"
#include "queue/enqueue.h"

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

}  // namespace codezero::billing
