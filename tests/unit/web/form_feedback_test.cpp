#include "web/form_feedback.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/mustache_data.h"
#include "web/session.h"

namespace codezero::web {
namespace {

namespace json = boost::json;

http::Response Answer(unsigned status, std::string body) {
  http::Response answer(static_cast<http::Status>(status), 11);
  answer.body() = std::move(body);
  return answer;
}

constexpr FieldMapping kFields[] = {{"user.email", "email"}, {"company.address.city", "city"}};

TEST(FormFeedback, TheApisFieldErrorsStandAtTheFormsFieldsAndInTheSummary) {
  const json::object feedback = FeedbackOf(Answer(422, R"({"status":422,"errors":[
        {"code":"invalid_email","field":"user.email","message":"Keine gültige Adresse."},
        {"code":"required","field":"company.address.city","message":"Pflichtfeld."},
        {"code":"x","field":"somewhere.else","message":"Sonst etwas."}]})"),
                                           kFields);
  EXPECT_TRUE(feedback.at("problem").as_bool());
  EXPECT_TRUE(feedback.at("refused").as_bool());
  EXPECT_EQ(feedback.at("field").at("email").at("error").as_string(), "Keine gültige Adresse.");
  EXPECT_TRUE(feedback.at("field").at("city").at("invalid").as_bool());
  const json::array& summary = feedback.at("errors").as_array();
  ASSERT_EQ(summary.size(), 3U);
  EXPECT_EQ(summary.at(0).at("anchor").as_string(), "field-email");
  EXPECT_FALSE(summary.at(2).as_object().contains("anchor")) << "no field of the form";
}

TEST(FormFeedback, ARateLimitSaysHowManyMinutesToWait) {
  http::Response answer = Answer(429, "{}");
  answer.set(http::Field::retry_after, "61");
  const json::object feedback = FeedbackOf(answer, kFields);
  EXPECT_TRUE(feedback.at("rate_limited").as_bool());
  EXPECT_EQ(feedback.at("wait_minutes").as_int64(), 2);
}

TEST(FormFeedback, SignInRefusalsAndDeadLinksHaveTheirOwnFlags) {
  EXPECT_TRUE(
      FeedbackOf(Answer(400, R"({"error":"invalid_grant","reason":"email_unverified"})"), {})
          .at("email_unverified")
          .as_bool());
  EXPECT_TRUE(FeedbackOf(Answer(400, R"({"error":"invalid_grant"})"), {})
                  .at("wrong_credentials")
                  .as_bool());
  EXPECT_TRUE(FeedbackOf(Answer(400, R"({"errors":[{"code":"invalid_link","field":"token",
                                            "message":"x"}]})"),
                         {})
                  .at("invalid_link")
                  .as_bool());
  EXPECT_TRUE(FeedbackOf(Answer(409, "{}"), {}).at("conflict").as_bool());
}

TEST(MustacheData, AnEmptyTextCountsAsFalseInASection) {
  kainjow::mustache::mustache view{"[{{#a}}has a{{/a}}{{^a}}no a{{/a}}|{{b}}]"};
  EXPECT_EQ(view.render(MustacheDataOf(json::object{{"a", ""}, {"b", ""}})), "[no a|]");
  EXPECT_EQ(view.render(MustacheDataOf(json::object{{"a", "x"}, {"b", "y"}})), "[has a|y]");
}

TEST(Session, SurvivesTheTripThroughRedisWithoutItsId) {
  Session session;
  session.id = "not-stored";
  session.user_id = "u";
  session.company_id = "c";
  session.email = "kim@example.com";
  session.name = "Kim";
  session.role = "owner";
  session.locale = domain::Locale::kEn;
  session.access_token = "cz_at_1";
  session.refresh_token = "cz_rt_1";
  session.access_expires_at = 100;
  session.started_at_ms = 50'123;
  const std::string stored = SerializeSession(session);
  EXPECT_EQ(stored.find("not-stored"), std::string::npos);
  const auto back = DeserializeSession(stored);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->email, "kim@example.com");
  EXPECT_TRUE(back->owner());
  EXPECT_EQ(back->locale, domain::Locale::kEn);
  EXPECT_EQ(back->refresh_token, "cz_rt_1");
  EXPECT_EQ(back->access_expires_at, 100);
  EXPECT_EQ(back->started_at_ms, 50'123);
  // One stored by the version before, with its start in whole seconds.
  json::object old = json::parse(stored).as_object();
  old.erase("started_at_ms");
  EXPECT_EQ(DeserializeSession(json::serialize(old))->started_at_ms, 50'000);
  EXPECT_FALSE(DeserializeSession("{}"));
  EXPECT_FALSE(DeserializeSession("nonsense"));
  EXPECT_NE(SessionKey("a"), SessionKey("b"));
  EXPECT_EQ(SessionKey("a").size(), std::string("web:session:").size() + 64)
      << "a hash, not the id";
}

}  // namespace
}  // namespace codezero::web
