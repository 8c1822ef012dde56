// A quote as the API answers it (POST /v1/quotes, GET /v1/quotes/{token}), read into what the
// configurator's breakdown and the printable offer show. The amounts are the API's, to the cent:
// the page never computes a price of its own, so the price shown is the price charged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/money.h"

namespace codezero::web {

struct QuoteLine {
  std::string code;
  bool plan = false;
  std::string description;
  std::int64_t quantity = 1;
  domain::Cents unit_amount = 0;
  domain::Cents amount = 0;
  domain::Cents amount_discount = 0;
  domain::Cents amount_tax = 0;
  int tax_rate_bps = 0;
  bool recurring = true;
};

struct QuoteTotals {
  domain::Cents subtotal = 0;
  domain::Cents discount = 0;
  domain::Cents tax = 0;
  domain::Cents total = 0;
};

struct QuoteView {
  std::string id;
  std::string token;
  std::int64_t issued_at = 0;   // Unix seconds
  std::int64_t expires_at = 0;  // Unix seconds
  std::string currency;
  std::string interval;  // month | year
  std::string customer_type;
  std::string customer_country;
  std::string customer_vat_id;       // empty: none
  std::string customer_postal_code;  // empty: none
  std::vector<QuoteLine> lines;
  QuoteTotals first_invoice;
  QuoteTotals recurring;
  std::string tax_treatment;  // standard | reverse_charge | oss | not_taxable
  int tax_rate_bps = 0;
  std::string tax_note;
  std::string discount_kind;  // coupon | referral; empty: none
  std::string discount_code;
  int discount_percent_off_bps = 0;
};

// kInternal when the body is not the API's quote.
[[nodiscard]] Result<QuoteView> ParseQuote(std::string_view json);

// "2026-12-03T04:00:00Z" as Unix seconds; nullopt when malformed.
[[nodiscard]] std::optional<std::int64_t> ParseRfc3339(std::string_view text);

}  // namespace codezero::web
