// Stripe's events, recorded and applied:
//
// - RecordStripeEvent stores an event and queues its `stripe.process_event` job in one
//   statement (one round trip, one implicit transaction: the job exists if and only if the
//   event was stored now). The webhook endpoint and the reconciliation's recovery of missed
//   events both use it.
// - ApplyStripeEvent applies one stored event to local state and marks it processed, in one
//   transaction:
//   - checkout.session.* → the order's checkout outcome (checkout_outcome.h);
//   - customer.subscription.created | updated | deleted → the subscription, fetched fresh from
//     Stripe, is stored, and the order and workspace follow it (order_sync.h);
//   - invoice.created | finalized | paid | payment_failed | voided → the invoice, fetched
//     fresh, is stored and the order follows; a failed payment sends the dunning e-mail (once
//     per attempt); a renewal draft gets its own order's tax note (invoice_notes.h);
//   - charge.refunded → a full refund ends the order (refund.h);
//   - invoice.upcoming (a preview without an id) → nothing; invoice.deleted → a stored draft
//     is removed. An event naming an object Stripe does not have (any more) is recorded with a
//     warning instead of being retried until it is discarded.
//   Events arrive in any order and more than once: order moves only happen from the status
//   they expect, and stored objects are never older than what is stored (stripe_records.h).
//   An event rendered in another API version than the one this code reads (stripe/client.h,
//   kApiVersion) is logged as an error and its payload is not read, since its objects may have
//   another shape: the objects it names are fetched in our version and applied from there.
//   Refusing it would lose it for good (its id is stored, so a second copy is a duplicate).
//   `codezero stripe setup` creates the webhook endpoint with the pinned version.
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::billing {

struct StripeEventHead {
  std::string id;  // evt_...
  std::string type;
  std::int64_t created = 0;  // Unix seconds
  bool livemode = false;
};

// True when the event was new (stored and queued now); false for one stored before.
[[nodiscard]] boost::asio::awaitable<Result<bool>> RecordStripeEvent(db::Pool& database,
                                                                     const StripeEventHead& head,
                                                                     std::string payload,
                                                                     std::string traceparent);

struct EventOutcome {
  enum class Kind {
    kApplied,  // local state follows the event
    kIgnored,  // nothing to apply (a type we do not use, a preview, an object Stripe lost)
    kRefused,  // not applicable and never will be: `reason` says why
  };
  Kind kind = Kind::kApplied;
  std::string reason;
};

// Errors are worth a retry (Stripe or the database unreachable); a refusal is not.
[[nodiscard]] boost::asio::awaitable<Result<EventOutcome>> ApplyStripeEvent(
    db::Pool& database, stripe::Client& stripe, std::string event_id, std::string traceparent);

}  // namespace codezero::billing
