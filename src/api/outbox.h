// Puts an e-mail in the outbox inside the caller's transaction: it is sent (by the worker) if
// and only if the change that causes it commits.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"

namespace codezero::api {

// `template_name`: "verify_email", "password_reset", "invitation", "account_exists";
// `locale`: "de" or "en"; `payload_json`: what the template needs, e.g.
// {"link": "...", "name": "..."}; `user_id`: empty when not (yet) a user.
[[nodiscard]] boost::asio::awaitable<Result<void>> EnqueueEmail(db::Transaction& tx, std::string to,
                                                                std::string template_name,
                                                                std::string locale,
                                                                std::string payload_json,
                                                                std::string user_id);

}  // namespace codezero::api
