// The Stripe customer follows its company: the checkout brings it up to date before each
// payment (stripe_objects.h), and a change of the company between checkouts (PATCH
// /v1/company: name, billing address, VAT ID) is carried to Stripe by a
// `stripe.sync_customer` job, so that the next invoice, a renewal included, prints what the
// company says now. The tax status and the invoice footer are a checkout's (they follow the
// treatment of what was bought) and are not changed here. The e-mail address is the last
// buyer's until that person leaves the company or erases their account; then it is the owner's
// (left as it is while the company has no live owner). A closed company's customer keeps no
// name, e-mail address, billing address or tax ID.
#pragma once

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"
#include "stripe/requests.h"

namespace codezero::billing {

// In `tx`: queues the sync of the company's Stripe customer, after a change of the company, its
// closure, or a member's leaving or erasure. A company without a customer has nothing at
// Stripe to follow it, and gets no job.
[[nodiscard]] boost::asio::awaitable<Result<void>> EnqueueCustomerSync(db::Transaction& tx,
                                                                       std::string company_id);

// Updates the company's Stripe customer to the company's current name, address and VAT ID (and
// e-mail address, see above), or redacts it once the company is closed. `operation` names this
// sync in idempotency keys (a retry of it replays). False when the company has no Stripe
// customer (or does not exist).
[[nodiscard]] boost::asio::awaitable<Result<bool>> SyncCustomerWithCompany(db::Pool& database,
                                                                           stripe::Client& stripe,
                                                                           std::string company_id,
                                                                           std::string operation);

// The customer's tax IDs made exactly `wanted` (or none): the one wanted stays (or is added),
// any other is deleted. Stripe cannot change a tax ID in place
// (https://docs.stripe.com/api/tax_ids). `operation` keys the creation.
[[nodiscard]] boost::asio::awaitable<Result<void>> SyncCustomerTaxId(
    stripe::Client& stripe, std::string customer_id,
    std::optional<stripe::CustomerRequest::TaxId> wanted, std::string operation);

}  // namespace codezero::billing
