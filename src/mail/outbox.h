// Puts an e-mail in the outbox inside the caller's transaction, with its `email.send` job: it is
// sent (by the worker) if and only if the change that causes it commits. With a `unique_key`
// (the business event: "order_confirmation:<order id>") the e-mail is queued once however often
// the event is handled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"

namespace codezero::mail {

// `template_name`: a template in mail/templates/ ("verify_email", "order_confirmation", ...);
// `locale`: "de" or "en"; `payload_json`: the template's values; `user_id`: empty when not (yet)
// a user. Returns the outbox id, or nullopt when `unique_key` was queued before.
[[nodiscard]] boost::asio::awaitable<Result<std::optional<std::int64_t>>> EnqueueEmail(
    db::Transaction& tx, std::string to, std::string template_name, std::string locale,
    std::string payload_json, std::string user_id, std::string unique_key = "");

}  // namespace codezero::mail
