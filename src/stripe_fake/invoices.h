// Invoices: built from lines (subscription items and pending invoice items), with amounts by
// amounts.h, finalized with the customer's next number (PREFIX-0001), paid from a payment
// method, voided, marked uncollectible. Also the pending invoice items (ii_) that prorations
// leave for the next invoice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stripe_fake/core.h"
#include "stripe_fake/errors.h"
#include "stripe_fake/payments.h"

namespace codezero::stripe_fake {

struct InvoiceLineDraft {
  std::string type = "subscription";  // or "invoiceitem"
  std::string price;                  // price id
  std::int64_t quantity = 1;
  std::int64_t amount = 0;  // before discount and tax
  std::vector<std::string> tax_rates;
  std::string description;
  std::int64_t period_start = 0;
  std::int64_t period_end = 0;
  bool proration = false;
  std::string subscription_item;
  std::string invoice_item;  // type "invoiceitem": the ii_ it came from
};

struct InvoiceDraft {
  std::string customer;
  std::string subscription;
  std::string
      billing_reason;  // subscription_create, subscription_cycle, subscription_update, manual
  std::vector<InvoiceLineDraft> lines;
  std::string coupon;    // "" for none
  std::string discount;  // the di_ the coupon comes with
  std::int64_t period_start = 0;
  std::int64_t period_end = 0;
  std::int64_t now = 0;
};

// Creates a draft invoice (emits invoice.created); returns its id.
std::string CreateInvoice(Core& core, const InvoiceDraft& draft);

// Draft → open with a number (or paid at once when nothing is due); emits invoice.finalized.
void FinalizeInvoice(Core& core, const std::string& invoice_id, std::int64_t now);

// Every line of an invoice. The invoice object carries only the first kLinesIncluded of them,
// as Stripe's does ("the first handful"); GET /v1/invoices/{id}/lines pages through all.
inline constexpr std::size_t kLinesIncluded = 10;
[[nodiscard]] const boost::json::array& InvoiceLines(Core& core, const std::string& invoice_id);

// Charges an open invoice with `payment_method` (the subscription's or customer's default when
// empty). On failure: attempt_count, next_payment_attempt (dunning, invoice.payment_failed).
PaymentAttempt PayInvoice(Core& core, const std::string& invoice_id, std::string payment_method,
                          bool off_session, std::int64_t now);

// Marks the invoice paid after its payment intent succeeded.
void MarkInvoicePaid(Core& core, const std::string& invoice_id, std::int64_t now);

// Records a failed attempt (and schedules the next by the dunning schedule).
void RecordFailedAttempt(Core& core, const std::string& invoice_id, std::int64_t now);

[[nodiscard]] ApiResult VoidInvoice(Core& core, const std::string& invoice_id);
void MarkUncollectible(Core& core, const std::string& invoice_id, std::int64_t now);

// Days after the first failed attempt on which a renewal is retried: 3, 5, 7. After the
// last retry fails the invoice is uncollectible and the subscription canceled.
[[nodiscard]] const std::vector<std::int64_t>& DunningScheduleDays();

// A pending invoice item (ii_) for the customer's next invoice; returns its id.
std::string CreatePendingItem(Core& core, const std::string& customer,
                              const std::string& subscription, const InvoiceLineDraft& line,
                              std::int64_t now);

// The customer's pending items (optionally only those of `subscription`), as invoice lines.
[[nodiscard]] std::vector<InvoiceLineDraft> TakePendingItems(Core& core,
                                                             const std::string& customer,
                                                             const std::string& subscription);

}  // namespace codezero::stripe_fake
