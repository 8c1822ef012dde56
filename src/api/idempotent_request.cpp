#include "api/idempotent_request.h"

#include "common/digest.h"
#include "domain/violation.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

constexpr std::size_t kMaxKeyLength = 255;

}  // namespace

std::string RequestFingerprint(const http::Request& request, std::string_view path) {
  std::string material;
  material.reserve(16 + path.size() + request.body().size());
  material.append(request.method_string()).append(" ").append(path).append("\n");
  material.append(request.body());
  const Sha256Digest digest = Sha256(material);
  return ToHex(digest.data(), digest.size());
}

Result<std::string_view> IdempotencyKeyOf(const http::Request& request) {
  const std::string_view key = request["Idempotency-Key"];
  if (key.empty() || key.size() > kMaxKeyLength) {
    return Fail(ErrorCode::kBadRequest,
                "This request needs an Idempotency-Key header of 1 to 255 characters, "
                "the same for every retry of the request (e.g. a UUID).");
  }
  return key;
}

boost::asio::awaitable<Result<http::Response>> RunIdempotently(
    redis::IdempotencyStore& store, std::string scope, domain::Locale locale,
    const http::Request& request, const http::RequestContext& context, IdempotentHandler handler) {
  const auto key = IdempotencyKeyOf(request);
  if (!key) co_return tl::unexpected(key.error());
  IdempotentCall call;
  call.key = std::string(*key);
  call.fingerprint = RequestFingerprint(request, context.path);

  const redis::Claim claim = co_await store.Begin(scope, call.key, call.fingerprint);
  switch (claim.state) {
    case redis::ClaimState::kInFlight:
      co_return Fail(ErrorCode::kConflict,
                     "A request with this Idempotency-Key is still being processed; retry "
                     "it in a moment.");
    case redis::ClaimState::kMismatch: {
      std::vector<domain::Violation> violations;
      violations.push_back({"idempotency_key_reused", "Idempotency-Key", {}});
      co_return tl::unexpected(domain::ValidationError(violations, locale));
    }
    case redis::ClaimState::kReplay: {
      http::Response replay = http::JsonTextResponse(static_cast<http::Status>(claim.answer.status),
                                                     claim.answer.body, request.version());
      replay.set("Idempotent-Replayed", "true");
      co_return replay;
    }
    case redis::ClaimState::kClaimed:
    case redis::ClaimState::kUnavailable:
      break;
  }

  Result<http::Response> answer = co_await handler(call);
  if (claim.state != redis::ClaimState::kClaimed) co_return answer;
  const unsigned status = answer ? answer->result_int() : 0;
  if (answer && status >= 200 && status < 300) {
    redis::StoredAnswer stored;
    stored.status = static_cast<int>(status);
    stored.body = answer->body();
    co_await store.Complete(scope, call.key, call.fingerprint, std::move(stored));
  } else {
    co_await store.Release(scope, call.key, call.fingerprint);
  }
  co_return answer;
}

}  // namespace codezero::api
