// Keeping local billing state in step with Stripe, shared by the Stripe event job, the
// reconciliation and provisioning:
//
// - a subscription or invoice is stored as Stripe's *current* object (fetched, not taken from
//   the event), stamped with the time it was fetched, and never replaced by an older fetch:
//   events arriving late, twice or out of order therefore cannot roll state back;
// - SyncOrder then derives the order's and the workspace's status from the stored
//   subscription (past due, active again, canceled) and updates the entitlements when the
//   subscription's items changed, sending the e-mails that go with it (once each).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "domain/catalog.h"
#include "domain/locale.h"
#include "stripe/client.h"

namespace codezero::worker {

// Milliseconds since the epoch: the version of an object fetched now.
[[nodiscard]] std::int64_t FetchVersion();

// GET <collection>/<id> ("/v1/invoices", "in_..."): kUnavailable when Stripe cannot be reached;
// kNotFound when Stripe has no such object (deleted, or never there) or `id` is empty, which
// no retry changes. Never asks Stripe for an empty id (that would list the collection).
[[nodiscard]] boost::asio::awaitable<Result<boost::json::object>> FetchObject(
    stripe::Client& stripe, std::string_view collection, std::string id);

// Stores the subscription unless a newer version is stored; returns its order id (empty when
// its metadata names no order of ours) and whether it was stored.
struct Stored {
  bool applied = false;
  std::string order_id;
};
[[nodiscard]] boost::asio::awaitable<Result<Stored>> StoreSubscription(
    db::Transaction& tx, boost::json::object subscription, std::int64_t version);
// The same for an invoice; its order comes from its subscription (stored, or `order_hint`).
[[nodiscard]] boost::asio::awaitable<Result<Stored>> StoreInvoice(db::Transaction& tx,
                                                                  boost::json::object invoice,
                                                                  std::int64_t version,
                                                                  std::string order_hint);

// Queues a `provisioning.notify` for a workspace that changed (in `tx`). One per change, no
// unique key: the job sends the state current when it runs, and only if it is newer than what
// the endpoint acknowledged (provisioning_notices), so none is lost and none repeated.
[[nodiscard]] boost::asio::awaitable<Result<void>> EnqueueProvisioningNotice(
    db::Transaction& tx, std::string workspace_id);

// Moves the order and its workspace to match the newest stored subscription of the order, and
// updates the workspace's entitlements to its items. `cause` is recorded with each move.
[[nodiscard]] boost::asio::awaitable<Result<void>> SyncOrder(db::Transaction& tx,
                                                             std::string order_id,
                                                             std::string cause,
                                                             std::string stripe_event);

// The company's owner, to whom billing e-mails go.
struct Recipient {
  std::string email;
  std::string user_id;
  std::string locale;  // "de" | "en"
  std::string company;
};
[[nodiscard]] boost::asio::awaitable<Result<std::optional<Recipient>>> OwnerOf(
    db::Transaction& tx, std::string company_id);

[[nodiscard]] boost::asio::awaitable<Result<domain::Catalog>> LoadCatalog(db::Transaction& tx,
                                                                          int version);

// "codezero_team" -> "team"; empty for a product that is not ours.
[[nodiscard]] std::string CatalogCodeOf(std::string_view product_id);

// Member `name` of `object` as a string / integer; empty / nullopt when absent or null.
[[nodiscard]] std::string StringOf(const boost::json::object& object, std::string_view name);
[[nodiscard]] std::optional<std::int64_t> IntOf(const boost::json::object& object,
                                                std::string_view name);

}  // namespace codezero::worker
