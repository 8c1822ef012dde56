#include "support/api_test.h"

#include "support/child_process.h"
#include "support/eventually.h"

namespace codezero::testing {

ApiTest::ApiTest() { ApplyMigrations(database); }

void ApiTest::Start(std::function<void(api::ApiSettings&)> adjust) {
  api::ApiSettings settings = TestApiSettings(database.url(), redis_url);
  if (adjust) adjust(settings);
  api = std::make_unique<ApiServer>(std::move(settings));
}

void ApiTest::StartCountingLimits(std::function<void(api::ApiSettings&)> adjust) {
  Start([&](api::ApiSettings& settings) {
    settings.server.threads = 1;
    if (adjust) adjust(settings);
  });
  ASSERT_TRUE(Eventually([&] {
    return Fetch(api->port(), MakeRequest(http::Verb::get, "/readyz")).result() == http::Status::ok;
  })) << "the API never reached Redis";
}

http::Response ApiTest::Send(http::Verb method, const std::string& path, const std::string& body,
                             const std::string& token, const std::string& content_type,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  http::Request request = MakeRequest(method, path, body, content_type);
  if (!token.empty()) request.set(http::Field::authorization, "Bearer " + token);
  for (const auto& [name, value] : headers) request.set(name, value);
  return Fetch(api->port(), request);
}

void ApiTest::WaitForQuotesToSee(const std::string& discount_member, bool honoured) {
  const std::string body =
      R"({"plan":"team","interval":"month","customer":{"country":"DE","type":"business"},)" +
      discount_member + "}";
  const http::Status wanted = honoured ? http::Status::created : http::Status::unprocessable_entity;
  // Every loop: a request lands on any of them, so several answers in a row must agree.
  int in_a_row = 0;
  EXPECT_TRUE(Eventually([&] {
    in_a_row = Send(http::Verb::post, "/v1/quotes", body).result() == wanted ? in_a_row + 1 : 0;
    return in_a_row >= 16;
  })) << "quotes never saw "
      << discount_member;
}

http::Response ApiTest::PostForm(const std::string& path, const std::string& form) {
  return Send(http::Verb::post, path, form, "", "application/x-www-form-urlencoded");
}

std::string ApiTest::SignUpBody(const std::string& email, const std::string& company,
                                const std::string& country, const std::string& vat_id) {
  const std::string vat = vat_id.empty() ? "" : R"(,"vat_id":")" + vat_id + "\"";
  return R"({"company":{"name":")" + company + R"(","country":")" + country + "\"" + vat +
         R"(,"address":{"line1":"Hauptstr. 1","postal_code":"10115","city":"Berlin"}},)"
         R"("user":{"email":")" +
         email + R"(","password":")" + std::string(kTestPassword) +
         R"(","name":"Kim","locale":"en"}})";
}

std::string ApiTest::LinkToken(const std::string& template_name, const std::string& to) {
  const std::string link = database.QueryValue(
      "SELECT payload->>'link' FROM email_outbox WHERE template = '" + template_name +
      "' AND to_address = '" + to + "' ORDER BY id DESC LIMIT 1");
  const std::size_t at = link.find("token=");
  return at == std::string::npos ? "" : link.substr(at + 6);
}

std::string ApiTest::SignUpAndVerify(const std::string& email, const std::string& company,
                                     const std::string& country, const std::string& vat_id) {
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/accounts", SignUpBody(email, company, country, vat_id)).result(),
      http::Status::accepted);
  EXPECT_EQ(Send(http::Verb::post, "/v1/accounts/verify",
                 R"({"token":")" + LinkToken("verify_email", email) + R"("})")
                .result(),
            http::Status::no_content);
  return email;
}

ApiTest::Tokens ApiTest::Login(const std::string& email, std::string_view password) {
  const http::Response response =
      PostForm("/v1/oauth/token",
               "grant_type=password&username=" + email + "&password=" + std::string(password));
  EXPECT_EQ(response.result(), http::Status::ok) << response.body();
  if (response.result() != http::Status::ok) return {};
  const auto body = JsonOf(response);
  return {std::string(body.at("access_token").as_string()),
          std::string(body.at("refresh_token").as_string())};
}

ApiTest::Tokens ApiTest::LoginAsNewPlatformAdmin(const std::string& email) {
  const CommandOutput created =
      RunToEnd(CODEZERO_BINARY, {"admin", "create-user", "--email", email},
               {"DATABASE_URL=" + database.url(), "LOG_LEVEL=warn"});
  EXPECT_EQ(created.exit_code, 0) << created.output;
  const std::string marker = "password (shown once): ";
  const std::size_t at = created.output.find(marker);
  if (at == std::string::npos) return {};
  std::string password = created.output.substr(at + marker.size());
  password = password.substr(0, password.find('\n'));
  std::string form_email;
  for (const char c : email) form_email += c == '@' ? std::string("%40") : std::string(1, c);
  return Login(form_email, password);
}

http::Response ApiTest::Refresh(const std::string& refresh_token) {
  return PostForm("/v1/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh_token);
}

}  // namespace codezero::testing
