#include "stripe_fake/api.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "common/digest.h"
#include "common/log.h"
#include "stripe/form_encoding.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/listing.h"

namespace codezero::stripe_fake {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::int64_t kIdempotencyWindowMs = 24 * 3600 * 1000;
constexpr std::chrono::milliseconds kNoDelay{0};

std::optional<std::string> Base64Decode(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const auto at = kAlphabet.find(c);
    if (at == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

// The key the request presents; nullopt when there is none.
std::optional<std::string> PresentedKey(const http::Request& request) {
  const std::string_view header = request[http::Field::authorization];
  if (header.empty()) return std::nullopt;
  if (header.starts_with("Bearer ")) return std::string(header.substr(7));
  if (header.starts_with("Basic ")) {
    const std::optional<std::string> decoded = Base64Decode(header.substr(6));
    if (!decoded) return std::string();
    return decoded->substr(0, decoded->find(':'));
  }
  return std::string(header);
}

http::Response JsonReply(int status, const std::string& body, const std::string& request_id,
                         const http::Request& request) {
  http::Response response(static_cast<http::Status>(status), request.version());
  response.set(http::Field::content_type, "application/json");
  response.set("Request-Id", request_id);
  const std::string_view version = request["Stripe-Version"];
  response.set("Stripe-Version", version.empty() ? kApiVersion : version);
  const std::string_view key = request["Idempotency-Key"];
  if (!key.empty()) response.set("Idempotency-Key", key);
  response.set("Access-Control-Allow-Origin", "*");
  response.body() = body;
  response.prepare_payload();
  return response;
}

Result<json::object> ParametersOf(const http::Request& request, std::string_view query) {
  json::object params;
  if (!query.empty()) {
    auto decoded = stripe::DecodeForm(query);
    if (!decoded) return tl::unexpected(decoded.error());
    params = std::move(*decoded);
  }
  if (!request.body().empty()) {
    auto decoded = stripe::DecodeForm(request.body());
    if (!decoded) return tl::unexpected(decoded.error());
    for (auto& [key, value] : *decoded) params[key] = std::move(value);
  }
  return params;
}

}  // namespace

Api::Api(http::Router& router, Core& core, asio::any_io_executor executor, ApiOptions options)
    : router_(router),
      shared_(std::make_shared<Shared>(Shared{core, executor, std::move(options)})) {}

void Api::Get(std::string_view pattern, ApiFunction function) {
  Add(http::Verb::get, pattern, std::move(function));
}
void Api::Post(std::string_view pattern, ApiFunction function) {
  Add(http::Verb::post, pattern, std::move(function));
}
void Api::Delete(std::string_view pattern, ApiFunction function) {
  Add(http::Verb::delete_, pattern, std::move(function));
}

http::Response UnrecognizedRequestUrl(const http::Request& request,
                                      const http::RequestContext& context) {
  const StripeError error{.status = 404,
                          .message = "Unrecognized request URL (" +
                                     std::string(request.method_string()) + ": " +
                                     std::string(context.path) + ")."};
  return JsonReply(error.status, json::serialize(ErrorBody(error)), NewStripeRequestId(), request);
}

void Api::DelayAnswers(http::Verb method, std::string path, int count,
                       std::chrono::milliseconds delay) {
  shared_->faults.push_back({method, std::move(path), count, delay, false});
}

void Api::FailAnswers(http::Verb method, std::string path, int count) {
  shared_->faults.push_back({method, std::move(path), count, kNoDelay, true});
}

void Api::PruneIdempotency(std::int64_t now_ms) {
  auto& records = shared_->core.store.idempotency();
  std::erase_if(records, [&](const auto& entry) {
    return !entry.second.in_flight && now_ms - entry.second.created_ms > kIdempotencyWindowMs;
  });
}

void Api::Add(http::Verb verb, std::string_view pattern, ApiFunction function) {
  auto shared = shared_;
  auto handler = std::make_shared<ApiFunction>(std::move(function));
  router_.Add(
      verb, pattern,
      [shared, handler](http::Request& request,
                        http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
        Core& core = shared->core;
        const std::string request_id = NewStripeRequestId();
        const auto fail = [&](const StripeError& error) {
          return JsonReply(error.status, json::serialize(ErrorBody(error)), request_id, request);
        };
        const std::optional<std::string> key = PresentedKey(request);
        if (!key || key->empty()) co_return fail(MissingApiKey());
        if (!ConstantTimeEquals(*key, shared->options.api_key)) {
          co_return fail(InvalidApiKey(*key));
        }
        auto params = ParametersOf(request, context.query);
        if (!params) {
          co_return fail(StripeError{.message = "Invalid request: " + params.error().message});
        }

        std::string idempotency_key;
        if (request.method() == http::Verb::post) {
          idempotency_key = std::string(request["Idempotency-Key"]);
        }
        const std::string fingerprint = std::string(request.method_string()) + " " +
                                        std::string(context.path) + "\n" + request.body();
        if (!idempotency_key.empty()) {
          auto& records = core.store.idempotency();
          const auto found = records.find(idempotency_key);
          if (found != records.end() &&
              WallMilliseconds() - found->second.created_ms > kIdempotencyWindowMs &&
              !found->second.in_flight) {
            records.erase(found);
          } else if (found != records.end()) {
            const IdempotencyRecord& record = found->second;
            if (record.fingerprint != fingerprint) {
              co_return fail(StripeError{
                  .type = "idempotency_error",
                  .message = "Keys for idempotent requests can only be used with the "
                             "same parameters they were first used with. Try using a key "
                             "other than '" +
                             idempotency_key + "' if you meant to execute a different request."});
            }
            if (record.in_flight) {
              co_return fail(
                  StripeError{.status = 409,
                              .type = "idempotency_error",
                              .message = "There is currently another in-progress request using "
                                         "this Stripe-Idempotency-Key (that probably means you "
                                         "submitted twice, and the other request is still going "
                                         "through): " +
                                         idempotency_key + ". Please try again later."});
            }
            http::Response replay =
                JsonReply(record.status, record.body, record.request_id, request);
            replay.set("Idempotent-Replayed", "true");
            replay.set("Original-Request", record.request_id);
            // The same key can only ever answer this again.
            if (record.status >= 500) replay.set("Stripe-Should-Retry", "false");
            co_return replay;
          }
          IdempotencyRecord record;
          record.fingerprint = fingerprint;
          record.request_id = request_id;
          record.created_ms = WallMilliseconds();
          records[idempotency_key] = std::move(record);
        }

        if (shared->options.latency.count() > 0) {
          asio::steady_timer timer(shared->executor, shared->options.latency);
          (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }

        ApiCall call{request, context, std::move(*params)};
        core.events.SetOrigin(RequestOrigin{
            request_id,
            idempotency_key.empty() ? std::nullopt : std::optional<std::string>(idempotency_key)});
        ApiResult result = tl::unexpected(StripeError{});
        try {
          result = (*handler)(call);
        } catch (const std::exception& e) {
          log::Error("stripe-fake handler threw", {{"error", e.what()}, {"path", context.path}});
          result = tl::unexpected(StripeError{
              .status = 500, .type = "api_error", .message = "An internal error occurred."});
        }
        core.events.ClearOrigin();
        AnswerFault* fault = nullptr;
        for (AnswerFault& candidate : shared->faults) {
          if (candidate.count > 0 && candidate.method == request.method() &&
              candidate.path == context.path) {
            --candidate.count;
            fault = &candidate;
            break;
          }
        }
        const std::chrono::milliseconds delay = fault != nullptr ? fault->delay : kNoDelay;
        if (fault != nullptr && fault->internal_error) {
          result = tl::unexpected(StripeError{
              .status = 500, .type = "api_error", .message = "An internal error occurred."});
        }
        int status = 200;
        std::string body;
        if (result) {
          ExpandAll(core, *result, call.params);
          body = json::serialize(*result);
        } else {
          status = result.error().status;
          body = json::serialize(ErrorBody(result.error()));
        }
        if (request.method() != http::Verb::get) core.store.MarkDirty();
        if (!idempotency_key.empty()) {
          auto& records = core.store.idempotency();
          // Stripe keeps no result for a request that failed validation (400): it never
          // began executing. Anything else, a 500 included, is what the key answers now.
          if (status == 400) {
            records.erase(idempotency_key);
          } else {
            IdempotencyRecord& record = records[idempotency_key];
            record.in_flight = false;
            record.status = status;
            record.body = body;
          }
        }
        if (delay > kNoDelay) {
          asio::steady_timer timer(shared->executor, delay);
          (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        http::Response reply = JsonReply(status, body, request_id, request);
        if (status >= 500 && !idempotency_key.empty()) reply.set("Stripe-Should-Retry", "false");
        co_return reply;
      });
}

}  // namespace codezero::stripe_fake
