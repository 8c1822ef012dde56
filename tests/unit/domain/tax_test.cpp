// Tax treatments and the dated VAT rate table.
#include "domain/tax.h"

#include <gtest/gtest.h>

#include "domain/vat_id.h"
#include "domain/vat_rates.h"

namespace codezero::domain {
namespace {

std::chrono::sys_days Day(const char* iso) { return *ParseIsoDate(iso); }

const std::chrono::sys_days kToday = Day("2026-11-26");

TEST(Tax, GermanCustomersPayGermanVatWhetherBusinessOrConsumer) {
  for (CustomerType type : {CustomerType::kBusiness, CustomerType::kConsumer}) {
    for (VatIdStatus vat : {VatIdStatus::kNone, VatIdStatus::kValid}) {
      const TaxDecision decision = DecideTax(EmbeddedVatRates(), "DE", type, vat, kToday);
      EXPECT_EQ(decision.treatment, TaxTreatment::kStandard);
      EXPECT_EQ(decision.rate_bps, 1900);
    }
  }
}

TEST(Tax, AnAustrianBusinessWithAValidVatIdIsReverseCharged) {
  ASSERT_TRUE(CheckVatId("AT", "ATU12345675").valid);
  const TaxDecision decision =
      DecideTax(EmbeddedVatRates(), "AT", CustomerType::kBusiness, VatIdStatus::kValid, kToday);
  EXPECT_EQ(decision.treatment, TaxTreatment::kReverseCharge);
  EXPECT_EQ(decision.rate_bps, 0);
  const LocalizedText note = TaxNote(decision);
  EXPECT_NE(note.de.find("Steuerschuldnerschaft des Leistungsempfängers"), std::string::npos);
  EXPECT_NE(note.en.find("Reverse charge"), std::string::npos);
  EXPECT_NE(note.en.find("2006/112/EC"), std::string::npos);
}

TEST(Tax, ATamperedAustrianVatIdFailsItsCheckDigit) {
  EXPECT_FALSE(CheckVatId("AT", "ATU12345678").valid);
}

TEST(Tax, AFrenchConsumerPaysFrenchVatThroughOss) {
  const TaxDecision decision =
      DecideTax(EmbeddedVatRates(), "FR", CustomerType::kConsumer, VatIdStatus::kNone, kToday);
  EXPECT_EQ(decision.treatment, TaxTreatment::kOss);
  EXPECT_EQ(decision.rate_bps, 2000);
  EXPECT_EQ(TaxNote(decision).de,
            "Zzgl. 20 % Umsatzsteuer Frankreich (One-Stop-Shop-Verfahren, § 18j UStG).");
  EXPECT_EQ(TaxNote(decision).en, "Plus 20% VAT of France (EU One-Stop Shop).");
}

TEST(Tax, AForeignEuBusinessWithoutAVatIdPaysItsCountrysVat) {
  const TaxDecision decision =
      DecideTax(EmbeddedVatRates(), "NL", CustomerType::kBusiness, VatIdStatus::kNone, kToday);
  EXPECT_EQ(decision.treatment, TaxTreatment::kOss);
  EXPECT_EQ(decision.rate_bps, 2100);
  EXPECT_FALSE(decision.vat_id_unconfirmed);
}

TEST(Tax, WhenViesCannotBeReachedVatIsChargedAndTheNoteSaysWhy) {
  const TaxDecision decision = DecideTax(EmbeddedVatRates(), "AT", CustomerType::kBusiness,
                                         VatIdStatus::kViesUnreachable, kToday);
  EXPECT_EQ(decision.treatment, TaxTreatment::kOss);
  EXPECT_EQ(decision.rate_bps, 2000);
  EXPECT_TRUE(decision.vat_id_unconfirmed);
  EXPECT_NE(TaxNote(decision).de.find("VIES nicht erreichbar"), std::string::npos);
  EXPECT_NE(TaxNote(decision).en.find("VIES unreachable"), std::string::npos);
}

TEST(Tax, WhereConfirmationIsRequiredButViesWasNotAskedVatIsChargedAndTheNoteSaysWhy) {
  const TaxDecision decision = DecideTax(EmbeddedVatRates(), "AT", CustomerType::kBusiness,
                                         VatIdStatus::kNotConfirmed, kToday);
  EXPECT_EQ(decision.treatment, TaxTreatment::kOss);
  EXPECT_EQ(decision.rate_bps, 2000);
  EXPECT_TRUE(decision.vat_id_unconfirmed);
  EXPECT_TRUE(decision.vat_id_not_asked);
  EXPECT_NE(TaxNote(decision).de.find("nur auf Form und Prüfziffer geprüft"), std::string::npos);
  EXPECT_NE(TaxNote(decision).en.find("not confirmed through VIES"), std::string::npos);
  EXPECT_EQ(TaxNote(decision).en.find("unreachable"), std::string::npos);
}

TEST(Tax, ViesConfirmedIsReverseCharged) {
  EXPECT_EQ(
      DecideTax(EmbeddedVatRates(), "IT", CustomerType::kBusiness, VatIdStatus::kConfirmed, kToday)
          .treatment,
      TaxTreatment::kReverseCharge);
}

TEST(Tax, OutsideTheEuIsNotTaxableInGermany) {
  for (const char* country : {"CH", "US", "GB", "NO"}) {
    const TaxDecision decision =
        DecideTax(EmbeddedVatRates(), country, CustomerType::kBusiness, VatIdStatus::kNone, kToday);
    EXPECT_EQ(decision.treatment, TaxTreatment::kNotTaxable) << country;
    EXPECT_EQ(decision.rate_bps, 0);
  }
  EXPECT_NE(TaxNote({TaxTreatment::kNotTaxable, "CH", 0, false}).de.find("§ 3a UStG"),
            std::string::npos);
}

TEST(Tax, AConsumerIsNeverReverseCharged) {
  EXPECT_EQ(
      DecideTax(EmbeddedVatRates(), "AT", CustomerType::kConsumer, VatIdStatus::kValid, kToday)
          .treatment,
      TaxTreatment::kOss);
}

TEST(VatRates, EveryMemberStateHasATodaysRate) {
  for (const char* country :
       {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}) {
    EXPECT_TRUE(IsEuMemberState(country)) << country;
    const auto rate = EmbeddedVatRates().StandardRate(country, kToday);
    ASSERT_TRUE(rate.has_value()) << country;
    EXPECT_GE(*rate, 1700) << country;
    EXPECT_LE(*rate, 2700) << country;
  }
}

TEST(VatRates, ARateAppliesFromItsDate) {
  EXPECT_EQ(EmbeddedVatRates().StandardRate("EE", Day("2025-06-30")), 2200);
  EXPECT_EQ(EmbeddedVatRates().StandardRate("EE", Day("2025-07-01")), 2400);
  EXPECT_EQ(EmbeddedVatRates().StandardRate("FI", kToday), 2550);
  EXPECT_EQ(EmbeddedVatRates().StandardRate("CH", kToday), std::nullopt);
}

TEST(VatRates, FractionalRatesAreWrittenPerLanguage) {
  const TaxDecision finland{TaxTreatment::kOss, "FI", 2550, false};
  EXPECT_NE(TaxNote(finland).de.find("25,5 %"), std::string::npos);
  EXPECT_NE(TaxNote(finland).en.find("25.5%"), std::string::npos);
}

TEST(VatRates, RejectsAMalformedTable) {
  EXPECT_FALSE(
      VatRates::Parse(R"({"rates":[{"country":"AT","rate_bps":2000,"from":"2016-13-01"}]})"));
  EXPECT_FALSE(
      VatRates::Parse(R"({"rates":[{"country":"AT","rate_bps":-1,"from":"2016-01-01"}]})"));
  EXPECT_FALSE(VatRates::Parse("not json"));
}

TEST(Countries, SupportsIsoCodesAndNotSanctionedDestinations) {
  EXPECT_TRUE(IsSupportedCountry("DE"));
  EXPECT_TRUE(IsSupportedCountry("CH"));
  EXPECT_TRUE(IsSupportedCountry("US"));
  EXPECT_FALSE(IsSupportedCountry("XX"));
  EXPECT_FALSE(IsSupportedCountry("de"));
  EXPECT_FALSE(IsSupportedCountry("DEU"));
  EXPECT_FALSE(IsSupportedCountry("RU"));
  EXPECT_FALSE(IsSupportedCountry("KP"));
}

}  // namespace
}  // namespace codezero::domain
