#include "stripe_fake/params.h"

#include <gtest/gtest.h>

#include "stripe/form_encoding.h"

namespace codezero::stripe_fake {
namespace {

boost::json::object Form(std::string_view body) { return stripe::DecodeForm(body).value(); }

const std::vector<ParamSpec> kSpecs{{"mode", ParamKind::kEnum, "payment|subscription"},
                                    {"line_items.*.quantity", ParamKind::kInteger},
                                    {"line_items.*.price"},
                                    {"metadata", ParamKind::kMetadata},
                                    {"tags", ParamKind::kStringList}};

TEST(StripeFakeParams, KnownParametersPass) {
  EXPECT_TRUE(Validate(Form("mode=payment&line_items[0][quantity]=2&line_items[0][price]=p&"
                            "metadata[a]=1&tags[]=x&expand[]=customer"),
                       kSpecs));
}

TEST(StripeFakeParams, AnUnknownParameterIsNamedLikeStripeNamesIt) {
  const auto top = Validate(Form("mdoe=payment"), kSpecs);
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().code, "parameter_unknown");
  EXPECT_EQ(top.error().param, "mdoe");
  const auto nested = Validate(Form("line_items[1][qty]=2"), kSpecs);
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().param, "line_items[0][qty]");
}

TEST(StripeFakeParams, BadIntegersAndChoicesAreInvalidRequests) {
  const auto integer = Validate(Form("line_items[0][quantity]=two"), kSpecs);
  ASSERT_FALSE(integer);
  EXPECT_EQ(integer.error().code, "parameter_invalid_integer");
  EXPECT_EQ(integer.error().param, "line_items[0][quantity]");
  EXPECT_EQ(integer.error().message, "Invalid integer: two");
  const auto choice = Validate(Form("mode=setup"), kSpecs);
  ASSERT_FALSE(choice);
  EXPECT_EQ(choice.error().message, "Invalid mode: must be one of payment, or subscription");
}

TEST(StripeFakeParams, MetadataUpdatesFollowStripe) {
  boost::json::object metadata{{"keep", "1"}, {"drop", "2"}};
  const auto update = Form("metadata[drop]=&metadata[new]=3");
  ApplyMetadata(metadata, At(update, "metadata"));
  EXPECT_EQ(metadata, (boost::json::object{{"keep", "1"}, {"new", "3"}}));
  const auto clear = Form("metadata=");
  ApplyMetadata(metadata, At(clear, "metadata"));
  EXPECT_TRUE(metadata.empty());
}

TEST(StripeFakeParams, DottedPathsReachIntoListsAndObjects) {
  const auto params = Form("line_items[0][price_data][unit_amount]=5&line_items[1][price]=p");
  EXPECT_EQ(Int(params, "line_items.0.price_data.unit_amount"), 5);
  EXPECT_EQ(Str(params, "line_items.1.price"), "p");
  EXPECT_FALSE(Str(params, "line_items.2.price"));
  EXPECT_EQ(Objects(params, "line_items").size(), 2u);
  EXPECT_EQ(DisplayName("line_items.0.price"), "line_items[0][price]");
}

}  // namespace
}  // namespace codezero::stripe_fake
