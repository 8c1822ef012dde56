#include "domain/tax_id.h"

#include <gtest/gtest.h>

namespace codezero::domain {
namespace {

// Valid numbers published in python-stdnum's test suites (tests/test_gb_vat.doctest,
// tests/test_ch_vat.doctest, stdnum/no/mva.py and orgnr.py).
TEST(TaxId, UnitedKingdomNumbersOfEveryKindAreCheckedAndWrittenAsStripeTakesThem) {
  for (const char* number : {"GB 980 7806 84", "GB 002 4257 28", "GB 100 1950 75", "GB100190874",
                             "GB 311 405 025", "GB653599494", "242338087388", "GD100", "HA501"}) {
    const TaxIdCheck check = CheckTaxId("GB", number);
    EXPECT_TRUE(check.valid) << number << ": " << check.problem;
    EXPECT_EQ(check.stripe_type, "gb_vat");
  }
  EXPECT_EQ(CheckTaxId("GB", "gb 980 7806 84").normalized, "GB980780684");
  EXPECT_EQ(CheckTaxId("GB", "XI 980 7806 84").normalized, "GB980780684");
  for (const char* number :
       {"802311781", "001234567", "9807806842", "9807806B4", "GD600", "HA201", "ZZ100", ""}) {
    EXPECT_FALSE(CheckTaxId("GB", number).valid) << number;
  }
}

TEST(TaxId, SwissNumbersAreTheUidWithItsCheckDigitAndAVatSuffix) {
  for (const char* number : {"CHE-100.155.212 MWST", "CHE-107.787.577 IVA", "CHE-110.576.236 TVA",
                             "CHE-116.046.681 TPV", "CHE-108.113.335 MwST", "CHE-400.352.783"}) {
    const TaxIdCheck check = CheckTaxId("CH", number);
    EXPECT_TRUE(check.valid) << number << ": " << check.problem;
    EXPECT_EQ(check.stripe_type, "ch_vat");
  }
  EXPECT_EQ(CheckTaxId("CH", "che100155212mwst").normalized, "CHE-100.155.212 MWST");
  EXPECT_EQ(CheckTaxId("CH", "CHE-107.787.577 IVA").normalized, "CHE-107.787.577 IVA");
  EXPECT_EQ(CheckTaxId("CH", "CHE-400.352.783").normalized, "CHE-400.352.783 MWST");
  EXPECT_FALSE(CheckTaxId("CH", "CHE-100.155.213 MWST").valid);  // check digit
  EXPECT_FALSE(CheckTaxId("CH", "CHE-100.155.21 MWST").valid);   // length
  EXPECT_FALSE(CheckTaxId("CH", "CHE-107.787.577 ZZZ").valid);
}

TEST(TaxId, NorwegianNumbersAreTheOrganisationNumberAndMva) {
  for (const char* number : {"NO 995 525 828 MVA", "988 077 917", "988077917MVA"}) {
    const TaxIdCheck check = CheckTaxId("NO", number);
    EXPECT_TRUE(check.valid) << number << ": " << check.problem;
    EXPECT_EQ(check.stripe_type, "no_vat");
  }
  EXPECT_EQ(CheckTaxId("NO", "NO 995 525 828 MVA").normalized, "995525828MVA");
  EXPECT_FALSE(CheckTaxId("NO", "NO 995 525 829 MVA").valid);
  EXPECT_FALSE(CheckTaxId("NO", "988 077 918").valid);
}

TEST(TaxId, InTheEuItIsTheVatIdAsStripesEuVat) {
  const TaxIdCheck austrian = CheckTaxId("AT", "ATU 1234 5675");
  EXPECT_TRUE(austrian.valid);
  EXPECT_EQ(austrian.stripe_type, "eu_vat");
  EXPECT_EQ(austrian.normalized, "ATU12345675");
  EXPECT_EQ(CheckTaxId("GR", "094259216").normalized, "EL094259216");
  EXPECT_FALSE(CheckTaxId("DE", "DE12345678").valid);
}

// A number of a country without a type Stripe and the platform agree on is kept as typed and
// has no Stripe type, so it is never sent.
TEST(TaxId, OtherCountriesNumbersAreKeptAsTypedWithoutAStripeType) {
  const TaxIdCheck american = CheckTaxId("US", "  12-3456789 ");
  EXPECT_TRUE(american.valid);
  EXPECT_EQ(american.stripe_type, "");
  EXPECT_EQ(american.normalized, "12-3456789");
  EXPECT_FALSE(CheckTaxId("US", "   ").valid);
}

}  // namespace
}  // namespace codezero::domain
