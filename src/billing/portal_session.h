// A Stripe billing portal session for a company: where its owner updates payment methods and
// sees Stripe's copies of the invoices. The session is for the company's own Stripe customer
// only, and lives for a few minutes at Stripe; every call opens a new one.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"

namespace codezero::billing {

struct PortalRequest {
  std::string company_id;
  std::string locale;      // "de" | "en": the portal's language
  std::string return_url;  // where the portal's "back" leads; checked by the caller
  std::string request_id;  // one session per request: a retry of the call reuses it
};

// The portal's URL. kConflict when the company has no Stripe customer yet (it never checked
// out); kUnavailable when Stripe cannot be reached.
[[nodiscard]] boost::asio::awaitable<Result<std::string>> OpenPortalSession(db::Pool& database,
                                                                            stripe::Client& stripe,
                                                                            PortalRequest request);

}  // namespace codezero::billing
