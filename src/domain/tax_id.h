// A business customer's tax number, as the platform keeps it and as Stripe prints it on
// invoices: a customer's `tax_id_data[][type]` and `value`
// (https://docs.stripe.com/billing/customer/tax-ids). Inside the EU it is the VAT ID
// (vat_id.h, type `eu_vat`). Outside, the VAT numbers of the United Kingdom (`gb_vat`),
// Switzerland (`ch_vat`) and Norway (`no_vat`) are checked by format and check digit and
// written in Stripe's format; any other country's number is kept as the customer typed it and
// never sent to Stripe, which would refuse or misfile it.
//
// What such a number means for the price is decided in tax.h, not here: outside the EU a
// business is not taxable in Germany with or without one (§ 3a(2) UStG), so it only has to be
// right, not confirmed.
#pragma once

#include <string>
#include <string_view>

namespace codezero::domain {

struct TaxIdCheck {
  bool valid = false;
  // Stripe's type: "eu_vat", "gb_vat", "ch_vat", "no_vat"; empty for a country without one
  // (then `normalized` is the text as typed, trimmed, and goes nowhere but the company record).
  std::string stripe_type;
  // In Stripe's format: "ATU12345675", "GB980780684", "CHE-100.155.212 MWST", "995525828MVA".
  std::string normalized;
  std::string problem;  // English, for logs, when !valid
};

// `country`: ISO 3166-1 alpha-2, upper case. `text`: as typed; spaces, dots, dashes and slashes
// are ignored, letters compared upper case, the country prefix ("GB", "NO", "CHE") optional.
[[nodiscard]] TaxIdCheck CheckTaxId(std::string_view country, std::string_view text);

}  // namespace codezero::domain
