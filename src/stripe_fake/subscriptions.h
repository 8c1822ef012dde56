// Subscriptions: created by a paid Checkout Session, updated (quantities, prices, items) with
// prorations, canceled now or at period end, renewed at period end, and dunned when a renewal
// fails. `RunDue` is the engine: it performs everything due on one clock up to a time, in
// order (renewals, retries of failed renewals, ends at period end).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "stripe_fake/core.h"
#include "stripe_fake/errors.h"

namespace codezero::stripe_fake {

// `start` plus `months` calendar months, the day clamped to the month's end (Jan 31 + 1 month
// = Feb 28/29), time of day kept.
[[nodiscard]] std::int64_t AddMonths(std::int64_t start, std::int64_t months);

// The end of a period that begins `periods` intervals after `anchor`.
[[nodiscard]] std::int64_t PeriodBoundary(std::int64_t anchor, const std::string& interval,
                                          std::int64_t periods);

struct NewSubscriptionItem {
  std::string price;
  std::int64_t quantity = 1;
  std::vector<std::string> tax_rates;
};

struct NewSubscription {
  std::string customer;
  std::vector<NewSubscriptionItem> items;
  boost::json::object metadata;
  std::string default_payment_method;
  std::string coupon;  // "" for none
  std::string checkout_session;
  std::int64_t now = 0;
};

// Creates an active subscription (no invoice); emits customer.subscription.created.
std::string CreateSubscription(Core& core, const NewSubscription& request);

// The subscription's discount (di_) while its coupon still applies to the next invoice.
[[nodiscard]] std::string ActiveDiscount(Core& core, const std::string& subscription_id);
// Counts one invoice against the coupon's duration.
void UseDiscount(Core& core, const std::string& subscription_id);

struct ItemChange {
  std::string id;  // empty: a new item
  std::string price;
  std::optional<std::int64_t> quantity;
  bool deleted = false;
  std::optional<std::vector<std::string>> tax_rates;
};

struct SubscriptionChange {
  std::vector<ItemChange> items;
  std::string proration_behavior = "create_prorations";  // always_invoice, none
  // Prorate as if updated at this time (within the current period), e.g. the time a preview
  // used, so the prorations equal it; now when absent.
  std::optional<std::int64_t> proration_date;
  std::optional<bool> cancel_at_period_end;
  const boost::json::value* metadata = nullptr;
  std::string default_payment_method;
};

[[nodiscard]] Outcome<void> UpdateSubscription(Core& core, const std::string& id,
                                               const SubscriptionChange& change);

[[nodiscard]] Outcome<void> CancelSubscription(Core& core, const std::string& id, bool invoice_now,
                                               bool prorate, const std::string& reason);

// Retries the subscription's open invoice now with its (new) default payment method.
void RetryOpenInvoices(Core& core, const std::string& subscription_id);

// A renewal's draft invoice is finalized and charged this long after it is created, as Stripe
// does (https://docs.stripe.com/billing/subscriptions/overview: about an hour after
// invoice.created).
inline constexpr std::int64_t kDraftSeconds = 3600;
// invoice.upcoming is sent this many days before a renewal (Stripe's Dashboard setting for
// upcoming renewal events; the stand-in's fixed choice).
inline constexpr std::int64_t kUpcomingDays = 3;

// Performs everything due on `clock_id` ("" = the wall clock) up to `until`, in order:
// invoice.upcoming kUpcomingDays before a renewal, the renewal's draft at the period's end,
// its finalization and charge kDraftSeconds later, and payment retries. For a test clock, its
// frozen_time steps through each due moment.
void RunDue(Core& core, const std::string& clock_id, std::int64_t until);

// After a first invoice's payment settled (SEPA) or failed.
void AfterInvoicePayment(Core& core, const std::string& invoice_id, bool succeeded,
                         std::int64_t now);

}  // namespace codezero::stripe_fake
