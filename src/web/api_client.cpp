#include "web/api_client.h"

#include <boost/json/parse.hpp>

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

std::string_view HeaderOf(const http::Response& response, std::string_view name) {
  const auto found = response.find(name);
  return found == response.end() ? std::string_view() : std::string_view(found->value());
}

}  // namespace

Error ErrorOfApiAnswer(const http::Response& answer) {
  const unsigned status = answer.result_int();
  switch (status) {
    case 404:
      return Error{ErrorCode::kNotFound, "not found", "api 404", {}};
    case 410:
      return Error{ErrorCode::kGone, "gone", "api 410", {}};
    case 429:
      return Error{ErrorCode::kRateLimited, "rate limited", "api 429", {}};
    case 400:
    case 422: {
      Error error{status == 422 ? ErrorCode::kValidationFailed : ErrorCode::kBadRequest,
                  "invalid",
                  "api " + std::to_string(status),
                  {}};
      boost::system::error_code ec;
      const json::value problem = json::parse(answer.body(), ec);
      if (!ec && problem.is_object()) {
        if (const auto* detail = problem.as_object().if_contains("detail");
            detail && detail->is_string()) {
          error.message = std::string(detail->as_string());
        }
        if (const auto* errors = problem.as_object().if_contains("errors");
            errors && errors->is_array()) {
          for (const json::value& entry : errors->as_array()) {
            if (!entry.is_object()) continue;
            const json::object& field = entry.as_object();
            FieldError item;
            if (const auto* v = field.if_contains("code"); v && v->is_string())
              item.code = std::string(v->as_string());
            if (const auto* v = field.if_contains("field"); v && v->is_string())
              item.field = std::string(v->as_string());
            if (const auto* v = field.if_contains("message"); v && v->is_string())
              item.message = std::string(v->as_string());
            error.fields.push_back(std::move(item));
          }
        }
      }
      return error;
    }
    default:
      return Error{ErrorCode::kUnavailable,
                   "the API is unavailable",
                   "api answered " + std::to_string(status),
                   {}};
  }
}

ApiClient::ApiClient(http::CurlClient& curl, ApiClientOptions options)
    : curl_(curl), options_(std::move(options)) {}

asio::awaitable<Result<http::Response>> ApiClient::Call(http::Verb method, std::string path,
                                                        std::string body, std::string request_id,
                                                        std::string etag) {
  http::OutboundRequest request;
  request.method = method;
  request.url = options_.base_url + path;
  request.timeout = options_.timeout;
  request.headers.emplace_back("Accept", "application/json");
  if (!request_id.empty()) request.headers.emplace_back("X-Request-Id", std::move(request_id));
  if (!etag.empty()) request.headers.emplace_back("If-None-Match", std::move(etag));
  if (method == http::Verb::post) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
  }
  auto answer = co_await curl_.Perform(std::move(request));
  if (!answer) {
    // Unreachable or too slow: the page says "unavailable" either way.
    co_return Fail(ErrorCode::kUnavailable, "the API is unavailable", answer.error().reason);
  }
  co_return std::move(*answer);
}

asio::awaitable<Result<CatalogFetch>> ApiClient::FetchCatalog(domain::Locale locale,
                                                              std::string etag) {
  auto answer = co_await Call(
      http::Verb::get, "/v1/catalog?locale=" + std::string(domain::ToString(locale)), "", "", etag);
  if (!answer) co_return tl::unexpected(answer.error());
  CatalogFetch fetch;
  if (answer->result() == http::Status::not_modified) {
    fetch.not_modified = true;
    fetch.etag = std::move(etag);
    co_return fetch;
  }
  if (answer->result() != http::Status::ok) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  fetch.etag = std::string(HeaderOf(*answer, "ETag"));
  fetch.body = std::move(answer->body());
  co_return fetch;
}

asio::awaitable<Result<std::string>> ApiClient::CreateQuoteText(std::string body,
                                                                std::string request_id) {
  auto answer =
      co_await Call(http::Verb::post, "/v1/quotes", std::move(body), std::move(request_id));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() != http::Status::created) {
    co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  }
  co_return std::move(answer->body());
}

asio::awaitable<Result<QuoteView>> ApiClient::CreateQuote(std::string body,
                                                          std::string request_id) {
  auto text = co_await CreateQuoteText(std::move(body), std::move(request_id));
  if (!text) co_return tl::unexpected(text.error());
  co_return ParseQuote(*text);
}

asio::awaitable<Result<QuoteView>> ApiClient::ShowQuote(std::string token, domain::Locale locale,
                                                        std::string request_id) {
  // A token is base64url with one '.': nothing in it needs escaping in a path, and anything
  // else is not a token.
  for (const char c : token) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) co_return Fail(ErrorCode::kNotFound, "not a quote token");
  }
  auto answer = co_await Call(
      http::Verb::get, "/v1/quotes/" + token + "?locale=" + std::string(domain::ToString(locale)),
      "", std::move(request_id));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() != http::Status::ok) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  co_return ParseQuote(answer->body());
}

asio::awaitable<Result<ConsentRecorded>> ApiClient::RecordConsent(std::string body,
                                                                  std::string request_id) {
  auto answer =
      co_await Call(http::Verb::post, "/v1/consents", std::move(body), std::move(request_id));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() != http::Status::created) {
    co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  }
  boost::system::error_code ec;
  const json::value parsed = json::parse(answer->body(), ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("consent_id")) {
    co_return Fail(ErrorCode::kUnavailable, "bad consent answer", "no consent_id");
  }
  ConsentRecorded recorded;
  recorded.consent_id = std::string(parsed.at("consent_id").as_string());
  recorded.recorded_at = std::string(parsed.at("recorded_at").as_string());
  co_return recorded;
}

asio::awaitable<bool> ApiClient::Ready() {
  auto answer = co_await Call(http::Verb::get, "/readyz", "", "");
  co_return answer && answer->result() == http::Status::ok;
}

}  // namespace codezero::web
