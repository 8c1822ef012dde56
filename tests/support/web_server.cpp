#include "support/web_server.h"

#include <stdexcept>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>

#include "redis/client_options.h"
#include "support/environment.h"
#include "support/eventually.h"
#include "support/http_client.h"

namespace codezero::testing {

web::WebSettings TestWebSettings(std::uint16_t api_port, const std::string& redis_url) {
  web::WebSettings settings;
  settings.server.threads = 1;
  settings.cache.endpoint = redis::ParseRedisUrl(redis_url).value();
  settings.cache.max_reconnect_delay = std::chrono::milliseconds(200);
  settings.api.base_url = "http://127.0.0.1:" + std::to_string(api_port);
  settings.api.timeout = std::chrono::milliseconds(2'000);
  settings.public_url = kTestWebOrigin;
  settings.origin = kTestWebOrigin;
  settings.secret = kTestWebSecret;
  settings.consent_policy_version = "2026-11-29";
  settings.catalog_refresh = std::chrono::milliseconds(100);
  // Every test's limit is its own: tests share one Redis and all come from 127.0.0.1.
  settings.consent_limit.name += "_" + UniqueKeyPrefix().substr(5, 12);
  settings.consent_limit.limit = 10'000;
  settings.seller = {.name = "Code Zero AI GmbH",
                     .street = "Musterstraße 1",
                     .postcode = "10115",
                     .city = "Berlin",
                     .country_code = "DE",
                     .managing_directors = "Erika Mustermann",
                     .email = "kontakt@codezero.example",
                     .phone = "+49 30 000000",
                     .register_court = "Amtsgericht Charlottenburg",
                     .register_number = "HRB 000000 B",
                     .vat_id = "DE000000000",
                     .content_responsible = "Erika Mustermann, Musterstraße 1, 10115 Berlin",
                     .privacy_email = "datenschutz@codezero.example"};
  return settings;
}

WebServer::WebServer(web::WebSettings settings)
    : settings_(std::move(settings)),
      curl_(std::make_unique<http::CurlClient>()),
      harness_(settings_.server, [this](boost::asio::io_context& loop) {
        loops_.push_back(std::make_unique<web::WebLoop>(
            loop.get_executor(), settings_,
            web::WebShared{.assets = assets_, .translations = translations_, .curl = *curl_}));
        web::WebLoop* started = loops_.back().get();
        boost::asio::post(loop, [started] { started->Start(); });
        return started->pipeline();
      }) {}

WebServer::~WebServer() {  // NOLINT(bugprone-exception-escape)
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    web::WebLoop* loop = loops_[i].get();
    boost::asio::post(harness_.loops()[i], [loop] { loop->Close(); });
  }
  harness_.Stop();
  curl_.reset();   // fails what is still running, posting to the stopped (but live) loops
  loops_.clear();  // before the harness destroys the event loops they are bound to
}

void WebServer::WaitUntilLimitsCount() const {
  const bool connected = Eventually([this] {
    const http::Response ready = Get(port(), "/readyz");
    boost::system::error_code ec;
    const boost::json::value body = boost::json::parse(ready.body(), ec);
    if (ec || !body.is_object()) return false;
    const auto* checks = body.as_object().if_contains("checks");
    const auto* redis = checks != nullptr && checks->is_object()
                            ? checks->as_object().if_contains("redis")
                            : nullptr;
    return redis != nullptr && *redis == "ok";
  });
  if (!connected) throw std::runtime_error("the web frontend did not connect to Redis");
}

http::Request FormPost(const std::string& target, const std::string& body,
                       const std::string& cookie) {
  http::Request request =
      MakeRequest(http::Verb::post, target, body, "application/x-www-form-urlencoded");
  request.set(http::Field::origin, kTestWebOrigin);
  if (!cookie.empty()) request.set(http::Field::cookie, cookie);
  return request;
}

std::string FormToken(const std::string& html, const std::string& form_id) {
  const std::string suffix = "\" form=\"" + form_id + "\">";
  const std::size_t end = html.find(suffix);
  if (end == std::string::npos) return "";
  const std::string marker = "name=\"csrf\" value=\"";
  const std::size_t start = html.rfind(marker, end);
  if (start == std::string::npos) return "";
  return html.substr(start + marker.size(), end - start - marker.size());
}

}  // namespace codezero::testing
