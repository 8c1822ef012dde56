#include "common/json_fields.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace codezero {
namespace {

TEST(JsonFields, ReadsTypedFields) {
  const auto body = boost::json::parse(R"({"name":"Acme GmbH","seats":5,"trial":false})");
  JsonFields fields(body);
  EXPECT_EQ(fields.String("name"), "Acme GmbH");
  EXPECT_EQ(fields.Integer("seats", {.min = 1, .max = 10}), 5);
  EXPECT_EQ(fields.Boolean("trial"), false);
  EXPECT_TRUE(fields.Finish());
}

TEST(JsonFields, CollectsEveryProblemAtOnce) {
  const auto body = boost::json::parse(
      R"({"name":"","seats":99,"trial":"yes","company":{"country":7},"extra":1})");
  JsonFields fields(body);
  (void)fields.String("name", {.min_length = 1});
  (void)fields.Integer("seats", {.min = 1, .max = 10});
  (void)fields.Boolean("trial");
  (void)fields.String("email");
  JsonFields company = fields.Object("company");
  (void)company.String("country");
  company.RejectUnknown();
  fields.RejectUnknown();
  const auto finished = fields.Finish();
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, ErrorCode::kValidationFailed);
  std::vector<std::string> seen;
  for (const FieldError& error : finished.error().fields)
    seen.push_back(error.code + " " + error.field);
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "required name", "out_of_range seats", "invalid_type trial", "required email",
                      "invalid_type company.country", "unknown_field extra"}));
}

TEST(JsonFields, CountsLengthInCharactersNotBytes) {
  const auto body = boost::json::parse(R"({"city":"Köln"})");
  JsonFields fields(body);
  EXPECT_EQ(fields.String("city", {.max_length = 4}), "Köln");
  EXPECT_TRUE(fields.Finish());
}

TEST(JsonFields, ANonObjectBodyIsOneError) {
  const auto body = boost::json::parse("[1,2]");
  JsonFields fields(body);
  (void)fields.String("name");
  const auto finished = fields.Finish();
  ASSERT_FALSE(finished);
  ASSERT_EQ(finished.error().fields.size(), 1u);
  EXPECT_EQ(finished.error().fields[0].code, "not_an_object");
}

TEST(JsonFields, OptionalFieldsMayBeAbsentOrNull) {
  const auto body = boost::json::parse(R"({"vat_id":null})");
  JsonFields fields(body);
  EXPECT_FALSE(fields.String("vat_id", {.required = false}).has_value());
  EXPECT_FALSE(fields.Integer("quantity", {.required = false}).has_value());
  EXPECT_TRUE(fields.Finish());
}

TEST(JsonFields, RejectsFractionsAndHugeNumbersAsIntegers) {
  const auto body = boost::json::parse(R"({"a":1.5,"b":18446744073709551615})");
  JsonFields fields(body);
  EXPECT_FALSE(fields.Integer("a").has_value());
  EXPECT_FALSE(fields.Integer("b").has_value());
  EXPECT_EQ(fields.Finish().error().fields.size(), 2u);
}

}  // namespace
}  // namespace codezero
