#include "domain/tax.h"

#include <algorithm>
#include <array>

#include "domain/vat_id.h"
#include "domain/vat_territory.h"

namespace codezero::domain {
namespace {

// Officially assigned ISO 3166-1 alpha-2 codes, less the destinations the EU's restrictive
// measures close to software and IT services (BY, IR, KP, RU, SY). Territories outside the EU
// VAT area that have their own code (AX, GF, GP, MQ, RE, YT, MF, ...) are outside the EU here
// too, which is how VAT law treats them.
constexpr std::string_view kSupportedCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO "
    "DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT "
    "GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IS IT JE JM JO JP KE KG KH KI KM KN KR KW "
    "KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT "
    "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS "
    "PT PW PY QA RE RO RS RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SZ TC TD "
    "TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE "
    "YT ZA ZM ZW";

struct CountryName {
  std::string_view code;
  std::string_view de;
  std::string_view en;
};

constexpr std::array<CountryName, 27> kEuCountryNames = {{
    {"AT", "Österreich", "Austria"},      {"BE", "Belgien", "Belgium"},
    {"BG", "Bulgarien", "Bulgaria"},      {"CY", "Zypern", "Cyprus"},
    {"CZ", "Tschechien", "Czechia"},      {"DE", "Deutschland", "Germany"},
    {"DK", "Dänemark", "Denmark"},        {"EE", "Estland", "Estonia"},
    {"ES", "Spanien", "Spain"},           {"FI", "Finnland", "Finland"},
    {"FR", "Frankreich", "France"},       {"GR", "Griechenland", "Greece"},
    {"HR", "Kroatien", "Croatia"},        {"HU", "Ungarn", "Hungary"},
    {"IE", "Irland", "Ireland"},          {"IT", "Italien", "Italy"},
    {"LT", "Litauen", "Lithuania"},       {"LU", "Luxemburg", "Luxembourg"},
    {"LV", "Lettland", "Latvia"},         {"MT", "Malta", "Malta"},
    {"NL", "Niederlande", "Netherlands"}, {"PL", "Polen", "Poland"},
    {"PT", "Portugal", "Portugal"},       {"RO", "Rumänien", "Romania"},
    {"SE", "Schweden", "Sweden"},         {"SI", "Slowenien", "Slovenia"},
    {"SK", "Slowakei", "Slovakia"},
}};

LocalizedText CountryNameOf(std::string_view code) {
  for (const CountryName& name : kEuCountryNames) {
    if (name.code == code) return {std::string(name.de), std::string(name.en)};
  }
  return {std::string(code), std::string(code)};
}

// 1900 -> "19", 2550 -> "25,5" (de) / "25.5" (en).
std::string FormatRate(int bps, Locale locale) {
  std::string text = std::to_string(bps / 100);
  int fraction = bps % 100;
  if (fraction != 0) {
    text += locale == Locale::kDe ? ',' : '.';
    text += std::to_string(fraction / 10);
    if (fraction % 10 != 0) text += std::to_string(fraction % 10);
  }
  return text;
}

}  // namespace

std::string_view ToString(TaxTreatment treatment) {
  switch (treatment) {
    case TaxTreatment::kStandard:
      return "standard";
    case TaxTreatment::kReverseCharge:
      return "reverse_charge";
    case TaxTreatment::kOss:
      return "oss";
    case TaxTreatment::kNotTaxable:
      return "not_taxable";
  }
  return "standard";
}

std::optional<TaxTreatment> ParseTaxTreatment(std::string_view text) {
  for (TaxTreatment treatment : {TaxTreatment::kStandard, TaxTreatment::kReverseCharge,
                                 TaxTreatment::kOss, TaxTreatment::kNotTaxable}) {
    if (ToString(treatment) == text) return treatment;
  }
  return std::nullopt;
}

std::string_view ToString(CustomerType type) {
  return type == CustomerType::kBusiness ? "business" : "consumer";
}

std::optional<CustomerType> ParseCustomerType(std::string_view text) {
  if (text == "business") return CustomerType::kBusiness;
  if (text == "consumer") return CustomerType::kConsumer;
  return std::nullopt;
}

bool IsSupportedCountry(std::string_view country) {
  // REQUIRES: both letters in A-Z.
  const auto index = [](char first, char second) {
    return static_cast<std::size_t>(first - 'A') * 26 + static_cast<std::size_t>(second - 'A');
  };
  // A table of all 26 x 26 two-letter codes, built once: this runs on every quote.
  static const std::array<bool, 26 * 26> kTable = [&index] {
    std::array<bool, 26 * 26> table{};
    for (std::size_t i = 0; i + 2 <= kSupportedCountries.size(); i += 3) {
      table[index(kSupportedCountries[i], kSupportedCountries[i + 1])] = true;
    }
    return table;
  }();
  if (country.size() != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' ||
      country[1] > 'Z') {
    return false;
  }
  return kTable[index(country[0], country[1])];
}

TaxDecision DecideTax(const VatRates& rates, std::string_view country, CustomerType type,
                      VatIdStatus vat_id, std::chrono::sys_days day) {
  TaxDecision decision;
  decision.country = std::string(country);
  if (country == kSellerCountry) {
    decision.treatment = TaxTreatment::kStandard;
    decision.rate_bps = rates.StandardRate(country, day).value_or(0);
    return decision;
  }
  if (!IsEuMemberState(country)) {
    decision.treatment = TaxTreatment::kNotTaxable;
    return decision;
  }
  if (type == CustomerType::kBusiness &&
      (vat_id == VatIdStatus::kValid || vat_id == VatIdStatus::kConfirmed)) {
    decision.treatment = TaxTreatment::kReverseCharge;
    return decision;
  }
  decision.treatment = TaxTreatment::kOss;
  decision.rate_bps = rates.StandardRate(country, day).value_or(0);
  decision.vat_id_unconfirmed =
      type == CustomerType::kBusiness &&
      (vat_id == VatIdStatus::kViesUnreachable || vat_id == VatIdStatus::kNotConfirmed);
  decision.vat_id_not_asked =
      type == CustomerType::kBusiness && vat_id == VatIdStatus::kNotConfirmed;
  return decision;
}

TaxDecision DecideTax(const VatRates& rates, const VatTerritory& where, CustomerType type,
                      VatIdStatus vat_id, std::chrono::sys_days day) {
  if (!where.outside_vat_area) {
    TaxDecision decision = DecideTax(rates, where.country, type, vat_id, day);
    decision.territory = where.territory;
    return decision;
  }
  TaxDecision decision;
  decision.treatment = TaxTreatment::kNotTaxable;
  decision.country = where.country;
  decision.territory = where.territory;
  return decision;
}

std::string TaxNote(const TaxDecision& decision, Locale locale) {
  LocalizedText both = TaxNote(decision);
  return locale == Locale::kDe ? std::move(both.de) : std::move(both.en);
}

LocalizedText TaxNote(const TaxDecision& decision) {
  const LocalizedText country = CountryNameOf(decision.country);
  switch (decision.treatment) {
    case TaxTreatment::kStandard:
      return {"Zzgl. " + FormatRate(decision.rate_bps, Locale::kDe) + " % Umsatzsteuer.",
              "Plus " + FormatRate(decision.rate_bps, Locale::kEn) + "% German VAT."};
    case TaxTreatment::kReverseCharge:
      return {
          "Steuerschuldnerschaft des Leistungsempfängers (Reverse-Charge-Verfahren, "
          "Art. 196 Richtlinie 2006/112/EG).",
          "Reverse charge: the recipient is liable for the VAT (Article 196, Council "
          "Directive 2006/112/EC)."};
    case TaxTreatment::kOss: {
      LocalizedText note{"Zzgl. " + FormatRate(decision.rate_bps, Locale::kDe) +
                             " % Umsatzsteuer " + country.de +
                             " (One-Stop-Shop-Verfahren, § 18j UStG).",
                         "Plus " + FormatRate(decision.rate_bps, Locale::kEn) + "% VAT of " +
                             country.en + " (EU One-Stop Shop)."};
      if (decision.vat_id_not_asked) {
        note.de =
            "Die USt-IdNr. wurde nur auf Form und Prüfziffer geprüft, nicht über VIES "
            "bestätigt; daher wird Umsatzsteuer berechnet. " +
            note.de;
        note.en =
            "The VAT ID was checked for its form and check digits only, not confirmed through "
            "VIES, so VAT is charged. " +
            note.en;
      } else if (decision.vat_id_unconfirmed) {
        note.de =
            "Die USt-IdNr. konnte nicht bestätigt werden (VIES nicht erreichbar); daher "
            "wird Umsatzsteuer berechnet. " +
            note.de;
        note.en =
            "The VAT ID could not be confirmed (VIES unreachable), so VAT is charged. " + note.en;
      }
      return note;
    }
    case TaxTreatment::kNotTaxable:
      if (!decision.territory.empty() && decision.territory != "monaco") {
        const LocalizedText where = TerritoryName(decision.territory);
        const bool german = decision.country == "DE";
        const bool plural = where.en.starts_with("the ");  // the Canary Islands, ...
        std::string de = "Nicht steuerbare Leistung: " + where.de +
                         (plural ? " gehören" : " gehört") +
                         " nicht zum Mehrwertsteuergebiet der EU (Art. 6 Richtlinie 2006/112/EG" +
                         (german ? ", § 1 Abs. 2 UStG" : "") + ").";
        std::string en = "Not subject to VAT: " + where.en + (plural ? " are" : " is") +
                         " outside the EU VAT area (Article 6, Directive 2006/112/EC" +
                         (german ? "; § 1(2) UStG" : "") + ").";
        return {std::move(de), std::move(en)};
      }
      return {"Nicht im Inland steuerbare Leistung (Leistungsort außerhalb der EU, § 3a UStG).",
              "Not subject to German VAT: the place of supply is outside the EU (§ 3a UStG)."};
  }
  return {};
}

}  // namespace codezero::domain
