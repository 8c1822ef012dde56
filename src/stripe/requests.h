// The form fields of each Stripe call the platform makes, built from plain values (no I/O), so
// a unit test can read exactly what goes to Stripe. What to send is decided in docs/stripe.md:
// every order line becomes a Checkout line item with inline price data, its own product (a
// stable id per catalog code) and an exclusive tax rate; a discount is a one-off coupon that
// applies to the recurring products of the first invoice. Stripe then computes per line
// exactly what our pricing computed per line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stripe/form_encoding.h"

namespace codezero::stripe {

struct CustomerRequest {
  std::string company_id;
  std::string name;
  std::string email;
  std::string country;     // ISO 3166-1 alpha-2
  std::string locale;      // "de" | "en"
  std::string tax_exempt;  // "none" | "reverse" | "exempt"
  // Stripe's type and the value in its format (domain::CheckTaxId): ("eu_vat", "DE123456789"),
  // ("gb_vat", "GB980780684"), ... Only a number checked for its type is ever sent.
  struct TaxId {
    std::string type;
    std::string value;
  };
  std::optional<TaxId> tax_id;
  // The billing address the invoices print (with `country`); empty fields are cleared at Stripe.
  std::string line1;
  std::string line2;
  std::string postal_code;
  std::string city;
  // Printed on every invoice of the customer (invoice_settings[footer]): the tax note of the
  // customer's treatment, in their language. Empty: none.
  std::string invoice_footer;
};
// Creating the customer: only what never changes (the company's id), so that every creation
// of one company's customer sends the same bytes under one key; the rest is an update.
[[nodiscard]] FormFields CustomerCreateFields(std::string_view company_id);
// Updating the customer to the company's current data (tax IDs are their own calls).
[[nodiscard]] FormFields CustomerUpdateFields(const CustomerRequest& customer);
// The company's own details only (name and billing address), for a change of the company
// between checkouts: the tax status, the invoice footer and the e-mail belong to a checkout.
[[nodiscard]] FormFields CustomerDetailsFields(const CustomerRequest& customer);
// What a closed company leaves at Stripe: name, e-mail address and billing address unset (an
// empty string unsets a field, https://docs.stripe.com/api/customers/update). The customer stays,
// with its id and `metadata[company_id]`, for the invoices Stripe keeps.
[[nodiscard]] FormFields CustomerRedactionFields();

// A product per catalog code, created with our own id so it is found again without a lookup.
[[nodiscard]] std::string ProductIdOf(std::string_view catalog_code);
[[nodiscard]] FormFields ProductFields(std::string_view catalog_code, std::string_view name);

struct TaxRateRequest {
  int rate_bps = 0;          // 1900 = 19 %
  std::string treatment;     // standard | reverse_charge | oss | not_taxable
  std::string country;       // the customer's
  std::string display_name;  // "USt." / "VAT"
};
// The key under which the platform remembers a tax rate it created (stripe_objects).
[[nodiscard]] std::string TaxRateKey(const TaxRateRequest& rate);
[[nodiscard]] FormFields TaxRateFields(const TaxRateRequest& rate);
// "19", "25.5", "8.1": Stripe's decimal percentage of basis points.
[[nodiscard]] std::string PercentageOf(int bps);

struct CouponRequest {
  std::string id;  // our own, one per order
  int percent_off_bps = 0;
  std::string name;                      // shown on the invoice: the code
  std::vector<std::string> product_ids;  // the recurring products it applies to
};
[[nodiscard]] FormFields CouponFields(const CouponRequest& coupon);

struct CheckoutLine {
  std::string product_id;
  std::int64_t unit_amount = 0;  // cents
  std::int64_t quantity = 1;
  bool recurring = true;
  std::string tax_rate_id;
};

struct CheckoutSessionRequest {
  std::string order_id;
  std::string customer_id;
  std::string currency;  // "eur"
  std::string interval;  // "month" | "year"
  std::string locale;    // "de" | "en"
  std::vector<CheckoutLine> lines;
  std::optional<std::string> coupon_id;
  std::string success_url;
  std::string cancel_url;
  std::int64_t expires_at = 0;  // Unix seconds
};
// `mode=subscription` when a line recurs (one-time lines go on the first invoice), else
// `mode=payment`; `client_reference_id` and `metadata[order_id]` name the order, on the
// session and on the subscription.
[[nodiscard]] FormFields CheckoutSessionFields(const CheckoutSessionRequest& session);

}  // namespace codezero::stripe
