// GET /v1/catalog over HTTP: contents, languages, ETag and 304, and a new version being served
// after an import.
#include <gtest/gtest.h>

#include <thread>

#include "support/api_server.h"
#include "support/eventually.h"
#include "support/http_client.h"

namespace codezero::api {
namespace {

using testing::Get;
using testing::JsonOf;

class CatalogApi : public ::testing::Test {
 protected:
  CatalogApi() { testing::ApplyMigrations(database); }
  testing::TestDatabase database;
  testing::ApiServer api{testing::TestApiSettings(database.url(), testing::TestRedisUrl())};
};

TEST_F(CatalogApi, ServesTheCatalogInGermanByDefault) {
  const http::Response response = Get(api.port(), "/v1/catalog");
  ASSERT_EQ(response.result(), http::Status::ok) << response.body();
  EXPECT_EQ(response[http::Field::cache_control], "public, max-age=60");
  EXPECT_FALSE(response[http::Field::etag].empty());
  const auto body = JsonOf(response);
  EXPECT_EQ(body.at("version"), 1);
  EXPECT_EQ(body.at("currency"), "eur");
  EXPECT_EQ(body.at("plans").as_array().size(), 3u);
  const auto& team = body.at("plans").at(1);
  EXPECT_EQ(team.at("code"), "team");
  EXPECT_EQ(team.at("unit_amount").at("month"), 19900);
  EXPECT_EQ(team.at("unit_amount").at("year"), 199000);
  const auto& seats = body.at("addons").at(0);
  EXPECT_EQ(seats.at("name"), "Zusätzlicher Sitz");
  EXPECT_EQ(seats.at("max_quantity").at("team"), 40);
  const auto& sso = body.at("addons").at(2);
  EXPECT_EQ(sso.at("available_with"), (boost::json::array{"team"}));
  EXPECT_EQ(sso.at("included_in"), (boost::json::array{"business"}));
}

TEST_F(CatalogApi, ServesEnglishWithItsOwnETag) {
  const http::Response german = Get(api.port(), "/v1/catalog?locale=de");
  const http::Response english = Get(api.port(), "/v1/catalog?locale=en");
  EXPECT_EQ(JsonOf(english).at("addons").at(0).at("name"), "Additional seat");
  EXPECT_NE(german[http::Field::etag], english[http::Field::etag]);
}

TEST_F(CatalogApi, AnswersNotModifiedToAMatchingIfNoneMatch) {
  const http::Response first = Get(api.port(), "/v1/catalog?locale=en");
  http::Request request = testing::MakeRequest(http::Verb::get, "/v1/catalog?locale=en");
  request.set(http::Field::if_none_match, "\"other\", " + std::string(first[http::Field::etag]));
  const http::Response second = testing::Fetch(api.port(), request);
  EXPECT_EQ(second.result(), http::Status::not_modified);
  EXPECT_TRUE(second.body().empty());
  EXPECT_EQ(second[http::Field::etag], first[http::Field::etag]);
}

TEST_F(CatalogApi, AnUnknownLocaleIs422) {
  const http::Response response = Get(api.port(), "/v1/catalog?locale=fr");
  EXPECT_EQ(response.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(JsonOf(response).at("errors").at(0).at("code"), "unsupported_locale");
}

TEST_F(CatalogApi, ANewVersionIsServedAfterAnImportAndTheOldETagNoLongerMatches) {
  const http::Response before = Get(api.port(), "/v1/catalog");
  database.Execute(
      "INSERT INTO catalog_versions (version, document) SELECT 2, jsonb_set(document, "
      "'{plans,0,monthly_amount}', '5900') FROM catalog_versions WHERE version = 1");
  http::Response after;
  testing::Eventually([&] {
    http::Request request = testing::MakeRequest(http::Verb::get, "/v1/catalog");
    request.set(http::Field::if_none_match, before[http::Field::etag]);
    after = testing::Fetch(api.port(), request);
    return after.result() == http::Status::ok;
  });
  ASSERT_EQ(after.result(), http::Status::ok);
  EXPECT_EQ(JsonOf(after).at("version"), 2);
  EXPECT_EQ(JsonOf(after).at("plans").at(0).at("unit_amount").at("month"), 5900);
}

TEST_F(CatalogApi, CatalogVersionsCannotBeChangedInPlace) {
  EXPECT_THROW(database.Execute("UPDATE catalog_versions SET document = '{}' WHERE version = 1"),
               std::runtime_error);
}

}  // namespace
}  // namespace codezero::api
