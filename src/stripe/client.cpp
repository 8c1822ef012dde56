#include "stripe/client.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "common/digest.h"
#include "common/log.h"
#include "common/random.h"
#include "http/outbound_call.h"
#include "http/outbound_metrics.h"
#include "http/request_metrics.h"

namespace codezero::stripe {
namespace {

namespace asio = boost::asio;

std::string HeaderOf(const http::Response& response, std::string_view name) {
  const auto found = response.find(name);
  return found == response.end() ? std::string() : std::string(found->value());
}

}  // namespace

ClientOptions ReadClientOptions(SettingsReader& reader) {
  ClientOptions options;
  options.secret_key =
      reader.String({.name = "STRIPE_SECRET_KEY",
                     .help = "Stripe secret key (sk_test_… / sk_live_… / rk_…); unset: no checkout",
                     .secret = true});
  options.api_base =
      reader.String({.name = "STRIPE_API_BASE",
                     .default_value = "https://api.stripe.com",
                     .help = "Stripe's API host (the stand-in: http://127.0.0.1:12111)"});
  if (!options.api_base.starts_with("http://") && !options.api_base.starts_with("https://")) {
    reader.AddProblem("STRIPE_API_BASE", "must start with http:// or https://");
  }
  while (options.api_base.ends_with('/')) options.api_base.pop_back();
  options.timeout = reader.Milliseconds({.name = "STRIPE_TIMEOUT_MS",
                                         .default_value = "30000",
                                         .help = "deadline of one Stripe call (each try)"},
                                        100, 120'000);
  options.max_retries = static_cast<int>(
      reader.Integer({.name = "STRIPE_MAX_RETRIES",
                      .default_value = "2",
                      .help = "retries of a Stripe call that failed in a retryable way"},
                     0, 10));
  return options;
}

Client::Client(http::CurlClient& transport, ClientOptions options)
    : transport_(transport), options_(std::move(options)) {}

asio::awaitable<Outcome<boost::json::object>> Client::Post(std::string path, FormFields fields,
                                                           std::string operation) {
  return Send(http::Verb::post, std::move(path), std::move(fields), std::move(operation));
}

asio::awaitable<Outcome<boost::json::object>> Client::Get(std::string path, FormFields query) {
  return Send(http::Verb::get, std::move(path), std::move(query), "");
}

asio::awaitable<Outcome<boost::json::object>> Client::Delete(std::string path, FormFields query) {
  return Send(http::Verb::delete_, std::move(path), std::move(query), "");
}

asio::awaitable<Outcome<boost::json::object>> Client::Send(http::Verb method, std::string path,
                                                           FormFields fields,
                                                           std::string idempotency_key) {
  if (!configured()) {
    co_return tl::unexpected(
        ApiError{.kind = ApiErrorKind::kAuthentication, .message = "STRIPE_SECRET_KEY is not set"});
  }
  http::OutboundRequest request;
  request.method = method;
  request.url = options_.api_base + path;
  request.timeout = options_.timeout;
  request.max_response_bytes = 4 << 20;
  const std::string form = FormEncode(fields);
  if (method == http::Verb::post) {
    request.body = form;
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  } else if (!form.empty()) {
    request.url += "?" + form;
  }
  request.headers.emplace_back("Authorization", "Bearer " + options_.secret_key);
  request.headers.emplace_back("Stripe-Version", std::string(kApiVersion));
  request.headers.emplace_back("User-Agent", "codezero/1 (+https://codezero.ai)");
  if (!idempotency_key.empty()) {
    request.headers.emplace_back("Idempotency-Key", IdempotencyKeyFor(idempotency_key, path, form));
  }

  const auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  const std::string_view operation = http::MethodLabel(method);
  for (int attempt = 0;; ++attempt) {
    http::OutboundCall call("stripe", operation, executor);
    http::OutboundRequest request_of_try = request;
    call.Propagate(request_of_try);
    auto answer = co_await transport_.Perform(std::move(request_of_try));
    call.Done(answer ? static_cast<int>(answer->result_int()) : 0);
    ApiError error;
    std::string should_retry;
    if (!answer) {
      error = ApiError{.kind = ApiErrorKind::kConnection, .message = answer.error().reason};
    } else {
      const int status = static_cast<int>(answer->result_int());
      const std::string request_id = HeaderOf(*answer, "Request-Id");
      if (status >= 200 && status < 300) {
        boost::system::error_code ec;
        boost::json::value parsed = boost::json::parse(answer->body(), ec);
        if (ec || !parsed.is_object()) {
          co_return tl::unexpected(ApiError{.kind = ApiErrorKind::kApi,
                                            .status = status,
                                            .message = "Stripe answered with something not JSON",
                                            .request_id = request_id});
        }
        co_return std::move(parsed.as_object());
      }
      error = DecodeApiError(status, answer->body(), request_id);
      should_retry = HeaderOf(*answer, "Stripe-Should-Retry");
    }
    if (attempt >= options_.max_retries || !ShouldRetry(error.status, should_retry)) {
      co_return tl::unexpected(std::move(error));
    }
    http::RecordOutboundRetry("stripe");
    const auto delay = RetryDelay(options_, attempt, 0.5 + FastRandomUnit() / 2);
    log::Warn("stripe call retried", {{"path", path},
                                      {"attempt", attempt + 1},
                                      {"status", error.status},
                                      {"error", std::string(ToString(error.kind))},
                                      {"delay_ms", static_cast<std::int64_t>(delay.count())}});
    timer.expires_after(delay);
    (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

std::string IdempotencyKeyFor(std::string_view operation, std::string_view path,
                              std::string_view form) {
  std::string request(path);
  request += '\n';
  request += form;
  const Sha256Digest digest = Sha256(request);
  return std::string(operation) + ":" + ToHex(digest.data(), 8);
}

std::chrono::milliseconds RetryDelay(const ClientOptions& options, int retry, double jitter) {
  const double base = static_cast<double>(options.initial_backoff.count()) *
                      static_cast<double>(1LL << std::min(retry, 20));
  const double capped = std::min(base, static_cast<double>(options.max_backoff.count()));
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(capped * std::clamp(jitter, 0.5, 1.0)));
}

bool ShouldRetry(int status, std::string_view should_retry_header) {
  if (should_retry_header == "true") return true;
  if (should_retry_header == "false") return false;
  return status == 0 || status == 409 || status == 429 || status >= 500;
}

}  // namespace codezero::stripe
