// The customer changes a running subscription: plan, add-ons, quantities and interval
// (domain/subscription_change.h for the arithmetic). A new interval starts a new period at
// once, as at Stripe: the unused time credited, the new period charged. A change that raises the
// recurring price takes effect at once and its prorations are invoiced and charged at once
// (Stripe's `always_invoice`); one that lowers it takes effect at the period's end (recorded
// here, made at Stripe by the `subscription.apply_change` job shortly before the renewal), or
// at once when asked ("when":"now"), its credit then going to the next invoice
// (`create_prorations`). A preview and the change it previews use one proration time
// (`proration_date`), so the amounts are the same to the cent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "domain/locale.h"
#include "domain/quote_request.h"
#include "domain/subscription_change.h"
#include "stripe/client.h"

namespace codezero::billing {

struct ChangeRequest {
  std::string company_id;
  std::string subscription;                    // the public id
  std::optional<std::string> plan;             // absent: the plan it has
  std::optional<std::string> interval;         // absent or its own: the interval cannot change yet
  std::vector<domain::AddonSelection> addons;  // every add-on wanted, with its quantity
  std::string when;                            // "", "now" or "period_end"
  std::optional<std::int64_t> proration_date;  // a preview's; now when absent
  domain::Locale locale = domain::Locale::kDe;
};

struct ChangePreview {
  std::string effective;  // "now" | "period_end"
  std::string interval;   // the interval billed afterwards: "month" | "year"
  std::int64_t proration_date = 0;
  std::int64_t period_end = 0;
  std::string currency;
  int tax_rate_bps = 0;
  domain::SubscriptionChange change;
  std::int64_t amount_due = 0;  // charged now (after the customer's credit balance)
  std::int64_t credit = 0;      // left on the customer's balance for later invoices
};

// kValidationFailed with the catalog's rules as violations; kNotFound for another company's
// subscription; kConflict for one that is not running.
[[nodiscard]] boost::asio::awaitable<Result<ChangePreview>> PreviewChange(db::Pool& database,
                                                                          stripe::Client& stripe,
                                                                          ChangeRequest request);

// Carries the change out (at once), or records it for the period's end. `operation` keys the
// Stripe call (the client's idempotency key), so a retry replays instead of changing twice.
[[nodiscard]] boost::asio::awaitable<Result<ChangePreview>> ApplyChange(db::Pool& database,
                                                                        stripe::Client& stripe,
                                                                        ChangeRequest request,
                                                                        std::string operation);

// The `subscription.apply_change` job: makes a change recorded for the period's end at Stripe
// (no prorations). True when there was one to make.
[[nodiscard]] boost::asio::awaitable<Result<bool>> ApplyScheduledChange(db::Pool& database,
                                                                        stripe::Client& stripe,
                                                                        std::string stripe_id);

}  // namespace codezero::billing
