// Orders in PostgreSQL: created from a priced quote (once per user and Idempotency-Key),
// linked to their Checkout Session, and moved through their life (domain/order_status.h) with
// every move recorded. Shared by the API (checkout, early confirmation) and the worker (Stripe
// events), so both make the same moves with the same side effects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "domain/order_status.h"
#include "domain/pricing.h"

namespace codezero::orders {

struct NewOrder {
  std::string company_id;
  std::string created_by;
  std::string idempotency_key;
  std::string request_digest;
  std::string quote_id;
  std::optional<std::string> vat_id;
  domain::PricedQuote quote;
  domain::CustomerType customer_type = domain::CustomerType::kBusiness;
  bool terms_accepted = false;               // the buyer ticked the terms
  bool early_performance_requested = false;  // a consumer asked to start at once
};

struct OrderRef {
  std::string id;
  bool created = false;  // false: the key had an order already
  std::string request_digest;
  domain::OrderStatus status = domain::OrderStatus::kAwaitingPayment;
  std::optional<std::string> checkout_session;
  std::optional<std::string> checkout_url;
  std::int64_t created_at = 0;  // Unix seconds
};

// Inserts the order with its lines and first history entry (`awaiting_payment`, cause
// "checkout_requested"), or returns the order this user already made with this key.
[[nodiscard]] boost::asio::awaitable<Result<OrderRef>> CreateOrFind(db::Pool& database,
                                                                    NewOrder order);

[[nodiscard]] boost::asio::awaitable<Result<void>> AttachCheckoutSession(db::Pool& database,
                                                                         std::string order_id,
                                                                         std::string session_id,
                                                                         std::string url,
                                                                         std::int64_t expires_at);

// Moves the order from `from` to `to` and records why; false (and nothing written) when the
// order is not in `from` any more, which makes a repeated or stale event harmless. Moving to
// `paid` also enqueues `order.provision` (unique per order) in the same transaction.
// REQUIRES: domain::CanMove(from, to).
[[nodiscard]] boost::asio::awaitable<Result<bool>> Move(db::Transaction& tx, std::string order_id,
                                                        domain::OrderStatus from,
                                                        domain::OrderStatus to, std::string cause,
                                                        std::string stripe_event = "");

// Provisioning's two moves (worker/jobs/order_provision.cpp): `paid` → `provisioning` when the
// work starts, `provisioning` → `active` when the workspace exists. Every other move belongs to
// the billing layer (billing/), the only other caller of Move.
[[nodiscard]] boost::asio::awaitable<Result<bool>> StartProvisioning(db::Transaction& tx,
                                                                     std::string order_id);
[[nodiscard]] boost::asio::awaitable<Result<bool>> FinishProvisioning(db::Transaction& tx,
                                                                      std::string order_id);

}  // namespace codezero::orders
