// The Stripe stand-in's API layer over real HTTP: keys, Stripe's error envelopes, idempotent
// requests, the catalog resources (customers, products, prices, tax rates, coupons), lists
// with pagination and expand, and the events list.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include <boost/json/parse.hpp>

#include "support/eventually.h"
#include "support/http_client.h"
#include "support/json_values.h"
#include "support/stripe_fake_server.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;
using testing::StripeFakeServer;

json::value Body(const http::Response& response) { return json::parse(response.body()); }

using testing::Id;

TEST(StripeFakeApi, AMissingKeyIs401WithStripesMessage) {
  StripeFakeServer fake;
  http::Request request = testing::MakeRequest(http::Verb::get, "/v1/customers");
  const http::Response response = testing::Fetch(fake.port(), std::move(request));
  EXPECT_EQ(response.result_int(), 401);
  const json::value body = Body(response);
  EXPECT_EQ(body.at("error").at("type"), "invalid_request_error");
  EXPECT_TRUE(
      body.at("error").at("message").as_string().starts_with("You did not provide an API key."));
  EXPECT_TRUE(std::string(response["Request-Id"]).starts_with("req_"));
}

TEST(StripeFakeApi, AWrongKeyIs401AndTheMessageMasksIt) {
  StripeFakeServer fake;
  http::Request request = testing::MakeRequest(http::Verb::get, "/v1/customers");
  request.set(http::Field::authorization, "Bearer sk_test_somebodyelse9876");
  const http::Response response = testing::Fetch(fake.port(), std::move(request));
  EXPECT_EQ(response.result_int(), 401);
  EXPECT_EQ(Body(response).at("error").at("message"), "Invalid API Key provided: sk_test_****9876");
  EXPECT_EQ(response.body().find("somebodyelse"), std::string::npos);
}

TEST(StripeFakeApi, BasicAuthWithTheKeyAsUserNameWorks) {
  StripeFakeServer fake;
  http::Request request = testing::MakeRequest(http::Verb::get, "/v1/customers");
  // base64("sk_test_codezero_local:")
  request.set(http::Field::authorization, "Basic c2tfdGVzdF9jb2RlemVyb19sb2NhbDo=");
  const http::Response response = testing::Fetch(fake.port(), std::move(request));
  EXPECT_EQ(response.result_int(), 200) << response.body();
  EXPECT_EQ(Body(response).at("object"), "list");
}

TEST(StripeFakeApi, ErrorsUseStripesEnvelopeAndStatusCodes) {
  StripeFakeServer fake;
  auto missing = fake.Call(http::Verb::get, "/v1/customers/cus_doesnotexist");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(Body(missing).at("error").at("code"), "resource_missing");
  EXPECT_EQ(Body(missing).at("error").at("message"), "No such customer: 'cus_doesnotexist'");
  EXPECT_EQ(Body(missing).at("error").at("param"), "id");

  auto unknown = fake.Call(http::Verb::post, "/v1/customers", {{"nmae", "typo"}});
  EXPECT_EQ(unknown.result_int(), 400);
  EXPECT_EQ(Body(unknown).at("error").at("code"), "parameter_unknown");
  EXPECT_EQ(Body(unknown).at("error").at("param"), "nmae");
  EXPECT_EQ(Body(unknown).at("error").at("message"), "Received unknown parameter: nmae");

  auto integer = fake.Call(http::Verb::post, "/v1/checkout/sessions",
                           {{"mode", "payment"},
                            {"success_url", "https://example.com"},
                            {"line_items[0][price_data][currency]", "eur"},
                            {"line_items[0][price_data][unit_amount]", "12.50"},
                            {"line_items[0][price_data][product_data][name]", "X"},
                            {"line_items[0][quantity]", "1"}});
  EXPECT_EQ(integer.result_int(), 400);
  EXPECT_EQ(Body(integer).at("error").at("code"), "parameter_invalid_integer");
  EXPECT_EQ(Body(integer).at("error").at("param"), "line_items[0][price_data][unit_amount]");

  auto required = fake.Call(http::Verb::post, "/v1/tax_rates",
                            {{"display_name", "VAT"}, {"inclusive", "false"}});
  EXPECT_EQ(required.result_int(), 400);
  EXPECT_EQ(Body(required).at("error").at("code"), "parameter_missing");
  EXPECT_EQ(Body(required).at("error").at("param"), "percentage");

  auto choice = fake.Call(http::Verb::post, "/v1/customers", {{"tax_exempt", "maybe"}});
  EXPECT_EQ(choice.result_int(), 400);
  EXPECT_EQ(Body(choice).at("error").at("param"), "tax_exempt");

  fake.Post("/v1/products", {{"id", "team"}, {"name", "Team"}});
  auto taken = fake.Call(http::Verb::post, "/v1/products", {{"id", "team"}, {"name", "Team"}});
  EXPECT_EQ(taken.result_int(), 400);
  EXPECT_EQ(Body(taken).at("error").at("code"), "resource_already_exists");
}

// Stripe answers a URL it has no resource for with its error envelope, not an HTML page or a
// problem document, whatever the method, so a client's error handling sees what it would see
// from api.stripe.com.
TEST(StripeFakeApi, AnUnknownUrlIsStripes404Envelope) {
  StripeFakeServer fake;
  for (const auto& [method, path] : std::vector<std::pair<http::Verb, std::string>>{
           {http::Verb::get, "/v1/no_such_things"},
           {http::Verb::post, "/v1/customers/cus_1/no_such_thing"},
           {http::Verb::delete_, "/v1/products"}}) {
    const auto answer = fake.Call(method, path);
    EXPECT_EQ(answer.result_int(), 404) << path;
    EXPECT_EQ(answer[http::Field::content_type], "application/json");
    EXPECT_TRUE(answer["Request-Id"].starts_with("req_"));
    const auto body = Body(answer);
    EXPECT_EQ(body.at("error").at("type"), "invalid_request_error");
    EXPECT_EQ(body.at("error").at("message").as_string(),
              "Unrecognized request URL (" + std::string(boost::beast::http::to_string(method)) +
                  ": " + path + ").");
  }
}

TEST(StripeFakeApi, AnIdempotencyKeyReplaysTheFirstResponse) {
  StripeFakeServer fake;
  const stripe::FormFields fields{{"email", "ada@example.com"}};
  const auto first = fake.Call(http::Verb::post, "/v1/customers", fields,
                               {{"Idempotency-Key", "order-1-customer"}});
  const auto second = fake.Call(http::Verb::post, "/v1/customers", fields,
                                {{"Idempotency-Key", "order-1-customer"}});
  ASSERT_EQ(first.result_int(), 200);
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(second.body(), first.body());
  EXPECT_EQ(second["Idempotent-Replayed"], "true");
  EXPECT_EQ(first["Idempotent-Replayed"], "");
  EXPECT_EQ(fake.Get("/v1/customers").at("data").as_array().size(), 1u);
}

TEST(StripeFakeApi, AnIdempotencyKeyWithOtherParametersIsRefused) {
  StripeFakeServer fake;
  fake.Call(http::Verb::post, "/v1/customers", {{"email", "a@example.com"}},
            {{"Idempotency-Key", "k1"}});
  const auto other = fake.Call(http::Verb::post, "/v1/customers", {{"email", "b@example.com"}},
                               {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(other.result_int(), 400);
  EXPECT_EQ(Body(other).at("error").at("type"), "idempotency_error");
  EXPECT_NE(Body(other).at("error").at("message").as_string().find(
                "Keys for idempotent requests can only be used with the same parameters"),
            std::string::npos);
}

// Stripe keeps the first answer of a key once the endpoint began executing, a 500 included
// (https://docs.stripe.com/api/idempotent_requests), so the same key can only answer it again:
// it says so with Stripe-Should-Retry: false.
TEST(StripeFakeApi, AnIdempotencyKeyKeepsA500ForGood) {
  StripeFakeServer fake;
  fake.FailAnswers("/v1/customers", 1);
  const stripe::FormFields fields{{"email", "ada@example.com"}};
  const auto first =
      fake.Call(http::Verb::post, "/v1/customers", fields, {{"Idempotency-Key", "boom"}});
  EXPECT_EQ(first.result_int(), 500);
  EXPECT_EQ(Body(first).at("error").at("type"), "api_error");
  EXPECT_EQ(first["Stripe-Should-Retry"], "false");
  const auto again =
      fake.Call(http::Verb::post, "/v1/customers", fields, {{"Idempotency-Key", "boom"}});
  EXPECT_EQ(again.result_int(), 500);
  EXPECT_EQ(again["Idempotent-Replayed"], "true");
  EXPECT_EQ(again["Stripe-Should-Retry"], "false");
  // The work was done before the failure: one customer, found under another key's request.
  EXPECT_EQ(fake.Get("/v1/customers").at("data").as_array().size(), 1u);
  // A request refused by validation keeps nothing: the same key works once it is right.
  const auto invalid = fake.Call(http::Verb::post, "/v1/customers", {{"bogus", "1"}},
                                 {{"Idempotency-Key", "fixable"}});
  EXPECT_EQ(invalid.result_int(), 400);
  const auto fixed =
      fake.Call(http::Verb::post, "/v1/customers", fields, {{"Idempotency-Key", "fixable"}});
  EXPECT_EQ(fixed.result_int(), 200);
  EXPECT_EQ(fixed["Idempotent-Replayed"], "");
}

// Stripe knows each tax ID type's format (https://docs.stripe.com/billing/customer/tax-ids) and
// refuses a value that does not have it, or a type it does not know.
TEST(StripeFakeApi, TaxIdsAreCheckedForTheirTypesFormat) {
  StripeFakeServer fake;
  const auto create = [&](const std::string& type, const std::string& value) {
    return fake.Call(http::Verb::post, "/v1/customers",
                     {{"tax_id_data[0][type]", type}, {"tax_id_data[0][value]", value}});
  };
  for (const auto& [type, value] :
       std::vector<std::pair<std::string, std::string>>{{"eu_vat", "ATU12345675"},
                                                        {"eu_vat", "EL094259216"},
                                                        {"gb_vat", "GB980780684"},
                                                        {"gb_vat", "GBGD100"},
                                                        {"ch_vat", "CHE-100.155.212 MWST"},
                                                        {"ch_vat", "CHE-107.787.577 IVA"},
                                                        {"no_vat", "995525828MVA"}}) {
    EXPECT_EQ(create(type, value).result_int(), 200) << type << " " << value;
  }
  for (const auto& [type, value] :
       std::vector<std::pair<std::string, std::string>>{{"eu_vat", "CHE-100.155.212 MWST"},
                                                        {"eu_vat", "GR094259216"},
                                                        {"gb_vat", "980780684"},
                                                        {"ch_vat", "CHE100155212"},
                                                        {"no_vat", "NO995525828"}}) {
    const auto refused = create(type, value);
    EXPECT_EQ(refused.result_int(), 400) << type << " " << value;
    EXPECT_EQ(Body(refused).at("error").at("code"), "tax_id_invalid");
    EXPECT_EQ(Body(refused).at("error").at("param"), "tax_id_data[0][value]");
  }
  const auto unknown = create("vat", "DE123456789");
  EXPECT_EQ(unknown.result_int(), 400);
  EXPECT_EQ(Body(unknown).at("error").at("param"), "tax_id_data[0][type]");
  EXPECT_EQ(fake.Get("/v1/customers").at("data").as_array().size(), 7u);
}

TEST(StripeFakeApi, AnIdempotencyKeyStillInFlightIs409) {
  stripe_fake::FakeSettings settings = testing::TestStripeFakeSettings();
  settings.latency = std::chrono::milliseconds(1500);
  StripeFakeServer fake(settings);
  auto first = std::async(std::launch::async, [&] {
    return fake.Call(http::Verb::post, "/v1/customers", {{"email", "a@example.com"}},
                     {{"Idempotency-Key", "slow"}});
  });
  // The first request holds its key while its (slow) answer is on the way.
  ASSERT_TRUE(testing::Eventually([&] { return fake.IdempotencyKeyInFlight("slow"); },
                                  std::chrono::milliseconds(1000), std::chrono::milliseconds(5)));
  const auto second = fake.Call(http::Verb::post, "/v1/customers", {{"email", "a@example.com"}},
                                {{"Idempotency-Key", "slow"}});
  EXPECT_EQ(second.result_int(), 409);
  EXPECT_EQ(Body(second).at("error").at("type"), "idempotency_error");
  EXPECT_EQ(first.get().result_int(), 200);
  const auto third = fake.Call(http::Verb::post, "/v1/customers", {{"email", "a@example.com"}},
                               {{"Idempotency-Key", "slow"}});
  EXPECT_EQ(third["Idempotent-Replayed"], "true");
}

TEST(StripeFakeApi, CustomersAreCreatedRetrievedUpdatedAndListed) {
  StripeFakeServer fake;
  const json::value created = fake.Post("/v1/customers", {{"name", "Ada GmbH"},
                                                          {"email", "ada@example.com"},
                                                          {"preferred_locales[]", "de"},
                                                          {"address[country]", "DE"},
                                                          {"tax_exempt", "reverse"},
                                                          {"tax_id_data[0][type]", "eu_vat"},
                                                          {"tax_id_data[0][value]", "DE123456789"},
                                                          {"metadata[company_id]", "co_1"},
                                                          {"metadata[drop]", "x"}});
  const std::string id = Id(created);
  EXPECT_TRUE(id.starts_with("cus_"));
  EXPECT_EQ(id.size(), 4u + 24u);
  EXPECT_EQ(created.at("object"), "customer");
  EXPECT_EQ(created.at("livemode"), false);
  EXPECT_EQ(created.at("tax_exempt"), "reverse");
  EXPECT_EQ(created.at("address").at("country"), "DE");
  EXPECT_EQ(created.at("preferred_locales").at(0), "de");
  const std::string prefix(created.at("invoice_prefix").as_string());
  EXPECT_EQ(prefix.size(), 8u);
  for (char c : prefix) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));

  const json::value updated =
      fake.Post("/v1/customers/" + id, {{"name", "Ada AG"}, {"metadata[drop]", ""}});
  EXPECT_EQ(updated.at("name"), "Ada AG");
  EXPECT_FALSE(updated.at("metadata").as_object().contains("drop"));
  EXPECT_EQ(updated.at("metadata").at("company_id"), "co_1");
  EXPECT_EQ(fake.Get("/v1/customers/" + id).at("name"), "Ada AG");
  const json::value expanded = fake.Get("/v1/customers/" + id, {{"expand[]", "tax_ids"}});
  EXPECT_EQ(expanded.at("tax_ids").at("data").at(0).at("value"), "DE123456789");

  const json::value events = fake.Get("/v1/events", {{"type", "customer.updated"}});
  ASSERT_EQ(events.at("data").as_array().size(), 1u);
  const json::value& event = events.at("data").at(0);
  EXPECT_EQ(event.at("data").at("previous_attributes").at("name"), "Ada GmbH");
  EXPECT_EQ(event.at("data").at("object").at("name"), "Ada AG");
  EXPECT_TRUE(event.at("request").at("id").as_string().starts_with("req_"));

  // An empty string unsets a field, and the whole address.
  const json::value blanked =
      fake.Post("/v1/customers/" + id, {{"name", ""}, {"email", ""}, {"address", ""}});
  EXPECT_TRUE(blanked.at("name").is_null());
  EXPECT_TRUE(blanked.at("email").is_null());
  EXPECT_TRUE(blanked.at("address").is_null());
}

TEST(StripeFakeApi, ProductsPricesTaxRatesAndCouponsKeepTheirFields) {
  StripeFakeServer fake;
  const json::value product =
      fake.Post("/v1/products", {{"id", "team"}, {"name", "Team"}, {"metadata[plan]", "team"}});
  EXPECT_EQ(Id(product), "team");
  EXPECT_EQ(fake.Get("/v1/products/team").at("metadata").at("plan"), "team");

  const json::value price = fake.Post("/v1/prices", {{"currency", "EUR"},
                                                     {"unit_amount", "19900"},
                                                     {"product", "team"},
                                                     {"recurring[interval]", "year"}});
  EXPECT_TRUE(Id(price).starts_with("price_"));
  EXPECT_EQ(price.at("type"), "recurring");
  EXPECT_EQ(price.at("currency"), "eur");
  EXPECT_EQ(price.at("recurring").at("interval"), "year");
  EXPECT_EQ(price.at("unit_amount"), 19900);
  const json::value one_time = fake.Post(
      "/v1/prices", {{"currency", "eur"}, {"unit_amount", "500"}, {"product_data[name]", "W"}});
  EXPECT_EQ(one_time.at("type"), "one_time");
  EXPECT_TRUE(one_time.at("product").as_string().starts_with("prod_"));

  const json::value rate = fake.Post("/v1/tax_rates", {{"display_name", "ALV"},
                                                       {"percentage", "25.5"},
                                                       {"inclusive", "false"},
                                                       {"country", "FI"},
                                                       {"jurisdiction", "FI"},
                                                       {"description", "Finland"}});
  EXPECT_TRUE(Id(rate).starts_with("txr_"));
  EXPECT_DOUBLE_EQ(rate.at("percentage").to_number<double>(), 25.5);
  EXPECT_EQ(rate.at("inclusive"), false);
  EXPECT_EQ(rate.at("country"), "FI");
  auto too_precise =
      fake.Call(http::Verb::post, "/v1/tax_rates",
                {{"display_name", "X"}, {"percentage", "7.125"}, {"inclusive", "false"}});
  EXPECT_EQ(too_precise.result_int(), 400);
  EXPECT_EQ(fake.Get("/v1/tax_rates").at("data").as_array().size(), 1u);

  const json::value coupon = fake.Post("/v1/coupons", {{"id", "LAUNCH20"},
                                                       {"percent_off", "20"},
                                                       {"duration", "repeating"},
                                                       {"duration_in_months", "3"},
                                                       {"applies_to[products][]", "team"},
                                                       {"max_redemptions", "5"},
                                                       {"name", "Launch"}});
  EXPECT_EQ(Id(coupon), "LAUNCH20");
  EXPECT_EQ(coupon.at("percent_off"), 20);
  EXPECT_EQ(coupon.at("duration_in_months"), 3);
  EXPECT_EQ(coupon.at("applies_to").at("products").at(0), "team");
  const json::value amount =
      fake.Post("/v1/coupons", {{"amount_off", "1000"}, {"currency", "eur"}, {"duration", "once"}});
  EXPECT_EQ(amount.at("amount_off"), 1000);
  EXPECT_EQ(fake.Delete("/v1/coupons/LAUNCH20").at("deleted"), true);
  EXPECT_EQ(fake.Call(http::Verb::get, "/v1/coupons/LAUNCH20").result_int(), 404);
}

TEST(StripeFakeApi, ListsAreNewestFirstAndPageWithStartingAfterAndEndingBefore) {
  StripeFakeServer fake;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(Id(fake.Post("/v1/customers", {{"email", "c" + std::to_string(i) + "@x.com"}})));
  }
  const json::value first = fake.Get("/v1/customers", {{"limit", "2"}});
  EXPECT_EQ(first.at("url"), "/v1/customers");
  EXPECT_EQ(first.at("has_more"), true);
  ASSERT_EQ(first.at("data").as_array().size(), 2u);
  EXPECT_EQ(Id(first.at("data").at(0)), ids[4]);
  EXPECT_EQ(Id(first.at("data").at(1)), ids[3]);
  const json::value second =
      fake.Get("/v1/customers", {{"limit", "2"}, {"starting_after", ids[3]}});
  EXPECT_EQ(Id(second.at("data").at(0)), ids[2]);
  EXPECT_EQ(Id(second.at("data").at(1)), ids[1]);
  EXPECT_EQ(second.at("has_more"), true);
  const json::value last = fake.Get("/v1/customers", {{"limit", "2"}, {"starting_after", ids[1]}});
  ASSERT_EQ(last.at("data").as_array().size(), 1u);
  EXPECT_EQ(last.at("has_more"), false);
  const json::value back = fake.Get("/v1/customers", {{"limit", "2"}, {"ending_before", ids[1]}});
  ASSERT_EQ(back.at("data").as_array().size(), 2u);
  EXPECT_EQ(Id(back.at("data").at(0)), ids[3]);
  EXPECT_EQ(Id(back.at("data").at(1)), ids[2]);
  EXPECT_EQ(fake.Call(http::Verb::get, "/v1/customers", {{"limit", "101"}}).result_int(), 400);
  EXPECT_EQ(fake.Get("/v1/customers", {{"email", "c2@x.com"}}).at("data").as_array().size(), 1u);
}

TEST(StripeFakeApi, EventsFilterByTypeTypesAndCreatedAndPage) {
  StripeFakeServer fake;
  const std::string customer = Id(fake.Post("/v1/customers", {{"name", "A"}}));
  fake.Post("/v1/customers/" + customer, {{"name", "B"}});
  fake.Post("/v1/products", {{"name", "P"}});
  fake.Post("/v1/tax_rates",
            {{"display_name", "VAT"}, {"percentage", "19"}, {"inclusive", "false"}});

  const json::value all = fake.Get("/v1/events", {{"limit", "100"}});
  ASSERT_EQ(all.at("data").as_array().size(), 4u);
  EXPECT_EQ(all.at("data").at(0).at("type"), "tax_rate.created");
  EXPECT_EQ(all.at("data").at(3).at("type"), "customer.created");
  for (const json::value& event : all.at("data").as_array()) {
    EXPECT_TRUE(event.at("id").as_string().starts_with("evt_"));
    EXPECT_EQ(event.at("object"), "event");
    EXPECT_EQ(event.at("api_version"), "2024-06-20");
    EXPECT_EQ(event.at("livemode"), false);
    EXPECT_TRUE(event.at("created").is_number());
  }
  const json::value customers = fake.Get("/v1/events", {{"type", "customer.*"}});
  EXPECT_EQ(customers.at("data").as_array().size(), 2u);
  const json::value some =
      fake.Get("/v1/events", {{"types[]", "product.created"}, {"types[]", "tax_rate.created"}});
  EXPECT_EQ(some.at("data").as_array().size(), 2u);
  const std::int64_t created = all.at("data").at(0).at("created").to_number<std::int64_t>();
  EXPECT_EQ(fake.Get("/v1/events", {{"created[gt]", std::to_string(created)}})
                .at("data")
                .as_array()
                .size(),
            0u);
  EXPECT_EQ(fake.Get("/v1/events", {{"created[lte]", std::to_string(created)}})
                .at("data")
                .as_array()
                .size(),
            4u);
  const json::value page = fake.Get("/v1/events", {{"limit", "3"}});
  EXPECT_EQ(page.at("has_more"), true);
  const json::value rest =
      fake.Get("/v1/events", {{"limit", "3"}, {"starting_after", Id(page.at("data").at(2))}});
  ASSERT_EQ(rest.at("data").as_array().size(), 1u);
  EXPECT_EQ(rest.at("data").at(0).at("type"), "customer.created");
  EXPECT_EQ(fake.Get("/v1/events/" + Id(rest.at("data").at(0))).at("type"), "customer.created");
  EXPECT_EQ(fake.Call(http::Verb::get, "/v1/events/evt_missing").result_int(), 404);
}

TEST(StripeFakeApi, ResponsesEchoStripeVersionAndCarryARequestId) {
  StripeFakeServer fake;
  const auto response =
      fake.Call(http::Verb::get, "/v1/customers", {}, {{"Stripe-Version", "2024-06-20"}});
  EXPECT_EQ(response["Stripe-Version"], "2024-06-20");
  EXPECT_EQ(response[http::Field::content_type], "application/json");
  EXPECT_EQ(std::string(response["Request-Id"]).size(), 4u + 14u);
}

}  // namespace
}  // namespace codezero::stripe_fake
