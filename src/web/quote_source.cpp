#include "web/quote_source.h"

#include <chrono>

#include "common/digest.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;

bool IsUnknownCoupon(const Error& error) {
  if (error.code != ErrorCode::kValidationFailed) return false;
  for (const FieldError& field : error.fields) {
    if (field.code == "unknown_coupon") return true;
  }
  return false;
}

std::string Today() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return std::to_string(today.time_since_epoch().count());
}

}  // namespace

QuoteSource::QuoteSource(ApiClient& api, redis::Client* cache, std::chrono::milliseconds shared_ttl)
    : api_(api), cache_(cache), shared_ttl_(shared_ttl) {}

asio::awaitable<Result<QuoteView>> QuoteSource::Quote(Configuration configuration,
                                                      domain::Locale locale, int catalog_version,
                                                      std::string request_id,
                                                      std::string client_address) {
  const bool cacheable = configuration.vat_id.empty() && configuration.code.empty();
  const std::string body = QuoteRequestJson(configuration, locale, false);
  // The VAT rates a quote uses are those of its day: the day is part of the key. So is the API
  // that signed it (instances in front of another API, with other keys, share no quotes).
  const Sha256Digest digest = Sha256(api_.base_url() + "\n" + body);
  const std::string key = "web:quote:" + std::to_string(catalog_version) + ":" + Today() + ":" +
                          ToHex(digest.data(), 16);
  if (cacheable && cache_ != nullptr && cache_->connected()) {
    auto cached = co_await cache_->Get(key);
    if (cached && *cached) {
      auto quote = ParseQuote(**cached);
      if (quote) co_return quote;
    }
  }

  auto text = co_await api_.CreateQuoteText(body, request_id, client_address);
  if (!text && !configuration.code.empty() && IsUnknownCoupon(text.error())) {
    text = co_await api_.CreateQuoteText(QuoteRequestJson(configuration, locale, true), request_id,
                                         client_address);
  }
  if (!text) co_return tl::unexpected(text.error());
  auto quote = ParseQuote(*text);
  if (quote && cacheable && cache_ != nullptr && cache_->connected()) {
    const redis::SetOptions expiry{.expire = shared_ttl_};
    (void)co_await cache_->Set(key, *text, expiry);
  }
  co_return quote;
}

}  // namespace codezero::web
