// The pricing engine: a configuration, a catalog version, a discount and a tax decision in;
// lines and totals in cents out. Pure logic, no I/O. The arithmetic (docs/pricing.md):
//
// - line amount = unit amount x quantity;
// - a percentage discount applies to each recurring line of the first invoice, rounded half
//   up to the cent per line;
// - VAT per line on the line's amount after its discount, rounded half up, then summed (as
//   Stripe computes exclusive tax rates per invoice line, so Stripe charges what we show);
// - first invoice: every line; each later invoice ("recurring"): the recurring lines, without
//   the discount.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/catalog.h"
#include "domain/discount.h"
#include "domain/money.h"
#include "domain/quote_request.h"
#include "domain/tax.h"
#include "domain/violation.h"

namespace codezero::domain {

enum class LineKind { kPlan, kAddon };

struct PricedLine {
  std::string code;
  LineKind kind = LineKind::kPlan;
  std::string description;
  std::int64_t quantity = 1;
  Cents unit_amount = 0;
  Cents amount = 0;           // unit_amount x quantity
  Cents amount_discount = 0;  // first invoice only
  Cents amount_tax = 0;       // first invoice
  int tax_rate_bps = 0;
  bool recurring = true;
};

struct Totals {
  Cents subtotal = 0;
  Cents discount = 0;
  Cents tax = 0;
  Cents total = 0;  // subtotal - discount + tax
};

struct PricedQuote {
  int catalog_version = 0;
  std::string currency;
  Interval interval = Interval::kMonth;
  Locale locale = Locale::kDe;
  std::vector<PricedLine> lines;  // the plan first, then add-ons in catalog order
  Totals first_invoice;
  Totals recurring;  // each later invoice
  TaxDecision tax;
  std::optional<Discount> discount;
};

// Every rule of the configurator that needs the catalog: the plan exists, each add-on exists,
// appears once, is available with (and not already included in) the plan, and its quantity is
// in range; the currency is the catalog's.
[[nodiscard]] std::vector<Violation> ValidateConfiguration(const Catalog& catalog,
                                                           const QuoteRequest& request);

// REQUIRES: ValidateConfiguration(catalog, request) is empty; discount->percent_off_bps and
// tax.rate_bps are within 0 ... 10 000.
[[nodiscard]] PricedQuote Price(const Catalog& catalog, const QuoteRequest& request,
                                const std::optional<Discount>& discount, const TaxDecision& tax);

}  // namespace codezero::domain
