#include "web/templates.h"

#include <gtest/gtest.h>
#include <boost/json/object.hpp>

#include "web/assets.h"
#include "web/legal_content.h"

namespace codezero::web {
namespace {

TEST(Translations, EveryTextOfTheTemplatesIsTranslatedIntoBothLanguages) {
  const Translations translations;
  const std::vector<std::string> ids = MessageIdsInTemplates();
  EXPECT_GT(ids.size(), 100U);
  for (const std::string& id : ids) {
    EXPECT_TRUE(translations.Find(Locale::kDe, id)) << "no German text for \"" << id << "\"";
    EXPECT_TRUE(translations.Find(Locale::kEn, id)) << "no English text for \"" << id << "\"";
  }
  EXPECT_EQ(translations.Find(Locale::kDe, "Reject all"), "Alle ablehnen");
  EXPECT_EQ(translations.Find(Locale::kDe, "no such text"), std::nullopt);
}

TEST(Templates, EveryTemplateCompilesInBothLanguages) {
  const Translations translations;
  EXPECT_NO_THROW(Templates templates(translations));
}

TEST(Templates, TranslateTextsAndKeepTheirPlaceholders) {
  const Translations translations;
  Templates templates(translations);
  const boost::json::object data{{"status", 404},
                                 {"is_404", true},
                                 {"request_id", "abc123"},
                                 {"home_url", "/de/"},
                                 {"configurator_url", "/de/konfigurator"}};
  const RenderedPage de = templates.RenderPage("error", Locale::kDe, data);
  EXPECT_EQ(de.title, "Seite nicht gefunden · Code Zero AI");
  EXPECT_NE(de.body.find("Fehler 404"), std::string::npos);
  EXPECT_NE(de.body.find("Referenz abc123"), std::string::npos);
  const RenderedPage en = templates.RenderPage("error", Locale::kEn, data);
  EXPECT_EQ(en.title, "Page not found · Code Zero AI");
}

TEST(Templates, EscapeEveryValue) {
  const Translations translations;
  Templates templates(translations);
  const boost::json::object data{{"status", 404},
                                 {"is_404", true},
                                 {"request_id", "<script>alert(1)</script>\"'&"},
                                 {"home_url", "\"><img src=x onerror=alert(1)>"},
                                 {"configurator_url", "/"}};
  const RenderedPage page = templates.RenderPage("error", Locale::kEn, data);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_EQ(page.body.find("<img"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;"),
            std::string::npos);
}

TEST(LegalContent, EveryPageRendersInBothLanguagesWithTheOperatorsData) {
  boost::json::object seller{{"name", "Code Zero AI GmbH"},
                             {"street", "Musterstraße 1"},
                             {"postcode", "10115"},
                             {"city", "Berlin"},
                             {"country", "Deutschland"},
                             {"managing_directors", "E. M."},
                             {"email", "kontakt@example.org"},
                             {"phone", "+49 30 1"},
                             {"register_court", "AG Berlin"},
                             {"register_number", "HRB 1"},
                             {"vat_id", "DE123456789"},
                             {"content_responsible", "E. M."},
                             {"privacy_email", "dsb@example.org"}};
  const boost::json::object values{
      {"seller", seller},
      {"site", boost::json::object{{"url", "https://codezero.example"}}},
      {"policy", boost::json::object{{"version", "2026-11-29"}}},
      {"statistics", boost::json::object{{"enabled", false}, {"name", ""}, {"provider", ""}}}};
  for (const Page page :
       {Page::kImprint, Page::kPrivacy, Page::kTerms, Page::kWithdrawal, Page::kCookies}) {
    for (const Locale locale : {Locale::kDe, Locale::kEn}) {
      const LegalPage rendered = RenderLegalPage(page, locale, values);
      EXPECT_FALSE(rendered.title.empty());
      EXPECT_GE(rendered.description.size(), 50U) << ContentPathOf(page, locale);
      EXPECT_NE(rendered.html.find("<h2"), std::string::npos) << ContentPathOf(page, locale);
      EXPECT_EQ(rendered.html.find("{{"), std::string::npos)
          << "an unknown placeholder in " << ContentPathOf(page, locale);
      if (page == Page::kImprint) {
        for (const char* field : {"Code Zero AI GmbH", "HRB 1", "DE123456789", "AG Berlin"}) {
          EXPECT_NE(rendered.html.find(field), std::string::npos) << field;
        }
      }
    }
  }
}

TEST(LegalContent, ValuesAreLiteralTextAndRawHtmlIsDropped) {
  EXPECT_EQ(MarkdownToHtml("a <script>alert(1)</script> b"),
            "<p>a <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted --> b</p>\n");
  const std::string escaped = EscapeMarkdown("*bold* [x](javascript:alert(1)) <b>");
  EXPECT_EQ(MarkdownToHtml(escaped), "<p>*bold* [x](javascript:alert(1)) &lt;b&gt;</p>\n");
  EXPECT_NE(MarkdownToHtml("| a | b |\n|---|---|\n| 1 | 2 |\n").find("<div class=\"table-scroll\""),
            std::string::npos);
}

TEST(Assets, AreFingerprintedByContent) {
  const Assets assets;
  const std::string& css = assets.UrlOf("app.css");
  EXPECT_TRUE(css.starts_with("/assets/app.")) << css;
  EXPECT_TRUE(css.ends_with(".css")) << css;
  const Asset* asset = assets.Find(css.substr(8));
  ASSERT_NE(asset, nullptr);
  EXPECT_FALSE(asset->gzip.empty());
  EXPECT_FALSE(asset->brotli.empty());
  EXPECT_LT(asset->brotli.size(), asset->identity.size());
  EXPECT_EQ(assets.Find("app.css"), nullptr) << "only the fingerprinted name is served";
  EXPECT_THROW((void)assets.UrlOf("missing.css"), std::invalid_argument);
  EXPECT_FALSE(BuildFingerprint().empty());
}

}  // namespace
}  // namespace codezero::web
