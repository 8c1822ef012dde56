#include "web/site_map.h"

#include <gtest/gtest.h>

namespace codezero::web {
namespace {

TEST(SiteMap, EveryIndexedPageHasAnAddressInEachLanguageUnderItsPrefix) {
  for (const Page page : IndexedPages()) {
    EXPECT_TRUE(PathOf(page, Locale::kDe).starts_with("/de/"));
    EXPECT_TRUE(PathOf(page, Locale::kEn).starts_with("/en/"));
    EXPECT_EQ(TranslatePath(PathOf(page, Locale::kDe), Locale::kEn), PathOf(page, Locale::kEn));
    EXPECT_EQ(TranslatePath(PathOf(page, Locale::kEn), Locale::kDe), PathOf(page, Locale::kDe));
  }
}

TEST(SiteMap, TranslatesAnOfferKeepingItsToken) {
  EXPECT_EQ(TranslatePath("/de/angebot/abc.def", Locale::kEn), "/en/offer/abc.def");
  EXPECT_EQ(TranslatePath("/de/konfigurator", Locale::kEn), "/en/configurator");
  EXPECT_EQ(TranslatePath("/de/angebot/", Locale::kEn), std::nullopt);
  EXPECT_EQ(TranslatePath("/de/unbekannt", Locale::kEn), std::nullopt);
}

TEST(SiteMap, KnowsTheLanguageOfAPath) {
  EXPECT_EQ(LocaleOfPath("/de/konfigurator"), Locale::kDe);
  EXPECT_EQ(LocaleOfPath("/en"), Locale::kEn);
  EXPECT_EQ(LocaleOfPath("/english"), std::nullopt);
  EXPECT_EQ(LocaleOfPath("/"), std::nullopt);
}

TEST(NegotiateLocale, FollowsTheVisitorsWeights) {
  EXPECT_EQ(NegotiateLocale(""), Locale::kDe);
  EXPECT_EQ(NegotiateLocale("de-DE,de;q=0.9,en-US;q=0.8"), Locale::kDe);
  EXPECT_EQ(NegotiateLocale("en-US,en;q=0.9,de;q=0.8"), Locale::kEn);
  EXPECT_EQ(NegotiateLocale("fr-FR,fr;q=0.9,en;q=0.5,de;q=0.4"), Locale::kEn);
  EXPECT_EQ(NegotiateLocale("fr-FR,fr;q=0.9"), Locale::kEn);
  EXPECT_EQ(NegotiateLocale("de;q=0,en"), Locale::kEn);
  EXPECT_EQ(NegotiateLocale("en;q=0.5,de;q=0.5"), Locale::kEn);
  EXPECT_EQ(NegotiateLocale("DE-at"), Locale::kDe);
}

}  // namespace
}  // namespace codezero::web
