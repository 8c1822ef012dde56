#include "http/router.h"

#include <gtest/gtest.h>

namespace codezero::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&, RequestContext&) -> boost::asio::awaitable<Result<Response>> {
    Response response(Status::ok, 11);
    response.body() = name;
    co_return response;
  };
}

// Which handler a match found, by calling it would need a loop; instead compare addresses.
class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router.Get("/v1/orders", Named("list"));
    router.Post("/v1/orders", Named("create"));
    router.Get("/v1/orders/{id}", Named("show"));
    router.Delete("/v1/orders/{id}", Named("delete"));
    router.Get("/v1/orders/export", Named("export"));
    router.Get("/v1/orders/{id}/lines/{line}", Named("line"));
    router.Get("/", Named("root"));
  }
  Router router;
  std::vector<PathParam> params;
};

TEST_F(RouterTest, MatchesALiteralPath) {
  const auto match = router.Find(Verb::get, "/v1/orders", params);
  ASSERT_NE(match.handler, nullptr);
  EXPECT_TRUE(params.empty());
}

TEST_F(RouterTest, MatchesTheRootPath) {
  EXPECT_NE(router.Find(Verb::get, "/", params).handler, nullptr);
}

TEST_F(RouterTest, CapturesPathParameters) {
  const auto match = router.Find(Verb::get, "/v1/orders/ord_123/lines/7", params);
  ASSERT_NE(match.handler, nullptr);
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].name, "id");
  EXPECT_EQ(params[0].value, "ord_123");
  EXPECT_EQ(params[1].name, "line");
  EXPECT_EQ(params[1].value, "7");
}

TEST_F(RouterTest, PercentDecodesParameters) {
  const auto match = router.Find(Verb::get, "/v1/orders/a%20b%2Fc", params);
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ(params.at(0).value, "a b/c");
}

TEST_F(RouterTest, PrefersALiteralSegmentOverAParameter) {
  const auto literal = router.Find(Verb::get, "/v1/orders/export", params);
  EXPECT_TRUE(params.empty());
  const auto parameter = router.Find(Verb::get, "/v1/orders/other", params);
  EXPECT_NE(literal.handler, parameter.handler);
  EXPECT_EQ(params.at(0).value, "other");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  const auto match = router.Find(Verb::get, "/v1/invoices", params);
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_FALSE(match.path_exists);
}

TEST_F(RouterTest, TrailingSlashAndEmptySegmentsDoNotMatch) {
  EXPECT_FALSE(router.Find(Verb::get, "/v1/orders/", params).path_exists);
  EXPECT_FALSE(router.Find(Verb::get, "/v1//orders", params).path_exists);
}

TEST_F(RouterTest, MalformedPercentEncodingIsNotFound) {
  EXPECT_FALSE(router.Find(Verb::get, "/v1/orders/%zz", params).path_exists);
  EXPECT_FALSE(router.Find(Verb::get, "/v1/orders/%2", params).path_exists);
}

TEST_F(RouterTest, KnownPathWithAnotherMethodIsMethodNotAllowedWithAllow) {
  const auto match = router.Find(Verb::put, "/v1/orders", params);
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_TRUE(match.path_exists);
  EXPECT_EQ(match.allow, "GET, HEAD, POST");
}

TEST_F(RouterTest, AllowListsTheMethodsOfAParameterRoute) {
  const auto match = router.Find(Verb::post, "/v1/orders/ord_1", params);
  EXPECT_TRUE(match.path_exists);
  EXPECT_EQ(match.allow, "GET, HEAD, DELETE");
}

TEST_F(RouterTest, HeadIsAnsweredByGet) {
  EXPECT_EQ(router.Find(Verb::head, "/v1/orders", params).handler,
            router.Find(Verb::get, "/v1/orders", params).handler);
}

TEST(RouterRegistration, RejectsARouteRegisteredTwice) {
  Router router;
  router.Get("/a/{id}", Named("x"));
  EXPECT_THROW(router.Get("/a/{id}", Named("y")), std::invalid_argument);
}

TEST(RouterRegistration, RejectsConflictingParameterNames) {
  Router router;
  router.Get("/a/{id}", Named("x"));
  EXPECT_THROW(router.Get("/a/{key}/b", Named("y")), std::invalid_argument);
}

TEST(RouterRegistration, RejectsMalformedPatterns) {
  Router router;
  EXPECT_THROW(router.Get("a", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Get("/a/{id", Named("x")), std::invalid_argument);
}

TEST(PercentDecode, DecodesEscapesAndKeepsPlus) {
  std::string out;
  ASSERT_TRUE(PercentDecode("a%41+%c3%a4", out));
  EXPECT_EQ(out, "aA+\xc3\xa4");
  EXPECT_FALSE(PercentDecode("%4", out));
  EXPECT_FALSE(PercentDecode("%g1", out));
}

}  // namespace
}  // namespace codezero::http
