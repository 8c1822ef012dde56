// Putting a job on the Postgres job queue (the `jobs` table, migration 0004), inside the
// caller's transaction: the job exists if and only if the change it belongs to commits. The
// worker (`codezero worker`) drains the queue; a statement trigger NOTIFYs it at commit.
//
//   auto job = co_await queue::Enqueue(tx, kinds::kOrderProvision, args_json,
//                                      "order.provision:" + order_id);
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "queue/kinds.h"

namespace codezero::queue {

// The id of the new job, or nullopt when a live job (not completed, discarded or cancelled)
// already holds `unique_key`. An empty `unique_key` means none. `args_json` is a JSON object.
// `delay_seconds` schedules the job for later. `trace_context` is a W3C traceparent; empty takes
// the transaction's (db::Transaction::trace_context), which may be empty too.
// `max_attempts` 0 takes the kind's (queue/kinds.h).
// (Plain parameters, not a struct: see ADR 0001 on aggregates in co_await expressions.)
[[nodiscard]] boost::asio::awaitable<Result<std::optional<std::int64_t>>> Enqueue(
    db::Transaction& tx, std::string kind, std::string args_json, std::string unique_key = "",
    std::string queue = "default", std::int64_t delay_seconds = 0, std::string trace_context = "",
    int max_attempts = 0);

// A kind of the platform (queue/kinds.h), on its queue with its attempts.
[[nodiscard]] boost::asio::awaitable<Result<std::optional<std::int64_t>>> Enqueue(
    db::Transaction& tx, const JobKind& kind, std::string args_json, std::string unique_key = "",
    std::int64_t delay_seconds = 0);

}  // namespace codezero::queue
