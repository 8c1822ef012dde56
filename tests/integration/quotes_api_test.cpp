// POST /v1/quotes and GET /v1/quotes/{token} over HTTP against a real database and Redis,
// with a VIES stand-in on loopback.
#include <gtest/gtest.h>

#include <atomic>

#include "common/random.h"
#include "domain/quote_token.h"
#include "http/json_body.h"
#include "support/api_server.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/log_capture.h"
#include "support/server_harness.h"

namespace codezero::api {
namespace {

using testing::JsonOf;

constexpr std::string_view kExample = R"({"plan":"team","interval":"year",
  "addons":[{"code":"extra_seats","quantity":5},{"code":"sso","quantity":1}],"currency":"eur",
  "customer":{"country":"DE","type":"business","vat_id":null},"coupon":null,
  "referral_code":null,"locale":"de"})";

// A monthly Starter quote for a business in `country` with VAT number `vat_id`.
std::string BusinessQuoteBody(const std::string& country, const std::string& vat_id) {
  std::string body = R"({"plan":"starter","interval":"month","customer":{"country":")";
  body.append(country).append(R"(","type":"business","vat_id":")").append(vat_id).append(R"("}})");
  return body;
}

class QuotesApi : public ::testing::Test {
 protected:
  QuotesApi() { testing::ApplyMigrations(database); }

  http::Response Post(std::string_view body) {
    return testing::Fetch(api->port(),
                          testing::MakeRequest(http::Verb::post, "/v1/quotes", std::string(body)));
  }
  http::Response Show(const std::string& token) {
    return testing::Get(api->port(), "/v1/quotes/" + token);
  }
  static std::vector<std::string> ErrorCodes(const http::Response& response) {
    std::vector<std::string> codes;
    const boost::json::value body = JsonOf(response);
    if (!body.as_object().contains("errors")) return {"(no errors) " + response.body()};
    for (const auto& error : body.at("errors").as_array()) {
      codes.push_back(std::string(error.at("code").as_string()) + "@" +
                      std::string(error.at("field").as_string()));
    }
    return codes;
  }
  void Start(std::optional<ViesOptions> vies = std::nullopt, bool vies_required = false) {
    auto settings = testing::TestApiSettings(database.url(), testing::TestRedisUrl());
    settings.vies = std::move(vies);
    settings.vies_required = vies_required;
    api = std::make_unique<testing::ApiServer>(std::move(settings));
  }

  testing::TestDatabase database;
  std::unique_ptr<testing::ApiServer> api;
};

TEST_F(QuotesApi, PricesTheIssueExample) {
  // Every session of the API is read-only: a quote that tried to write would fail.
  database.Execute("ALTER DATABASE " + database.name() + " SET default_transaction_read_only = on");
  Start();
  const http::Response response = Post(kExample);
  ASSERT_EQ(response.result(), http::Status::created) << response.body();
  const auto body = JsonOf(response);
  EXPECT_EQ(body.at("amount_subtotal"), 373000);
  EXPECT_EQ(body.at("amount_discount"), 0);
  EXPECT_EQ(body.at("amount_tax"), 70870);
  EXPECT_EQ(body.at("amount_total"), 443870);
  EXPECT_EQ(body.at("catalog_version"), 1);
  EXPECT_EQ(body.at("currency"), "eur");
  EXPECT_EQ(body.at("interval"), "year");
  EXPECT_EQ(body.at("tax").at("treatment"), "standard");
  EXPECT_EQ(body.at("tax").at("rate_bps"), 1900);
  EXPECT_EQ(body.at("tax").at("note"), "Zzgl. 19 % Umsatzsteuer.");
  const auto& lines = body.at("lines").as_array();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].at("code"), "extra_seats");
  EXPECT_EQ(lines[1].at("kind"), "addon");
  EXPECT_EQ(lines[1].at("description"), "Zusätzlicher Sitz");
  EXPECT_EQ(lines[1].at("quantity"), 5);
  EXPECT_EQ(lines[1].at("unit_amount"), 15000);
  EXPECT_EQ(lines[1].at("amount_tax"), 14250);
  EXPECT_EQ(lines[1].at("tax_rate_bps"), 1900);
  EXPECT_EQ(body.at("recurring").at("amount_total"), 443870);
  EXPECT_EQ(body.at("recurring").at("interval"), "year");
  EXPECT_TRUE(std::string(body.at("id").as_string()).starts_with("qt_"));
  EXPECT_EQ(Show(std::string(body.at("token").as_string())).result(), http::Status::ok);
}

TEST_F(QuotesApi, TheTokenGivesBackTheSameQuote) {
  Start();
  const auto created = JsonOf(Post(kExample));
  const std::string token(created.at("token").as_string());
  const http::Response shown = Show(token);
  ASSERT_EQ(shown.result(), http::Status::ok) << shown.body();
  EXPECT_EQ(JsonOf(shown), created);
}

TEST_F(QuotesApi, TheTokenGivesTheSameQuoteInTheOtherLanguageWithItsCustomer) {
  Start();
  const auto created = JsonOf(Post(kExample));
  const std::string token(created.at("token").as_string());
  const http::Response english = Show(token + "?locale=en");
  ASSERT_EQ(english.result(), http::Status::ok) << english.body();
  const auto body = JsonOf(english);
  EXPECT_EQ(body.at("locale"), "en");
  EXPECT_EQ(body.at("lines").at(1).at("description"), "Additional seat");
  EXPECT_EQ(body.at("tax").at("note"), "Plus 19% German VAT.");
  EXPECT_EQ(body.at("amount_total"), created.at("amount_total"));
  EXPECT_EQ(body.at("customer").at("type"), "business");
  EXPECT_EQ(body.at("customer").at("country"), "DE");
  EXPECT_TRUE(body.at("customer").at("vat_id").is_null());
  EXPECT_EQ(body.at("issued_at"), created.at("issued_at"));
  EXPECT_EQ(Show(token + "?locale=fr").result(), http::Status::unprocessable_entity);
}

TEST_F(QuotesApi, ATamperedTokenIs404AndAnExpiredOne410) {
  Start();
  std::string token(JsonOf(Post(kExample)).at("token").as_string());
  std::string tampered = token;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  const http::Response not_found = Show(tampered);
  EXPECT_EQ(not_found.result(), http::Status::not_found);
  EXPECT_EQ(not_found[http::Field::content_type], "application/problem+json");

  domain::QuoteToken old;
  old.request.plan = "team";
  old.request.customer = {"DE", domain::CustomerType::kBusiness, std::nullopt};
  old.catalog_version = 1;
  old.tax = {domain::TaxTreatment::kStandard, "DE", 1900, false};
  old.issued_at = 1'700'000'000;
  old.expires_at = old.issued_at + domain::kQuoteLifetimeSeconds;
  const http::Response gone = Show(domain::SealQuoteToken(old, testing::kTestQuoteKey));
  EXPECT_EQ(gone.result(), http::Status::gone);
  EXPECT_EQ(JsonOf(gone).at("status"), 410);
}

// A quote token is a bearer of a customer's quote: it is never written to a log, whether the
// token is good, altered or expired.
TEST_F(QuotesApi, ATokenNeverReachesTheLogs) {
  Start();
  testing::LogCapture logs;
  const std::string token(JsonOf(Post(kExample)).at("token").as_string());
  std::string tampered = token;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Show(token).result(), http::Status::ok);
  EXPECT_EQ(Show(tampered).result(), http::Status::not_found);
  EXPECT_EQ(Show(token + "?locale=en").result(), http::Status::ok);
  api.reset();  // every line written
  const std::string text = logs.text();
  EXPECT_NE(text.find(R"("path":"/v1/quotes/{token}")"), std::string::npos) << text;
  const std::string_view body = std::string_view(token).substr(3, 40);  // past "q2."
  EXPECT_EQ(text.find(body), std::string::npos) << text;
  EXPECT_EQ(text.find(std::string_view(tampered).substr(3, 40)), std::string::npos);
}

TEST_F(QuotesApi, ListsEveryViolationInTheRequestsLanguage) {
  Start();
  const http::Response german = Post(R"({"plan":"starter","interval":"month",
    "addons":[{"code":"sso","quantity":1},{"code":"extra_seats","quantity":99},{"code":"hoverboard"}],
    "currency":"usd","customer":{"country":"ZZ","type":"business"},"locale":"de"})");
  ASSERT_EQ(german.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(ErrorCodes(german),
            (std::vector<std::string>{
                "unsupported_country@customer.country", "unsupported_currency@currency",
                "addon_requires_plan@addons[0].code", "quantity_out_of_range@addons[1].quantity",
                "unknown_addon@addons[2].code"}));
  EXPECT_EQ(JsonOf(german).at("errors").at(3).at("message"),
            "Die Menge muss zwischen 1 und 7 liegen.");

  const http::Response english = Post(R"({"plan":"gold","interval":"decade",
    "customer":{"country":"DE","type":"business"},"locale":"en"})");
  EXPECT_EQ(ErrorCodes(english),
            (std::vector<std::string>{"unsupported_interval@interval", "unknown_plan@plan"}));
  EXPECT_EQ(JsonOf(english).at("errors").at(1).at("message"),
            "There is no plan \"gold\"; available: starter, team, business.");
}

TEST_F(QuotesApi, AnAustrianBusinessIsReverseChargedAndABadCheckDigitRefused) {
  Start();
  const http::Response valid = Post(R"({"plan":"team","interval":"month",
    "customer":{"country":"AT","type":"business","vat_id":"ATU12345675"},"locale":"en"})");
  ASSERT_EQ(valid.result(), http::Status::created) << valid.body();
  EXPECT_EQ(JsonOf(valid).at("tax").at("treatment"), "reverse_charge");
  EXPECT_EQ(JsonOf(valid).at("amount_tax"), 0);
  EXPECT_EQ(JsonOf(valid).at("amount_total"), 19900);

  const http::Response invalid = Post(R"({"plan":"team","interval":"month",
    "customer":{"country":"AT","type":"business","vat_id":"ATU12345678"},"locale":"en"})");
  EXPECT_EQ(invalid.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(ErrorCodes(invalid), (std::vector<std::string>{"invalid_vat_id@customer.vat_id"}));
}

// In production a reverse charge needs VIES's confirmation (VIES_REQUIRED, on by default):
// without VIES set up, a well-formed VAT ID gives the customer's VAT, and the quote says why.
TEST_F(QuotesApi, WithoutViesAReverseChargeIsNotGrantedWhereConfirmationIsRequired) {
  Start(std::nullopt, /*vies_required=*/true);
  const http::Response quoted = Post(R"({"plan":"team","interval":"month",
    "customer":{"country":"AT","type":"business","vat_id":"ATU12345675"},"locale":"en"})");
  ASSERT_EQ(quoted.result(), http::Status::created) << quoted.body();
  const auto quote = JsonOf(quoted);
  EXPECT_EQ(quote.at("tax").at("treatment"), "oss");
  EXPECT_EQ(quote.at("tax").at("rate_bps"), 2000);
  EXPECT_EQ(quote.at("amount_tax"), 3980);
  const std::string note(quote.at("tax").at("note").as_string());
  EXPECT_NE(note.find("checked for its form and check digits only, not confirmed through VIES"),
            std::string::npos)
      << note;
  // The token gives back the same quote, reason included.
  const http::Response shown = Show(std::string(quote.at("token").as_string()));
  ASSERT_EQ(shown.result(), http::Status::ok);
  EXPECT_EQ(JsonOf(shown).at("tax").at("note"), quote.at("tax").at("note"));
  // A German business's VAT ID needs no confirmation: German VAT either way.
  const auto german = JsonOf(Post(R"({"plan":"team","interval":"month",
    "customer":{"country":"DE","type":"business","vat_id":"DE136695976"}})"));
  EXPECT_EQ(german.at("tax").at("treatment"), "standard");
}

TEST_F(QuotesApi, AFrenchConsumerPaysFrenchVatAndASwissCustomerNone) {
  Start();
  const auto french = JsonOf(Post(R"({"plan":"starter","interval":"month",
    "customer":{"country":"FR","type":"consumer"}})"));
  EXPECT_EQ(french.at("tax").at("treatment"), "oss");
  EXPECT_EQ(french.at("tax").at("rate_bps"), 2000);
  EXPECT_EQ(french.at("amount_tax"), 980);
  const auto swiss = JsonOf(Post(R"({"plan":"starter","interval":"month",
    "customer":{"country":"CH","type":"business"}})"));
  EXPECT_EQ(swiss.at("tax").at("treatment"), "not_taxable");
  EXPECT_EQ(swiss.at("amount_total"), 4900);
}

// Outside the EU a business is not taxable in Germany with or without a VAT number (§ 3a(2)
// UStG), so the number changes nothing in the price. A British, Swiss or Norwegian one goes on
// Stripe's invoice and must be right; another country's is taken as typed.
TEST_F(QuotesApi, ABusinessOutsideTheEuMayGiveItsVatNumberWhichChangesNothingInThePrice) {
  Start();
  for (const auto& [country, number] :
       std::vector<std::pair<std::string, std::string>>{{"GB", "GB 980 7806 84"},
                                                        {"CH", "CHE-100.155.212 MWST"},
                                                        {"NO", "995 525 828 MVA"},
                                                        {"US", "12-3456789"}}) {
    const http::Response quoted = Post(BusinessQuoteBody(country, number));
    ASSERT_EQ(quoted.result(), http::Status::created) << country << ": " << quoted.body();
    EXPECT_EQ(JsonOf(quoted).at("tax").at("treatment"), "not_taxable");
    EXPECT_EQ(JsonOf(quoted).at("amount_total"), 4900);
    EXPECT_EQ(JsonOf(quoted).at("customer").at("vat_id").as_string(), number);
  }
  for (const auto& [country, number] : std::vector<std::pair<std::string, std::string>>{
           {"GB", "GB 980 7806 85"}, {"CH", "CHE-100.155.213 MWST"}, {"NO", "995525829MVA"}}) {
    const http::Response refused = Post(BusinessQuoteBody(country, number));
    EXPECT_EQ(refused.result(), http::Status::unprocessable_entity) << country;
    EXPECT_EQ(ErrorCodes(refused), (std::vector<std::string>{"invalid_vat_id@customer.vat_id"}));
  }
}

// The EU VAT area is not the member states' map (Art. 6 and 7 of Directive 2006/112/EC): a
// postal code puts an address in Büsingen or on the Canary Islands, outside it, and Monaco is
// France. The token keeps both, so the quote reads back the same.
TEST_F(QuotesApi, TerritoriesOutsideTheEuVatAreaAreNotTaxedAndMonacoIsFrance) {
  Start();
  const http::Response busingen = Post(R"({"plan":"starter","interval":"month",
    "customer":{"country":"DE","type":"consumer","postal_code":"78266"},"locale":"en"})");
  ASSERT_EQ(busingen.result(), http::Status::created) << busingen.body();
  const auto quote = JsonOf(busingen);
  EXPECT_EQ(quote.at("tax").at("treatment"), "not_taxable");
  EXPECT_EQ(quote.at("amount_total"), 4900);
  EXPECT_EQ(quote.at("customer").at("postal_code"), "78266");
  EXPECT_NE(std::string(quote.at("tax").at("note").as_string()).find("Büsingen am Hochrhein"),
            std::string::npos);
  const http::Response shown = Show(std::string(quote.at("token").as_string()));
  ASSERT_EQ(shown.result(), http::Status::ok);
  EXPECT_EQ(JsonOf(shown), quote);

  const auto canaries = JsonOf(Post(R"({"plan":"starter","interval":"month",
    "customer":{"country":"ES","type":"business","postal_code":"38001"}})"));
  EXPECT_EQ(canaries.at("tax").at("treatment"), "not_taxable");
  const auto madrid = JsonOf(Post(R"({"plan":"starter","interval":"month",
    "customer":{"country":"ES","type":"consumer","postal_code":"28001"}})"));
  EXPECT_EQ(madrid.at("tax").at("treatment"), "oss");
  EXPECT_EQ(madrid.at("tax").at("rate_bps"), 2100);

  const auto monaco = JsonOf(Post(R"({"plan":"starter","interval":"month",
    "customer":{"country":"MC","type":"consumer"}})"));
  EXPECT_EQ(monaco.at("tax").at("treatment"), "oss");
  EXPECT_EQ(monaco.at("tax").at("country"), "FR");
  EXPECT_EQ(monaco.at("amount_tax"), 980);
  const auto monegasque_business = JsonOf(Post(R"({"plan":"starter","interval":"month",
    "customer":{"country":"MC","type":"business","vat_id":"FR 40 303 265 045"}})"));
  EXPECT_EQ(monegasque_business.at("tax").at("treatment"), "reverse_charge");
  const auto berlin = JsonOf(Post(R"({"plan":"starter","interval":"month",
    "customer":{"country":"DE","type":"consumer","postal_code":"10115"}})"));
  EXPECT_EQ(berlin.at("tax").at("treatment"), "standard");
}

TEST_F(QuotesApi, TheLaunchCouponOnAMonthlyPlan) {
  Start();
  const http::Response response = Post(R"({"plan":"team","interval":"month",
    "customer":{"country":"DE","type":"business"},"coupon":"launch20"})");
  ASSERT_EQ(response.result(), http::Status::created) << response.body();
  const auto body = JsonOf(response);
  EXPECT_EQ(body.at("discount").at("code"), "LAUNCH20");
  EXPECT_EQ(body.at("amount_discount"), 3980);
  EXPECT_EQ(body.at("amount_tax"), 3025);
  EXPECT_EQ(body.at("amount_total"), 19900 - 3980 + 3025);
  EXPECT_EQ(body.at("recurring").at("amount_total"), 19900 + 3781);
}

TEST_F(QuotesApi, DiscountCodesMustExistBeValidAndComeAlone) {
  database.Execute(
      "INSERT INTO coupons (code, percent_off_bps, valid_until) VALUES "
      "('SUMMER25', 1000, now() - interval '1 day');"
      "INSERT INTO coupons (code, percent_off_bps, active) VALUES ('OLD10', 1000, false);"
      "INSERT INTO referral_codes (code) VALUES ('FRIEND-ABC')");
  Start();
  const std::string prefix =
      R"({"plan":"team","interval":"month","customer":{"country":"DE","type":"business"},)";
  EXPECT_EQ(ErrorCodes(Post(prefix + R"("coupon":"NOPE"})")),
            (std::vector<std::string>{"unknown_coupon@coupon"}));
  EXPECT_EQ(ErrorCodes(Post(prefix + R"("coupon":"SUMMER25"})")),
            (std::vector<std::string>{"coupon_expired@coupon"}));
  EXPECT_EQ(ErrorCodes(Post(prefix + R"("coupon":"OLD10"})")),
            (std::vector<std::string>{"coupon_expired@coupon"}));
  EXPECT_EQ(ErrorCodes(Post(prefix + R"("referral_code":"STRANGER"})")),
            (std::vector<std::string>{"unknown_referral_code@referral_code"}));
  EXPECT_EQ(ErrorCodes(Post(prefix + R"("coupon":"LAUNCH20","referral_code":"FRIEND-ABC"})")),
            (std::vector<std::string>{"discounts_not_combinable@referral_code"}));
  const auto referred = JsonOf(Post(prefix + R"("referral_code":"friend-abc"})"));
  EXPECT_EQ(referred.at("discount").at("kind"), "referral");
  EXPECT_EQ(referred.at("amount_discount"), 1990);
}

// The hot path needs no database: once every loop has its copies of the catalog and the
// discounts, quotes with a good code, a bad code or none are answered with PostgreSQL out of
// reach (its connections ended, new ones refused).
TEST_F(QuotesApi, QuotesNeedNoDatabaseRoundTripWhateverTheirCode) {
  testing::LogCapture logs;
  Start();
  const std::string prefix =
      R"({"plan":"team","interval":"month","customer":{"country":"DE","type":"business"})";
  ASSERT_EQ(Post(prefix + "}").result(), http::Status::created);
  const auto loops_that_logged = [&](std::string_view message) {
    const std::string text = logs.text();
    std::size_t count = 0;
    for (std::size_t at = text.find(message); at != std::string::npos;
         at = text.find(message, at + 1)) {
      ++count;
    }
    return count;
  };
  ASSERT_TRUE(testing::Eventually([&] {  // TestApiSettings: two loops
    return loops_that_logged(R"("msg":"catalog loaded")") >= 2 &&
           loops_that_logged(R"("msg":"discounts loaded")") >= 2;
  }));
  database.Execute("ALTER DATABASE " + database.name() +
                   " CONNECTION LIMIT 0; SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(Post(prefix + R"(,"coupon":"LAUNCH20"})").result(), http::Status::created);
    EXPECT_EQ(ErrorCodes(Post(prefix + R"(,"coupon":"NOPE"})")),
              (std::vector<std::string>{"unknown_coupon@coupon"}));
    EXPECT_EQ(Post(prefix + "}").result(), http::Status::created);
  }
  EXPECT_EQ(testing::Get(api->port(), "/readyz").result(), http::Status::service_unavailable)
      << "PostgreSQL really is out of reach";
}

// PostgreSQL ends every connection of the API (a restart, a failover): each loop listens
// again and reloads its copy of the discounts, so a coupon added meanwhile is honoured, and one
// withdrawn afterwards is refused, without anyone restarting the API.
TEST_F(QuotesApi, DiscountsFollowChangesAfterTheDatabaseEndedTheConnections) {
  Start();
  const std::string quote =
      R"({"plan":"team","interval":"month","customer":{"country":"DE","type":"business"},)"
      R"("coupon":"AFTER10"})";
  // Several answers in a row: requests land on either loop.
  const auto quotes_answer = [&](http::Status wanted) {
    int in_a_row = 0;
    return testing::Eventually([&] {
      in_a_row = Post(quote).result() == wanted ? in_a_row + 1 : 0;
      return in_a_row >= 16;
    });
  };
  ASSERT_TRUE(quotes_answer(http::Status::unprocessable_entity));
  database.Execute(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
      "current_database() AND pid <> pg_backend_pid(); "
      "INSERT INTO coupons (code, percent_off_bps) VALUES ('AFTER10', 1000)");
  EXPECT_TRUE(quotes_answer(http::Status::created)) << "the new coupon reached the quotes";
  database.Execute("UPDATE coupons SET active = false WHERE code = 'AFTER10'");
  EXPECT_TRUE(quotes_answer(http::Status::unprocessable_entity)) << "its withdrawal too";
}

TEST_F(QuotesApi, AQuoteKeepsItsCatalogVersionAfterAPriceChange) {
  Start();
  const std::string token(JsonOf(Post(kExample)).at("token").as_string());
  database.Execute(
      "INSERT INTO catalog_versions (version, document) SELECT 2, jsonb_set(document, "
      "'{plans,1,monthly_amount}', '24900') FROM catalog_versions WHERE version = 1");
  boost::json::value fresh;
  ASSERT_TRUE(testing::Eventually([&] {  // within CATALOG_REFRESH_MS
    fresh = JsonOf(Post(kExample));
    return fresh.at("catalog_version") == 2;
  }));
  EXPECT_EQ(fresh.at("lines").at(0).at("amount"), 249000);
  const auto old = JsonOf(Show(token));
  EXPECT_EQ(old.at("catalog_version"), 1);
  EXPECT_EQ(old.at("amount_total"), 443870);
}

TEST_F(QuotesApi, MalformedBodiesAreClientErrors) {
  Start();
  EXPECT_EQ(Post("{\"plan\":").result(), http::Status::bad_request);
  EXPECT_EQ(
      testing::Fetch(api->port(), testing::MakeRequest(http::Verb::post, "/v1/quotes", "plan=team",
                                                       "application/x-www-form-urlencoded"))
          .result(),
      http::Status::unsupported_media_type);
}

// A fresh Austrian VAT ID with a correct check digit, so that VIES answers cached in the shared
// test Redis by earlier runs do not interfere.
std::string RandomAustrianVatId() {
  std::string digits;
  int sum = 0;
  for (int i = 0; i < 7; ++i) {
    const int digit = static_cast<int>(FastRandomUnit() * 10);
    digits.push_back(static_cast<char>('0' + digit));
    int weighted = digit * (i % 2 == 0 ? 1 : 2);
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return "ATU" + digits + static_cast<char>('0' + (10 - (sum + 4) % 10) % 10);
}

// A VIES stand-in answering what the test tells it to.
class ViesStandIn {
 public:
  ViesStandIn()
      : server_([this](http::Router& router, boost::asio::io_context&) {
          router.Get("/vies/ms/{state}/vat/{number}",
                     [this](http::Request&, http::RequestContext& context)
                         -> boost::asio::awaitable<Result<http::Response>> {
                       ++calls;
                       const std::string answer = behaviour.load() == 0   ? "VALID"
                                                  : behaviour.load() == 1 ? "INVALID"
                                                                          : "MS_UNAVAILABLE";
                       if (behaviour.load() == 3)
                         co_return http::Response(http::Status::service_unavailable, 11);
                       last_number = std::string(context.Param("state")) +
                                     std::string(context.Param("number"));
                       co_return http::JsonResponse(
                           http::Status::ok, boost::json::object{{"isValid", behaviour.load() == 0},
                                                                 {"userError", answer}});
                     });
        }) {}
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/vies"; }

  std::atomic<int> behaviour{0};  // 0 valid, 1 invalid, 2 member state unavailable, 3 HTTP 503
  std::atomic<int> calls{0};
  std::string last_number;

 private:
  testing::ServerHarness server_;
};

TEST_F(QuotesApi, ViesConfirmsRefusesOrFailsClosed) {
  ViesStandIn vies;
  Start(ViesOptions{vies.url(), std::chrono::milliseconds(2000)});
  const std::string prefix =
      R"({"plan":"team","interval":"month","locale":"en","customer":{"country":"AT","type":"business","vat_id":)";
  const std::string confirmed_id = RandomAustrianVatId();
  const std::string spaced = confirmed_id.substr(0, 6) + " " + confirmed_id.substr(6);
  const auto confirmed = JsonOf(Post(prefix + "\"" + spaced + "\"}}"));
  EXPECT_EQ(confirmed.at("tax").at("treatment"), "reverse_charge");
  EXPECT_EQ(vies.last_number, confirmed_id);
  const int calls = vies.calls.load();
  (void)Post(prefix + "\"" + confirmed_id + "\"}}");
  EXPECT_EQ(vies.calls.load(), calls);  // the answer is cached in Redis

  vies.behaviour = 1;
  const http::Response refused = Post(prefix + "\"" + RandomAustrianVatId() + "\"}}");
  EXPECT_EQ(ErrorCodes(refused), (std::vector<std::string>{"invalid_vat_id@customer.vat_id"}));

  vies.behaviour = 2;
  const auto closed = JsonOf(Post(prefix + "\"" + RandomAustrianVatId() + "\"}}"));
  EXPECT_EQ(closed.at("tax").at("treatment"), "oss");
  EXPECT_EQ(closed.at("tax").at("rate_bps"), 2000);
  EXPECT_NE(std::string(closed.at("tax").at("note").as_string()).find("VIES unreachable"),
            std::string::npos);

  vies.behaviour = 3;
  const auto down = JsonOf(Post(prefix + "\"" + RandomAustrianVatId() + "\"}}"));
  EXPECT_EQ(down.at("tax").at("treatment"), "oss");
}

}  // namespace
}  // namespace codezero::api
