// The web frontend's way to the API (backend-for-frontend, seed: the browser only ever talks
// to `codezero web`): the few calls pages make, over the process's libcurl client with a
// timeout each, the visitor's request id passed on (X-Request-Id) so one id follows a click
// through both logs.
//
// Failures map onto the error codes pages render: the API's 422 keeps its field errors (with
// messages already in the page's language), 404 and 410 stay themselves, 429 is kRateLimited,
// and anything else that is not an answer (unreachable, 5xx, timeout) is kUnavailable.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "domain/locale.h"
#include "http/curl_client.h"
#include "web/quote_view.h"

namespace codezero::web {

struct ApiClientOptions {
  std::string base_url = "http://127.0.0.1:8081";  // no trailing slash
  std::chrono::milliseconds timeout{3'000};
};

struct CatalogFetch {
  bool not_modified = false;  // the given ETag still matches
  std::string etag;
  std::string body;
};

struct ConsentRecorded {
  std::string consent_id;
  std::string recorded_at;
};

class ApiClient {
 public:
  // REQUIRES: `curl` outlives the client.
  ApiClient(http::CurlClient& curl, ApiClientOptions options);

  // GET /v1/catalog?locale=…, conditional on `etag` when it is not empty.
  [[nodiscard]] boost::asio::awaitable<Result<CatalogFetch>> FetchCatalog(domain::Locale locale,
                                                                          std::string etag);
  // POST /v1/quotes with a body made by QuoteRequestJson.
  [[nodiscard]] boost::asio::awaitable<Result<QuoteView>> CreateQuote(std::string body,
                                                                      std::string request_id);
  // The quote body as the API sent it (for the cache), parsed too.
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> CreateQuoteText(std::string body,
                                                                            std::string request_id);
  // GET /v1/quotes/{token}?locale=…
  [[nodiscard]] boost::asio::awaitable<Result<QuoteView>> ShowQuote(std::string token,
                                                                    domain::Locale locale,
                                                                    std::string request_id);
  // POST /v1/consents.
  [[nodiscard]] boost::asio::awaitable<Result<ConsentRecorded>> RecordConsent(
      std::string body, std::string request_id);

  [[nodiscard]] const std::string& base_url() const { return options_.base_url; }

  // GET /readyz of the API: true when it answers 200.
  [[nodiscard]] boost::asio::awaitable<bool> Ready();

 private:
  [[nodiscard]] boost::asio::awaitable<Result<http::Response>> Call(http::Verb method,
                                                                    std::string path,
                                                                    std::string body,
                                                                    std::string request_id,
                                                                    std::string etag = {});

  http::CurlClient& curl_;
  ApiClientOptions options_;
};

// The Error an API answer that is not a success stands for (problem+json read for 422).
[[nodiscard]] Error ErrorOfApiAnswer(const http::Response& answer);

}  // namespace codezero::web
