// Which VAT a quote charges. The seller is established in Germany and sells an electronically
// supplied service (SaaS):
//
// - customer in Germany (business or consumer): German VAT, 19 % ("standard");
// - business in another member state with a VAT ID that passed the format and check-digit
//   rules (and VIES, where it is configured): 0 %, the customer accounts for the VAT
//   ("reverse_charge", Art. 196 of Directive 2006/112/EC);
// - any other customer in another member state (consumers, and businesses without a confirmed
//   VAT ID): the standard rate of the customer's country, declared through the One-Stop Shop
//   ("oss", § 18j UStG);
// - customer outside the EU: not taxable in Germany ("not_taxable", § 3a UStG).
//
// When VIES is configured but cannot be reached, the check fails closed: the business is
// charged VAT as in "oss" and the quote's note says why (`vat_id_unconfirmed`). Where VIES
// confirmation is required (VIES_REQUIRED, on outside `scripts/dev`) and VIES is not
// configured, format and check digits alone are not enough either: "oss", and the note says
// that the ID was only checked for its form (`vat_id_not_asked`).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/locale.h"
#include "domain/vat_rates.h"
#include "domain/vat_territory.h"

namespace codezero::domain {

inline constexpr std::string_view kSellerCountry = "DE";

enum class TaxTreatment { kStandard, kReverseCharge, kOss, kNotTaxable };
[[nodiscard]] std::string_view ToString(TaxTreatment treatment);
[[nodiscard]] std::optional<TaxTreatment> ParseTaxTreatment(std::string_view text);

enum class CustomerType { kBusiness, kConsumer };
[[nodiscard]] std::string_view ToString(CustomerType type);
[[nodiscard]] std::optional<CustomerType> ParseCustomerType(std::string_view text);

// What is known about the customer's VAT ID when the tax is decided.
enum class VatIdStatus {
  kNone,             // none given
  kValid,            // passed format and check digits (VIES not configured)
  kConfirmed,        // also confirmed by VIES
  kViesUnreachable,  // passed our rules, but VIES could not be asked: fail closed
  kNotConfirmed,     // passed our rules; VIES confirmation is required but VIES is not set up
};

struct TaxDecision {
  TaxTreatment treatment = TaxTreatment::kStandard;
  std::string country;  // the customer's
  int rate_bps = 0;
  bool vat_id_unconfirmed = false;  // VAT charged because VIES did not confirm the ID
  bool vat_id_not_asked = false;    // ... because VIES was not asked at all (not set up)
  // A special territory the address is in (vat_territory.h), "" for none: named in the note.
  std::string territory;
};

// REQUIRES: `country` is a supported country (IsSupportedCountry); an EU country has a rate
// in `rates` on `day`.
[[nodiscard]] TaxDecision DecideTax(const VatRates& rates, std::string_view country,
                                    CustomerType type, VatIdStatus vat_id,
                                    std::chrono::sys_days day);

// The same for an address whose territory is known (VatTerritoryOf): outside the EU VAT area
// nothing is taxable here; Monaco is decided as France.
[[nodiscard]] TaxDecision DecideTax(const VatRates& rates, const VatTerritory& where,
                                    CustomerType type, VatIdStatus vat_id,
                                    std::chrono::sys_days day);

// The invoice note of a decision, in German and English.
[[nodiscard]] LocalizedText TaxNote(const TaxDecision& decision);
// The note in one language.
[[nodiscard]] std::string TaxNote(const TaxDecision& decision, Locale locale);

// An ISO 3166-1 alpha-2 code of a country we sell to.
[[nodiscard]] bool IsSupportedCountry(std::string_view country);

}  // namespace codezero::domain
