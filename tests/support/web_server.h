// The web frontend exactly as `codezero web` composes it (web::WebLoop per event loop) behind a
// test server on a free port, talking to an API on `api_port`. Its public address is
// kTestWebOrigin, which is also the Origin a test's form posts must carry.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http/curl_client.h"
#include "support/server_harness.h"
#include "web/assets.h"
#include "web/translations.h"
#include "web/web_service.h"

namespace codezero::testing {

inline const std::string kTestWebOrigin = "http://web.test";
inline const std::string kTestWebSecret = "web-test-secret-web-test-secret-0123456789";

// Settings for tests: one loop, the test Redis, a quick catalog refresh, example seller data.
web::WebSettings TestWebSettings(std::uint16_t api_port, const std::string& redis_url);

class WebServer {
 public:
  explicit WebServer(web::WebSettings settings);
  // Stops servers and joins threads: a failure there ends the test run, as it should.
  ~WebServer();  // NOLINT(bugprone-exception-escape)
  [[nodiscard]] std::uint16_t port() const { return harness_.port(); }
  [[nodiscard]] const web::WebSettings& settings() const { return settings_; }
  // Waits until the (single) loop has its Redis connection: only from then on does the web
  // frontend count its own rate limits (before, they fail open: docs/operations.md).
  void WaitUntilLimitsCount() const;

 private:
  web::WebSettings settings_;
  web::Translations translations_;
  web::Assets assets_;
  std::unique_ptr<http::CurlClient> curl_;  // reset before the loops go
  std::vector<std::unique_ptr<web::WebLoop>> loops_;
  ServerHarness harness_;
};

// A form post as a browser on the site sends it: urlencoded, with the site's Origin.
http::Request FormPost(const std::string& target, const std::string& body,
                       const std::string& cookie = "");

// The value of the hidden field `csrf` for form `form_id` in a page's HTML ("" when none).
std::string FormToken(const std::string& html, const std::string& form_id);

}  // namespace codezero::testing
