// The JSON body of a quote (POST /v1/quotes and GET /v1/quotes/{token}).
#pragma once

#include <cstdint>
#include <string>

#include "domain/pricing.h"
#include "domain/quote_request.h"

namespace codezero::api {

// `quote_id`: domain::QuoteIdOf(token). `issued_at`, `expires_at`: Unix seconds. Written
// directly as text: this runs on every configurator change.
[[nodiscard]] std::string QuoteJson(const domain::PricedQuote& quote,
                                    const domain::CustomerInput& customer, const std::string& token,
                                    std::string_view quote_id, std::int64_t issued_at,
                                    std::int64_t expires_at);

// Unix seconds as RFC 3339 UTC, "2026-12-03T04:00:00Z".
[[nodiscard]] std::string Rfc3339(std::int64_t unix_seconds);

}  // namespace codezero::api
