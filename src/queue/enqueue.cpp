#include "queue/enqueue.h"

#include "queue/kinds.h"

namespace codezero::queue {
namespace {

// ON CONFLICT names the partial unique index's predicate, so a finished job with the same key
// does not block a new one.
constexpr db::Statement kEnqueue{
    "queue_enqueue",
    "INSERT INTO jobs (kind, queue, args, unique_key, run_at, state, trace_context, "
    "max_attempts) "
    "VALUES ($1, $2, $3::jsonb, nullif($4, ''), now() + make_interval(secs => $5::bigint), "
    "CASE WHEN $5::bigint > 0 THEN 'scheduled' ELSE 'available' END, nullif($6, ''), $7::int) "
    "ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL "
    "AND state NOT IN ('completed', 'discarded', 'cancelled') DO NOTHING "
    "RETURNING id"};

}  // namespace

boost::asio::awaitable<Result<std::optional<std::int64_t>>> Enqueue(
    db::Transaction& tx, std::string kind, std::string args_json, std::string unique_key,
    std::string queue, std::int64_t delay_seconds, std::string trace_context, int max_attempts) {
  const int attempts = max_attempts > 0 ? max_attempts : MaxAttemptsOf(kind);
  if (trace_context.empty()) trace_context = tx.trace_context();
  auto rows = co_await tx.Execute(kEnqueue, kind, queue, args_json, unique_key,
                                  static_cast<long long>(delay_seconds), trace_context, attempts);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return std::optional<std::int64_t>();
  co_return std::optional<std::int64_t>(rows->Int64(0, 0));
}

boost::asio::awaitable<Result<std::optional<std::int64_t>>> Enqueue(db::Transaction& tx,
                                                                    const JobKind& kind,
                                                                    std::string args_json,
                                                                    std::string unique_key,
                                                                    std::int64_t delay_seconds) {
  co_return co_await Enqueue(tx, std::string(kind.name), std::move(args_json),
                             std::move(unique_key), std::string(kind.queue), delay_seconds, "",
                             kind.max_attempts);
}

}  // namespace codezero::queue
