#include "stripe/form_encoding.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace codezero::stripe {
namespace {

std::string Decoded(std::string_view body) {
  auto object = DecodeForm(body);
  EXPECT_TRUE(object.has_value()) << body;
  return object ? boost::json::serialize(*object) : std::string();
}

TEST(FormEncoding, WritesBracketedKeysAndEncodesValues) {
  const FormFields fields{{"line_items[0][price_data][unit_amount]", "19900"},
                          {"metadata[order_id]", "ord 1&2"},
                          {"success_url", "https://x.test/ok?session={CHECKOUT_SESSION_ID}"},
                          {"name", "Müller GmbH"}};
  EXPECT_EQ(FormEncode(fields),
            "line_items[0][price_data][unit_amount]=19900&metadata[order_id]=ord%201%262"
            "&success_url=https%3A%2F%2Fx.test%2Fok%3Fsession%3D%7BCHECKOUT_SESSION_ID%7D"
            "&name=M%C3%BCller%20GmbH");
}

TEST(FormEncoding, DecodesWhatItEncodes) {
  const FormFields fields{{"a[b][0][c]", "x y"}, {"a[b][1][c]", "ü+%"}, {"expand[0]", "customer"}};
  EXPECT_EQ(Decoded(FormEncode(fields)),
            R"({"a":{"b":[{"c":"x y"},{"c":"ü+%"}]},"expand":["customer"]})");
}

TEST(FormEncoding, ReadsNestedObjectsListsAndEmptyBrackets) {
  EXPECT_EQ(Decoded("customer=cus_1&metadata[order_id]=o1&metadata[company]=c1"),
            R"({"customer":"cus_1","metadata":{"order_id":"o1","company":"c1"}})");
  EXPECT_EQ(Decoded("expand[]=a&expand[]=b"), R"({"expand":["a","b"]})");
  EXPECT_EQ(Decoded("items[1][q]=2&items[0][q]=1"), R"({"items":[{"q":"1"},{"q":"2"}]})");
  EXPECT_EQ(Decoded("name=a+b&empty=&flag"), R"({"name":"a b","empty":"","flag":""})");
  EXPECT_EQ(Decoded("created%5Bgte%5D=5"), R"({"created":{"gte":"5"}})");
  EXPECT_EQ(Decoded(""), "{}");
}

TEST(FormEncoding, RefusesBrokenInput) {
  EXPECT_FALSE(DecodeForm("a=%2").has_value());
  EXPECT_FALSE(DecodeForm("a=%zz").has_value());
  EXPECT_FALSE(DecodeForm("a[b=1").has_value());
  EXPECT_FALSE(DecodeForm("a[b]x=1").has_value());
  EXPECT_FALSE(DecodeForm("[b]=1").has_value());
  EXPECT_FALSE(DecodeForm("a=1&a[b]=2").has_value());
  EXPECT_FALSE(DecodeForm("a[b]=1&a=2").has_value());
  EXPECT_FALSE(DecodeForm("a[0]=1&a[b]=2").has_value());
  EXPECT_FALSE(DecodeForm("a[10001]=1").has_value());
}

}  // namespace
}  // namespace codezero::stripe
