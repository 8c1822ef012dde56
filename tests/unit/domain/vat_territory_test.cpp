#include "domain/vat_territory.h"

#include <gtest/gtest.h>

#include "domain/tax.h"
#include "domain/vat_rates.h"

namespace codezero::domain {
namespace {

const std::chrono::sys_days kCheckedOn = std::chrono::year(2026) / 11 / 30;

TaxDecision Decide(std::string_view country, std::string_view postal_code,
                   CustomerType type = CustomerType::kConsumer) {
  return DecideTax(EmbeddedVatRates(), VatTerritoryOf(country, postal_code), type,
                   VatIdStatus::kNone, kCheckedOn);
}

// Art. 6 of Directive 2006/112/EC and § 1(2) UStG, each territory by a postal code of it.
TEST(VatTerritory, PlacesOutsideTheEuVatAreaAreNotTaxableHereWhateverTheCustomer) {
  const std::vector<std::tuple<std::string, std::string, std::string>> outside = {
      {"DE", "78266", "busingen"},       {"DE", "27498", "heligoland"},
      {"ES", "35001", "canary_islands"}, {"ES", "38 001", "canary_islands"},
      {"ES", "51001", "ceuta"},          {"ES", "52001", "melilla"},
      {"IT", "23041", "livigno"},        {"IT", "22061", "campione"},
      {"GR", "630 86", "mount_athos"},   {"FI", "22100", "aland"},
      {"FR", "97400", "french_overseas"}};
  for (const auto& [country, postal_code, territory] : outside) {
    const VatTerritory where = VatTerritoryOf(country, postal_code);
    EXPECT_TRUE(where.outside_vat_area) << country << " " << postal_code;
    EXPECT_EQ(where.territory, territory);
    for (CustomerType type : {CustomerType::kConsumer, CustomerType::kBusiness}) {
      const TaxDecision decision = Decide(country, postal_code, type);
      EXPECT_EQ(decision.treatment, TaxTreatment::kNotTaxable) << territory;
      EXPECT_EQ(decision.rate_bps, 0);
      EXPECT_EQ(decision.territory, territory);
    }
  }
}

TEST(VatTerritory, TheRestOfTheCountryAndAnUnknownPostalCodeAreTheCountry) {
  EXPECT_EQ(Decide("DE", "78267").treatment, TaxTreatment::kStandard);  // Aach, next door
  EXPECT_EQ(Decide("DE", "").treatment, TaxTreatment::kStandard);
  EXPECT_EQ(Decide("ES", "28001").treatment, TaxTreatment::kOss);  // Madrid
  EXPECT_EQ(Decide("ES", "28001").rate_bps, 2100);
  EXPECT_EQ(Decide("FI", "00100").treatment, TaxTreatment::kOss);  // Helsinki
  EXPECT_EQ(Decide("FR", "75001").treatment, TaxTreatment::kOss);
  EXPECT_TRUE(VatTerritoryOf("ES", "").territory.empty());
}

// Monaco is treated as France (Art. 7), and Northern Ireland is the UK for services.
TEST(VatTerritory, MonacoIsFranceAndNorthernIrelandTheUnitedKingdom) {
  const VatTerritory monaco = VatTerritoryOf("MC", "98000");
  EXPECT_EQ(monaco.country, "FR");
  EXPECT_FALSE(monaco.outside_vat_area);
  const TaxDecision consumer = Decide("MC", "98000");
  EXPECT_EQ(consumer.treatment, TaxTreatment::kOss);
  EXPECT_EQ(consumer.country, "FR");
  EXPECT_EQ(consumer.rate_bps, 2000);
  EXPECT_EQ(DecideTax(EmbeddedVatRates(), monaco, CustomerType::kBusiness, VatIdStatus::kConfirmed,
                      kCheckedOn)
                .treatment,
            TaxTreatment::kReverseCharge);
  const TaxDecision belfast = Decide("GB", "BT1 5GS", CustomerType::kBusiness);
  EXPECT_EQ(belfast.treatment, TaxTreatment::kNotTaxable);
  EXPECT_TRUE(belfast.territory.empty());
}

TEST(VatTerritory, TheNoteNamesTheTerritoryAndItsLaw) {
  const LocalizedText busingen = TaxNote(Decide("DE", "78266"));
  EXPECT_EQ(busingen.de,
            "Nicht steuerbare Leistung: Büsingen am Hochrhein gehört nicht zum "
            "Mehrwertsteuergebiet der EU (Art. 6 Richtlinie 2006/112/EG, § 1 Abs. 2 UStG).");
  EXPECT_EQ(busingen.en,
            "Not subject to VAT: Büsingen am Hochrhein is outside the EU VAT area (Article 6, "
            "Directive 2006/112/EC; § 1(2) UStG).");
  const LocalizedText canaries = TaxNote(Decide("ES", "35001"));
  EXPECT_NE(canaries.de.find("die Kanarischen Inseln gehören nicht"), std::string::npos);
  EXPECT_NE(canaries.en.find("the Canary Islands are outside"), std::string::npos);
  EXPECT_EQ(canaries.en.find("UStG"), std::string::npos);
}

}  // namespace
}  // namespace codezero::domain
