// Stripe's objects as the platform reads them, in the pinned API version (client.h,
// kApiVersion): decoded once here from the JSON Stripe sends, instead of member-by-member
// lookups wherever an object is used. Only the fields the platform reads are decoded; an absent
// or null field takes its type's empty value (Stripe leaves many fields null), so decoding never
// fails. References to other objects are their ids, also when Stripe expanded them.
//
// References: https://docs.stripe.com/api/checkout/sessions/object,
// .../subscriptions/object, .../invoices/object, .../charges/object, .../refunds/object,
// .../customers/object, .../events/object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace codezero::stripe {

// Member `name` of `object` as a string (an expanded object gives its "id"), integer or
// boolean; empty / nullopt / false when absent or null.
[[nodiscard]] std::string StringOf(const boost::json::object& object, std::string_view name);
[[nodiscard]] std::optional<std::int64_t> IntOf(const boost::json::object& object,
                                                std::string_view name);
[[nodiscard]] bool BoolOf(const boost::json::object& object, std::string_view name);
// `metadata[name]`; empty when there is none.
[[nodiscard]] std::string MetadataOf(const boost::json::object& object, std::string_view name);

struct CheckoutSession {
  std::string id;
  std::string status;          // open | complete | expired
  std::string payment_status;  // paid | unpaid | no_payment_required
  std::string customer;
  std::string subscription;
  std::string url;
  std::string order_id;  // metadata.order_id, else client_reference_id
  std::optional<std::int64_t> amount_total;

  // Complete, and nothing (more) to pay: the order is paid.
  [[nodiscard]] bool Paid() const;
};

struct SubscriptionItem {
  std::string id;       // si_...
  std::string product;  // the item's price's product
  std::int64_t quantity = 1;
  std::string interval;  // its price's recurring interval: "month" | "year"
};

struct Subscription {
  std::string id;
  std::string customer;
  std::string status;    // incomplete | incomplete_expired | trialing | active | past_due | ...
  std::string order_id;  // metadata.order_id
  std::optional<std::int64_t> current_period_start;
  std::optional<std::int64_t> current_period_end;
  bool cancel_at_period_end = false;
  std::optional<std::int64_t> canceled_at;
  std::optional<std::int64_t> ended_at;
  std::vector<SubscriptionItem> items;
};

// One line of an invoice. Amounts in cents; `amount` is before discounts and without tax
// (the platform's tax rates are exclusive).
struct InvoiceLine {
  std::string id;  // il_...
  std::string description;
  std::string product;  // the line's price's product: the catalog code is derived from it
  std::int64_t quantity = 0;
  std::int64_t amount = 0;
  std::int64_t discount = 0;  // the sum of its discount_amounts
  std::int64_t tax = 0;       // the sum of its tax_amounts
  int tax_rate_bps = 0;       // its (first) tax rate's percentage in basis points
  bool proration = false;
  std::optional<std::int64_t> period_start;
  std::optional<std::int64_t> period_end;
};

// The invoice's tax for one tax rate (`total_tax_amounts`).
struct InvoiceTax {
  std::string tax_rate;  // txr_...
  int rate_bps = 0;      // known when a line carries the rate, or the rate is expanded
  std::int64_t taxable_amount = 0;
  std::int64_t amount = 0;
};

struct Invoice {
  std::string id;  // empty for a preview (invoice.upcoming)
  std::string customer;
  std::string subscription;
  std::string number;
  std::string status;  // draft | open | paid | uncollectible | void
  std::string billing_reason;
  std::string currency;
  std::int64_t subtotal = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
  std::int64_t amount_due = 0;
  std::int64_t amount_paid = 0;
  int attempt_count = 0;
  std::optional<std::int64_t> next_payment_attempt;
  std::optional<std::int64_t> period_start;
  std::optional<std::int64_t> period_end;
  std::optional<std::int64_t> created;
  std::optional<std::int64_t> finalized_at;  // status_transitions
  std::optional<std::int64_t> paid_at;
  std::optional<std::int64_t> due_date;
  std::int64_t total_excluding_tax = 0;  // after discounts
  std::string hosted_invoice_url;
  std::string invoice_pdf;
  std::string footer;
  std::vector<InvoiceLine> lines;
  bool lines_complete = true;  // false: `lines` has more than the object carries (has_more)
  std::vector<InvoiceTax> taxes;
};

struct Charge {
  std::string id;
  std::string customer;
  std::string invoice;  // empty for a payment without an invoice
  std::int64_t amount = 0;
  std::int64_t amount_refunded = 0;
  bool refunded = false;  // refunded in full
};

struct Refund {
  std::string id;
  std::string charge;
  std::int64_t amount = 0;
  std::string status;  // pending | succeeded | failed | canceled | requires_action
};

struct Customer {
  std::string id;
  std::string name;
  std::string tax_exempt;  // none | exempt | reverse
  std::string company_id;  // metadata.company_id
};

struct Event {
  std::string id;
  std::string type;
  std::string api_version;  // the version the payload is rendered in
  std::optional<std::int64_t> created;
  bool livemode = false;
  const boost::json::object* object = nullptr;  // data.object, into the decoded JSON
};

[[nodiscard]] CheckoutSession DecodeCheckoutSession(const boost::json::object& json);
[[nodiscard]] Subscription DecodeSubscription(const boost::json::object& json);
[[nodiscard]] Invoice DecodeInvoice(const boost::json::object& json);
// A line item of an invoice (an entry of its `lines`, or of GET /v1/invoices/{id}/lines).
[[nodiscard]] InvoiceLine DecodeInvoiceLine(const boost::json::object& json);
// A tax rate's `percentage` (a decimal number, 19 or 7.7) in basis points; 0 when absent.
[[nodiscard]] int BasisPointsOf(const boost::json::object& tax_rate);
[[nodiscard]] Charge DecodeCharge(const boost::json::object& json);
[[nodiscard]] Refund DecodeRefund(const boost::json::object& json);
[[nodiscard]] Customer DecodeCustomer(const boost::json::object& json);
// `object` stays null when the event carries no data.object; it points into `json`, which must
// outlive the Event.
[[nodiscard]] Event DecodeEvent(const boost::json::object& json);

}  // namespace codezero::stripe
