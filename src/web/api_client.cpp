#include "web/api_client.h"

#include <boost/json/parse.hpp>

#include "http/request_metrics.h"
#include "tracing/active_spans.h"
#include "tracing/tracer.h"

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
    case 401:
      return Error{ErrorCode::kUnauthenticated, "not signed in", "api 401", {}};
    case 403:
      return Error{ErrorCode::kForbidden, "not allowed", "api 403", {}};
    case 404:
      return Error{ErrorCode::kNotFound, "not found", "api 404", {}};
    case 409:
      return Error{ErrorCode::kConflict, "conflict", "api 409", {}};
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
  ApiCall call;
  call.method = method;
  call.path = std::move(path);
  call.body = std::move(body);
  call.request_id = std::move(request_id);
  call.if_none_match = std::move(etag);
  co_return co_await Send(std::move(call));
}

asio::awaitable<Result<http::Response>> ApiClient::Send(ApiCall call) {
  http::OutboundRequest request;
  request.method = call.method;
  request.url = options_.base_url + call.path;
  request.timeout = call.timeout.count() > 0 ? call.timeout : options_.timeout;
  request.headers.emplace_back("Accept", "application/json");
  if (!call.request_id.empty()) request.headers.emplace_back("X-Request-Id", call.request_id);
  // A client span under the visitor's request (when one is being handled with this id), whose
  // context the API continues: one trace from the browser through web and the API to the jobs.
  const std::string method_name(http::MethodLabel(call.method));
  const tracing::SpanContext* parent = tracing::ActiveSpan(call.request_id);
  tracing::Span span("api " + method_name, tracing::SpanKind::kClient,
                     parent != nullptr ? std::optional(*parent) : std::nullopt);
  span.SetAttribute("http.request.method", method_name);
  span.SetAttribute("server.address", "codezero-api");
  // Sampled or not, the context goes on (W3C Trace Context), so the API follows the decision.
  // Without tracing there is no active span, and the request id alone names the trace.
  if (parent != nullptr) request.headers.emplace_back("traceparent", span.traceparent());
  if (!call.bearer.empty()) request.headers.emplace_back("Authorization", "Bearer " + call.bearer);
  if (!call.client_address.empty()) {
    request.headers.emplace_back("X-Forwarded-For", call.client_address);
  }
  if (!call.idempotency_key.empty()) {
    request.headers.emplace_back("Idempotency-Key", call.idempotency_key);
  }
  if (!call.if_none_match.empty())
    request.headers.emplace_back("If-None-Match", call.if_none_match);
  if (call.method != http::Verb::get && call.method != http::Verb::head) {
    request.headers.emplace_back("Content-Type", call.content_type);
    request.body = std::move(call.body);
  }
  auto answer = co_await curl_.Perform(std::move(request));
  if (!answer) {
    span.SetError("no answer");
    co_return Fail(ErrorCode::kUnavailable, "the API is unavailable", answer.error().reason);
  }
  span.SetAttribute("http.response.status_code", static_cast<std::int64_t>(answer->result_int()));
  if (answer->result_int() >= 500)
    span.SetError("answered " + std::to_string(answer->result_int()));
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

asio::awaitable<Result<std::string>> ApiClient::CreateForVisitor(std::string path, std::string body,
                                                                 std::string request_id,
                                                                 std::string client_address) {
  ApiCall call;
  call.method = http::Verb::post;
  call.path = std::move(path);
  call.body = std::move(body);
  call.request_id = std::move(request_id);
  call.client_address = std::move(client_address);
  auto answer = co_await Send(std::move(call));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() != http::Status::created) {
    co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  }
  co_return std::move(answer->body());
}

asio::awaitable<Result<std::string>> ApiClient::CreateQuoteText(std::string body,
                                                                std::string request_id,
                                                                std::string client_address) {
  co_return co_await CreateForVisitor("/v1/quotes", std::move(body), std::move(request_id),
                                      std::move(client_address));
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
                                                                  std::string request_id,
                                                                  std::string client_address) {
  auto answer = co_await CreateForVisitor("/v1/consents", std::move(body), std::move(request_id),
                                          std::move(client_address));
  if (!answer) co_return tl::unexpected(answer.error());
  boost::system::error_code ec;
  const json::value parsed = json::parse(*answer, ec);
  const json::object* object = !ec && parsed.is_object() ? &parsed.as_object() : nullptr;
  const json::value* id = object != nullptr ? object->if_contains("consent_id") : nullptr;
  const json::value* at = object != nullptr ? object->if_contains("recorded_at") : nullptr;
  if (id == nullptr || !id->is_string() || at == nullptr || !at->is_string()) {
    co_return Fail(ErrorCode::kUnavailable, "bad consent answer", "no consent_id");
  }
  ConsentRecorded recorded;
  recorded.consent_id = std::string(id->as_string());
  recorded.recorded_at = std::string(at->as_string());
  co_return recorded;
}

asio::awaitable<bool> ApiClient::Ready() {
  auto answer = co_await Call(http::Verb::get, "/readyz", "", "");
  co_return answer && answer->result() == http::Status::ok;
}

}  // namespace codezero::web
