#include "web/page_cache.h"

#include <gtest/gtest.h>

namespace codezero::web {
namespace {

std::shared_ptr<const CachedPage> CachedPageOf(std::string body) {
  auto page = std::make_shared<CachedPage>();
  page->content_language = "de";
  page->identity = std::move(body);
  page->compressed = CompressPrefix(page->identity);
  page->csrf_forms = {"consent-form"};
  return page;
}

TEST(PageCache, KeepsTheMostRecentlyUsedPagesUpToItsSize) {
  PageCache cache(nullptr, {.local_entries = 2, .local_ttl = std::chrono::minutes(1)});
  cache.StoreLocal("a", CachedPageOf("A"));
  cache.StoreLocal("b", CachedPageOf("B"));
  ASSERT_NE(cache.FindLocal("a"), nullptr);  // "a" is now the most recent
  cache.StoreLocal("c", CachedPageOf("C"));  // evicts "b"
  EXPECT_EQ(cache.FindLocal("b"), nullptr);
  EXPECT_EQ(cache.FindLocal("a")->identity, "A");
  EXPECT_EQ(cache.FindLocal("c")->identity, "C");
  EXPECT_EQ(cache.local_size(), 2U);
}

TEST(PageCache, ForgetsPagesPastTheirTimeAndKeepsNoneWithSizeZero) {
  PageCache expiring(nullptr, {.local_entries = 10, .local_ttl = std::chrono::milliseconds(0)});
  expiring.StoreLocal("a", CachedPageOf("A"));
  EXPECT_EQ(expiring.FindLocal("a"), nullptr);
  PageCache none(nullptr, {.local_entries = 0});
  none.StoreLocal("a", CachedPageOf("A"));
  EXPECT_EQ(none.local_size(), 0U);
}

TEST(PageCache, APageSurvivesTheTripThroughRedisBytesUnchanged) {
  const std::string binary("\xc3\xbc\0\n", 4);
  auto page = std::make_shared<CachedPage>(*CachedPageOf(std::string(5000, 'x') + binary));
  page->status = 404;
  page->has_tail = false;
  page->csrf_forms.emplace_back("other-form");
  const auto back = DeserializePage(SerializePage(*page));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, 404U);
  EXPECT_EQ(back->identity, page->identity);
  EXPECT_EQ(back->compressed.gzip, page->compressed.gzip);
  EXPECT_EQ(back->compressed.gzip_crc, page->compressed.gzip_crc);
  EXPECT_EQ(back->compressed.brotli, page->compressed.brotli);
  EXPECT_FALSE(back->has_tail);
  EXPECT_EQ(back->csrf_forms, page->csrf_forms);
}

TEST(PageCache, RefusesBytesThatAreNotAPage) {
  const std::string bytes = SerializePage(*CachedPageOf("hello"));
  EXPECT_FALSE(DeserializePage(""));
  EXPECT_FALSE(DeserializePage("something else"));
  EXPECT_FALSE(DeserializePage(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(DeserializePage(bytes + "x"));
}

TEST(PageCacheKey, ChangesWithEverythingAPageDependsOn) {
  const std::string key = PageCacheKey("build1", 1, "de", "n", "/de/konfigurator?plan=team");
  EXPECT_NE(key, PageCacheKey("build2", 1, "de", "n", "/de/konfigurator?plan=team"));
  EXPECT_NE(key, PageCacheKey("build1", 2, "de", "n", "/de/konfigurator?plan=team"));
  EXPECT_NE(key, PageCacheKey("build1", 1, "en", "n", "/de/konfigurator?plan=team"));
  EXPECT_NE(key, PageCacheKey("build1", 1, "de", "d10", "/de/konfigurator?plan=team"));
  EXPECT_NE(key, PageCacheKey("build1", 1, "de", "n", "/de/konfigurator?plan=starter"));
  EXPECT_TRUE(key.starts_with("web:page:build1:1:de:n:"));
}

}  // namespace
}  // namespace codezero::web
