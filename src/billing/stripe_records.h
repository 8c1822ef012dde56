// Stripe's subscriptions and invoices as local records (tables `subscriptions`, `invoices`):
//
// - a subscription or invoice is stored as Stripe's *current* object (fetched, not taken from
//   the event), stamped with the time it was fetched, and never replaced by an older fetch:
//   events arriving late, twice or out of order therefore cannot roll state back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"
#include "stripe/objects.h"

namespace codezero::billing {

// Milliseconds since the epoch: the version of an object fetched now.
[[nodiscard]] std::int64_t FetchVersion();

// GET <collection>/<id> ("/v1/invoices", "in_..."): kUnavailable when Stripe cannot be reached;
// kNotFound when Stripe has no such object (deleted, or never there) or `id` is empty, which
// no retry changes. Never asks Stripe for an empty id (that would list the collection).
[[nodiscard]] boost::asio::awaitable<Result<boost::json::object>> FetchObject(
    stripe::Client& stripe, std::string_view collection, std::string id);

// GET /v1/invoices/<id> with every line (the rest listed when Stripe includes only the first
// ten) and its tax rates expanded, so their percentages are known; errors as FetchObject.
[[nodiscard]] boost::asio::awaitable<Result<boost::json::object>> FetchInvoice(
    stripe::Client& stripe, std::string id);

struct Stored {
  bool applied = false;  // false: a newer version was stored already
  std::string order_id;  // empty when the object belongs to no order of ours
};

// Stores the subscription unless a newer version is stored; its order is its metadata's.
[[nodiscard]] boost::asio::awaitable<Result<Stored>> StoreSubscription(
    db::Transaction& tx, const stripe::Subscription& subscription, std::int64_t version);
// The same for an invoice; its order comes from its subscription (stored, or `order_hint`).
[[nodiscard]] boost::asio::awaitable<Result<Stored>> StoreInvoice(db::Transaction& tx,
                                                                  const stripe::Invoice& invoice,
                                                                  std::int64_t version,
                                                                  std::string order_hint);

// Every object of a Stripe list (`path` like "/v1/events", with `filters`), newest first,
// page by page of 100, up to `max_pages`; `complete` is false when that cut the list short or
// a page came without its list.
struct Listed {
  std::vector<boost::json::object> objects;
  bool complete = true;
};
[[nodiscard]] boost::asio::awaitable<Result<Listed>> ListAll(stripe::Client& stripe,
                                                             std::string path,
                                                             stripe::FormFields filters,
                                                             int max_pages);

// The order a subscription at Stripe belongs to (its metadata), fetched; empty when it cannot
// be learned (no subscription, none at Stripe, no order of ours).
[[nodiscard]] boost::asio::awaitable<std::string> OrderOfSubscription(stripe::Client& stripe,
                                                                      std::string subscription);

// "codezero_team" -> "team"; empty for a product that is not ours.
[[nodiscard]] std::string CatalogCodeOf(std::string_view product_id);

}  // namespace codezero::billing
