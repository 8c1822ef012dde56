// Proves that a request's credentials never reach the logs, even when a handler logs the
// whole request body and the Authorization header on purpose.
#include <gtest/gtest.h>

#include "common/log.h"
#include "http/json_body.h"
#include "support/http_client.h"
#include "support/log_capture.h"
#include "support/server_harness.h"

namespace codezero::http {
namespace {

constexpr std::string_view kBearer = "cz_at_Wm9vbS1zZWNyZXQtYWNjZXNzLXRva2Vu";
constexpr std::string_view kPassword = "Sup3r-Secret-Passw0rd!";

boost::asio::awaitable<Result<Response>> CarelessLogin(Request& request, RequestContext& context) {
  auto body = ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  log::Info("login attempt",
            {{"body", *body},
             {"authorization", std::string_view(request[Field::authorization])},
             {"header_dump", std::string_view(request[Field::authorization])}},
            context.request_id);
  co_return JsonResponse(Status::ok, boost::json::object{{"ok", true}});
}

TEST(LogSecrets, NeitherTheAuthorizationHeaderNorThePasswordAppearInTheLogs) {
  testing::LogCapture logs;
  {
    testing::ServerHarness server(
        [](Router& router, boost::asio::io_context&) { router.Post("/v1/login", CarelessLogin); });
    Request request = testing::MakeRequest(
        Verb::post, "/v1/login?access_token=" + std::string(kBearer),
        R"({"email":"kim@example.com","password":")" + std::string(kPassword) + R"("})");
    request.set(Field::authorization, "Bearer " + std::string(kBearer));
    request.set("X-Request-Id", "secret-test-1");
    EXPECT_EQ(testing::Fetch(server.port(), request).result(), Status::ok);
  }
  const std::string text = logs.text();
  EXPECT_NE(text.find("\"msg\":\"login attempt\""), std::string::npos);
  EXPECT_NE(text.find("\"msg\":\"request\""), std::string::npos);  // the access log line
  EXPECT_NE(text.find("kim@example.com"), std::string::npos);      // ordinary data stays
  EXPECT_EQ(text.find(kBearer), std::string::npos) << text;
  EXPECT_EQ(text.find(kPassword), std::string::npos) << text;
  EXPECT_EQ(text.find("access_token="), std::string::npos);  // no query strings in logs
}

}  // namespace
}  // namespace codezero::http
