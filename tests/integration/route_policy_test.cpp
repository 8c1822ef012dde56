// The policies routes declare (api/route_table.h), as the API applies and documents them: the
// route table against the API document it serves, bodies refused by size before they are read,
// and no route answering a body it cannot use with a 5xx.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include <boost/json/serialize.hpp>

#include "support/api_test.h"
#include "support/http_client.h"

namespace codezero::api {
namespace {

namespace json = boost::json;
using testing::JsonOf;

std::string CallerName(Caller caller) {
  switch (caller) {
    case Caller::kAnyone:
      return "anyone";
    case Caller::kUser:
      return "user";
    case Caller::kCompanyMember:
      return "company_member";
    case Caller::kOwner:
      return "owner";
    case Caller::kPlatformAdmin:
      return "platform_admin";
  }
  return "?";
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// The parameter a `$ref` or an inline parameter object stands for.
const json::object& Resolve(const json::object& document, const json::value& parameter) {
  const json::object& object = parameter.as_object();
  if (!object.contains("$ref")) return object;
  std::string_view ref = object.at("$ref").as_string();
  ref.remove_prefix(std::string_view("#/components/parameters/").size());
  return document.at("components").at("parameters").at(ref).as_object();
}

bool HasRequiredHeader(const json::object& document, const json::object& operation,
                       std::string_view name) {
  if (!operation.contains("parameters")) return false;
  for (const json::value& parameter : operation.at("parameters").as_array()) {
    const json::object& resolved = Resolve(document, parameter);
    if (resolved.at("in") == "header" && Lower(resolved.at("name").as_string()) == Lower(name) &&
        resolved.contains("required") && resolved.at("required").as_bool()) {
      return true;
    }
  }
  return false;
}

class RoutePolicy : public testing::ApiTest {};

TEST_F(RoutePolicy, TheApiDocumentDescribesExactlyTheRoutesTheApiServes) {
  Start();
  const http::Response served = Send(http::Verb::get, "/v1/openapi.json");
  ASSERT_EQ(served.result(), http::Status::ok);
  EXPECT_EQ(served[http::Field::content_type], "application/json");
  const json::object document = JsonOf(served).as_object();
  EXPECT_EQ(document.at("openapi"), "3.1.0");
  const json::object& paths = document.at("paths").as_object();

  std::map<std::string, const DeclaredRoute*> declared;  // by operation
  for (const DeclaredRoute& route : api->loop().declared_routes()) {
    declared[route.operation] = &route;
  }
  std::set<std::string> served_operations;
  for (const http::RouteEntry* route : api->loop().router().Routes()) {
    const std::string method = Lower(boost::beast::http::to_string(route->method));
    const std::string where = method + " " + route->pattern;
    ASSERT_FALSE(route->options.name.empty()) << where << " has no operation name";
    served_operations.insert(route->options.name);
    ASSERT_TRUE(paths.contains(route->pattern)) << where << " is not in the API document";
    const json::object& item = paths.at(route->pattern).as_object();
    ASSERT_TRUE(item.contains(method)) << where << " is not in the API document";
    const json::object& operation = item.at(method).as_object();
    EXPECT_EQ(operation.at("operationId").as_string(), route->options.name) << where;

    // Routes outside the table (health) are public.
    const auto found = declared.find(route->options.name);
    const DeclaredRoute* policy = found == declared.end() ? nullptr : found->second;
    const Caller caller = policy ? policy->caller : Caller::kAnyone;
    EXPECT_EQ(operation.at("x-caller").as_string(), CallerName(caller)) << where;
    const json::array& security = operation.at("security").as_array();
    const json::object& responses = operation.at("responses").as_object();
    if (caller == Caller::kAnyone) {
      EXPECT_TRUE(security.empty()) << where << " is public but documents credentials";
    } else {
      EXPECT_EQ(json::serialize(security), R"([{"bearer":[]}])") << where;
      EXPECT_TRUE(responses.contains("401")) << where;
    }
    if (caller == Caller::kCompanyMember || caller == Caller::kOwner ||
        caller == Caller::kPlatformAdmin) {
      EXPECT_TRUE(responses.contains("403")) << where << " refuses other roles with 403";
    }
    const bool idempotent = policy != nullptr && policy->idempotency_key;
    EXPECT_EQ(HasRequiredHeader(document, operation, "Idempotency-Key"), idempotent) << where;
    if (policy != nullptr && !policy->rate_limit.empty()) {
      EXPECT_TRUE(responses.contains("429")) << where << " is rate-limited";
    }
  }

  for (const auto& [pattern, item] : paths) {
    for (const auto& [method, operation] : item.as_object()) {
      if (!operation.is_object() || !operation.as_object().contains("operationId")) continue;
      const std::string id(operation.at("operationId").as_string());
      EXPECT_TRUE(served_operations.contains(id))
          << method << " " << pattern << " (" << id << ") is documented but not served";
    }
  }
}

TEST_F(RoutePolicy, TheDocumentIsCacheableAndRevalidates) {
  Start();
  const http::Response first = Send(http::Verb::get, "/v1/openapi.json");
  ASSERT_EQ(first.result(), http::Status::ok);
  ASSERT_FALSE(first[http::Field::etag].empty());
  EXPECT_EQ(first[http::Field::cache_control], "public, max-age=300");
  const http::Response again = Send(http::Verb::get, "/v1/openapi.json", "", "", "application/json",
                                    {{"If-None-Match", std::string(first[http::Field::etag])}});
  EXPECT_EQ(again.result(), http::Status::not_modified);
  EXPECT_TRUE(again.body().empty());
}

// 512 KiB is the webhook's limit: a larger delivery is refused from its Content-Length, before
// a byte of it is read (before the route knew its limit, the server read up to 1 MiB first).
TEST_F(RoutePolicy, TheWebhookRefusesAnOversizedBodyBeforeReadingIt) {
  Start([](ApiSettings& settings) { settings.stripe_webhook_secrets = {"whsec_route_policy"}; });
  testing::HttpConnection connection(api->port());
  connection.SendRaw(
      "POST /v1/webhooks/stripe HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Stripe-Signature: t=1,v1=00\r\nContent-Length: 600000\r\n\r\n");
  const auto answer = connection.Receive();
  ASSERT_TRUE(answer.has_value()) << "the API waited for a body it should have refused";
  EXPECT_EQ(answer->result(), http::Status::payload_too_large);
  EXPECT_TRUE(connection.ClosedByPeer());

  // Under the limit, the same header is read on: the body decides (here: a bad signature).
  const std::string body(1000, ' ');
  EXPECT_EQ(Send(http::Verb::post, "/v1/webhooks/stripe", body, "", "application/json",
                 {{"Stripe-Signature", "t=1,v1=00"}})
                .result(),
            http::Status::bad_request);
}

// Who calls is checked before what they send: without a token, the missing Idempotency-Key
// is not worth mentioning.
TEST_F(RoutePolicy, AuthenticationComesBeforeTheIdempotencyKey) {
  Start();
  SignUpAndVerify("policy-owner@example.com");
  const Tokens owner = Login("policy-owner%40example.com");
  EXPECT_EQ(Send(http::Verb::post, "/v1/checkout/sessions", "{}").result(),
            http::Status::unauthorized);
  const http::Response no_key = Send(http::Verb::post, "/v1/checkout/sessions", "{}", owner.access);
  EXPECT_EQ(no_key.result(), http::Status::bad_request);
  EXPECT_NE(JsonOf(no_key).at("detail").as_string().find("Idempotency-Key"), std::string::npos);
}

// Every route that takes a body, sent JSON that is not an object (and, for the form routes,
// not a form): a 4xx that says why, never a 5xx. Found by the contract check: PATCH
// /v1/company threw on `[1]`.
TEST_F(RoutePolicy, NoRouteAnswersABodyItCannotUseWithA5xx) {
  Start([](ApiSettings& settings) {
    settings.stripe_webhook_secrets = {"whsec_route_policy"};
    // Configured, so checkout reads its body; nothing may reach this address.
    settings.stripe.secret_key = "sk_test_route_policy";
    settings.stripe.api_base = "http://127.0.0.1:1";
  });
  SignUpAndVerify("policy-bodies@example.com");
  const Tokens owner = Login("policy-bodies%40example.com");
  const Tokens admin = LoginAsNewPlatformAdmin("policy-admin@example.com");
  int sent = 0;
  for (const DeclaredRoute& route : api->loop().declared_routes()) {
    if (route.method != http::Verb::post && route.method != http::Verb::patch &&
        route.method != http::Verb::put) {
      continue;
    }
    std::string target = route.pattern;
    for (const auto& [name, value] :
         {std::pair<std::string, std::string>{"{id}", "9a0c1d52-8f0e-4c61-9d1e-3f0b2a7c5e11"},
          {"{code}", "NOPE"},
          {"{token}", "q2.nope"}}) {
      if (const auto at = target.find(name); at != std::string::npos) {
        target.replace(at, name.size(), value);
      }
    }
    const std::string token = route.caller == Caller::kAnyone          ? ""
                              : route.caller == Caller::kPlatformAdmin ? admin.access
                                                                       : owner.access;
    for (const std::string body : {"[1]", "\"text\"", "null"}) {
      const http::Response answer = Send(route.method, target, body, token, "application/json",
                                         {{"Idempotency-Key", "policy-" + std::to_string(++sent)},
                                          {"Stripe-Signature", "t=1,v1=00"}});
      EXPECT_GE(answer.result_int(), 400u) << route.operation << " " << body;
      EXPECT_LT(answer.result_int(), 500u) << route.operation << " " << body << "\n"
                                           << answer.body();
    }
  }
}

}  // namespace
}  // namespace codezero::api
