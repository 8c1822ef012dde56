// The web frontend's way to the API (backend-for-frontend, seed: the browser only ever talks
// to `codezero web`): the few calls pages make, over the process's libcurl client with a
// timeout each, the visitor's request id passed on (X-Request-Id) so one id follows a click
// through both logs.
//
// Failures map onto the error codes pages render: the API's 422 keeps its field errors (with
// messages already in the page's language), 401, 403, 404, 409 and 410 stay themselves, 429 is
// kRateLimited, and anything else that is not an answer (unreachable, 5xx, timeout) is
// kUnavailable.
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

// A call on behalf of a visitor: everything but the method and path is optional.
struct ApiCall {
  http::Verb method = http::Verb::get;
  std::string path;  // "/v1/me", with its query
  std::string body;
  std::string content_type = "application/json";
  std::string bearer;           // an access token: "Authorization: Bearer …"
  std::string idempotency_key;  // "Idempotency-Key: …"
  std::string if_none_match;    // an ETag: a conditional GET
  std::string request_id;
  // The visitor's address (http::ClientAddress), sent as X-Forwarded-For: the API's per-address
  // limits (sign-in, sign-up, reset, consent) then count visitors, not this web instance. The
  // API trusts it only with API_TRUSTED_PROXIES=1 (docs/operations.md).
  std::string client_address;
  // Longer than the client's default for the one call that may wait on another service (the
  // checkout creates the payment session at Stripe); zero: the default.
  std::chrono::milliseconds timeout{0};
};

class ApiClient {
 public:
  // REQUIRES: `curl` outlives the client.
  ApiClient(http::CurlClient& curl, ApiClientOptions options);

  // GET /v1/catalog?locale=…, conditional on `etag` when it is not empty.
  [[nodiscard]] boost::asio::awaitable<Result<CatalogFetch>> FetchCatalog(domain::Locale locale,
                                                                          std::string etag);
  // POST /v1/quotes with a body made by QuoteRequestJson: the quote as the API sent it (for the
  // cache). For the visitor at `client_address` (empty: this instance), whom the API counts when
  // a discount code gives nothing.
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> CreateQuoteText(
      std::string body, std::string request_id, std::string client_address);
  // GET /v1/quotes/{token}?locale=…
  [[nodiscard]] boost::asio::awaitable<Result<QuoteView>> ShowQuote(std::string token,
                                                                    domain::Locale locale,
                                                                    std::string request_id);
  // POST /v1/consents, for the visitor at `client_address`.
  [[nodiscard]] boost::asio::awaitable<Result<ConsentRecorded>> RecordConsent(
      std::string body, std::string request_id, std::string client_address);

  // Any call; the answer whatever its status (the page decides), kUnavailable when there is
  // none.
  [[nodiscard]] boost::asio::awaitable<Result<http::Response>> Send(ApiCall call);

  [[nodiscard]] const std::string& base_url() const { return options_.base_url; }

  // GET /readyz of the API: true when it answers 200.
  [[nodiscard]] boost::asio::awaitable<bool> Ready();

 private:
  // POST on behalf of the visitor at `client_address`: the body of a 201, or the API's error.
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> CreateForVisitor(
      std::string path, std::string body, std::string request_id, std::string client_address);
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
