// Pure parts of the stand-in: test cards, calendar months, the PDF writer, list pages.
#include <gtest/gtest.h>

#include "stripe_fake/cards.h"
#include "stripe_fake/errors.h"
#include "stripe_fake/html.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/pdf.h"
#include "stripe_fake/subscriptions.h"

namespace codezero::stripe_fake {
namespace {

TEST(StripeFakeCards, TestCardsHaveTheirBehaviour) {
  EXPECT_EQ(CheckCard("4242 4242 4242 4242", "12/34", "123", 2026, 11).behaviour,
            Behaviour::kSucceeds);
  EXPECT_EQ(CheckCard("4000000000000002", "12/2034", "123", 2026, 11).behaviour,
            Behaviour::kGenericDecline);
  EXPECT_EQ(CheckCard("4000 0000 0000 9995", "1/30", "1234", 2026, 11).behaviour,
            Behaviour::kInsufficientFunds);
  EXPECT_EQ(CheckCard("4000 0000 0000 0341", "12/34", "123", 2026, 11).behaviour,
            Behaviour::kFailsOffSession);
  EXPECT_EQ(CheckCard("4242 4242 4242 4241", "12/34", "123", 2026, 11).code, "incorrect_number");
  EXPECT_EQ(CheckCard("4242424242424242", "10/26", "123", 2026, 11).code, "invalid_expiry_year");
  EXPECT_EQ(CheckCard("4242424242424242", "13/30", "123", 2026, 11).code, "invalid_expiry_month");
  EXPECT_EQ(CheckCard("4242424242424242", "12/34", "12", 2026, 11).code, "incorrect_cvc");
  EXPECT_EQ(CheckCard("5555 5555 5555 4444", "12/34", "123", 2026, 11).code, "card_declined");
  EXPECT_EQ(CheckIban("de89 3704 0044 0532 0130 00").behaviour, Behaviour::kSepaSucceeds);
  EXPECT_EQ(CheckIban("DE62370400440532013001").behaviour, Behaviour::kSepaFails);
  EXPECT_FALSE(CheckIban("DE00").behaviour);
}

TEST(StripeFakeCalendar, MonthsClampToTheMonthsEndAndKeepTheTimeOfDay) {
  // 2027-01-31T10:00:00Z
  const std::int64_t jan31 = 1801389600;
  EXPECT_EQ(AddMonths(jan31, 1), jan31 + 28 * 86400);                // 2027-02-28
  EXPECT_EQ(PeriodBoundary(jan31, "month", 2), jan31 + 59 * 86400);  // 2027-03-31
  EXPECT_EQ(PeriodBoundary(jan31, "year", 1), jan31 + 365 * 86400);
  EXPECT_EQ(AddMonths(jan31, 13) - jan31, (365 + 29) * 86400);  // 2028-02-29
}

TEST(StripeFakePdf, TheCrossReferenceTablePointsAtEachObject) {
  std::vector<PdfLine> lines;
  for (int i = 0; i < 130; ++i) lines.push_back({"Zeile " + std::to_string(i) + " (€ ä)", 10});
  const std::string pdf = RenderPdf(lines, "Rechnung ABC-0001");
  ASSERT_TRUE(pdf.starts_with("%PDF-1.4\n"));
  ASSERT_TRUE(pdf.ends_with("%%EOF\n"));
  const std::size_t startxref = pdf.rfind("startxref\n");
  const std::size_t xref = std::stoul(pdf.substr(startxref + 10));
  ASSERT_EQ(pdf.substr(xref, 5), "xref\n");
  const std::size_t count_at = pdf.find('\n', xref + 5);
  const int count = std::stoi(pdf.substr(xref + 7, count_at - xref - 7));
  EXPECT_GT(count, 8);  // three pages
  for (int object = 1; object < count; ++object) {
    const std::size_t entry = count_at + 1 + static_cast<std::size_t>(object) * 20;
    const std::size_t offset = std::stoul(pdf.substr(entry, 10));
    EXPECT_EQ(pdf.substr(offset, std::to_string(object).size() + 6),
              std::to_string(object) + " 0 obj")
        << object;
  }
  EXPECT_NE(pdf.find("(Zeile 1 \\(\x80 \xE4\\)) Tj"), std::string::npos);
}

TEST(StripeFakePdf, WinAnsiCoversGermanTextAndTheEuroSign) {
  EXPECT_EQ(ToWinAnsi("Größe 5 €"),
            "Gr\xF6\xDF"
            "e 5 \x80");
  EXPECT_EQ(ToWinAnsi("2 × 3 → 4"), "2 \xD7 3 ? 4");
}

TEST(StripeFakeErrors, KeysAreMaskedLikeStripeMasksThem) {
  EXPECT_EQ(MaskKey("sk_test_abcdefgh1234"), "sk_test_****1234");
  EXPECT_EQ(MaskKey("whatever9876"), "****9876");
  EXPECT_EQ(InvalidApiKey("sk_live_zzzz5678").status, 401);
}

TEST(StripeFakeListing, EndingBeforeTakesTheObjectsJustBeforeIt) {
  boost::json::array data;
  for (int i = 9; i >= 0; --i) data.push_back(boost::json::object{{"id", "o" + std::to_string(i)}});
  const boost::json::object params{{"limit", "3"}, {"ending_before", "o4"}};
  const ApiResult page = Page(data, params, "/v1/x");
  ASSERT_TRUE(page);
  const boost::json::array& items = page->at("data").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("id"), "o7");
  EXPECT_EQ(items[2].at("id"), "o5");
  EXPECT_EQ(page->at("has_more"), true);
}

TEST(StripeFakePages, MoneyIsWrittenInThePagesLanguage) {
  EXPECT_EQ(FormatMoney(142226, "de"), "1.422,26\u00a0€");
  EXPECT_EQ(FormatMoney(142226, "en"), "€1,422.26");
  EXPECT_EQ(FormatMoney(5, "en"), "€0.05");
  EXPECT_EQ(FormatMoney(-123456789, "en"), "-€1,234,567.89");
  EXPECT_EQ(FormatMoney(100000, "de"), "1.000,00\u00a0€");
  EXPECT_EQ(Escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

}  // namespace
}  // namespace codezero::stripe_fake
