// Appends to the audit log (an append-only table): sign-ins, token reuse, password changes,
// role and member changes, exports, deletions, admin actions. Written in the transaction of
// the change it records, so the log never claims what did not happen.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"

namespace codezero::api {

// `action`: "login_succeeded", "member_removed", ...; `actor_id`: who did it (empty when nobody
// is signed in); `company_id`: whose company it concerns; `subject_id`: the user (or other
// entity) it was done to; `client`: the client's truncated address. Empty means none.
// (Plain parameters, not a struct: see ADR 0001 on aggregates in co_await expressions.)
[[nodiscard]] boost::asio::awaitable<Result<void>> Audit(db::Transaction& tx, std::string action,
                                                         std::string actor_id,
                                                         std::string company_id,
                                                         std::string subject_id, std::string client,
                                                         std::string details_json = "{}");

// Records something that changed nothing else (a refused sign-in, a wrong current password)
// in a statement of its own. A failure to record is logged, not returned: the refusal stands.
[[nodiscard]] boost::asio::awaitable<void> AuditRefusal(db::Pool& database, std::string action,
                                                        std::string actor_id,
                                                        std::string company_id,
                                                        std::string subject_id, std::string client,
                                                        std::string details_json);

}  // namespace codezero::api
