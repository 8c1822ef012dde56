// Quotes for the configurator, asked of the API (POST /v1/quotes) and shared through Redis
// (seed: response caching): the same configuration in the same language under the same
// catalog version on the same day is priced once per `shared_ttl` across all web instances.
// A configuration with a VAT ID or a discount code is never cached: the first is about a
// particular customer, the second depends on a code that may stop being valid. Keys hold the
// API's address too: quotes are signed by the API, and another API may hold other keys.
//
// One field takes both kinds of discount code: it is tried as a coupon and, when the API
// knows no such coupon, as a referral code.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "redis/client.h"
#include "web/api_client.h"
#include "web/configuration.h"
#include "web/quote_view.h"

namespace codezero::web {

class QuoteSource {
 public:
  // `cache`: null means no Redis layer.
  QuoteSource(ApiClient& api, redis::Client* cache, std::chrono::milliseconds shared_ttl);

  // The quote, or the API's error (kValidationFailed with field errors for a 422; kRateLimited
  // when the visitor at `client_address` named too many discount codes that gave nothing).
  [[nodiscard]] boost::asio::awaitable<Result<QuoteView>> Quote(Configuration configuration,
                                                                domain::Locale locale,
                                                                int catalog_version,
                                                                std::string request_id,
                                                                std::string client_address);

 private:
  ApiClient& api_;
  redis::Client* cache_;
  std::chrono::milliseconds shared_ttl_;
};

}  // namespace codezero::web
