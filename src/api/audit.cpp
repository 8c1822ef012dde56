#include "api/audit.h"

#include "common/log.h"

namespace codezero::api {

constexpr db::Statement kAppend{
    "audit_append",
    "INSERT INTO audit_log (action, actor_id, company_id, subject_id, client, details) "
    "VALUES ($1, nullif($2, '')::uuid, nullif($3, '')::uuid, nullif($4, '')::uuid, "
    "nullif($5, ''), $6::jsonb)"};

boost::asio::awaitable<Result<void>> Audit(db::Transaction& tx, std::string action,
                                           std::string actor_id, std::string company_id,
                                           std::string subject_id, std::string client,
                                           std::string details_json) {
  auto appended =
      co_await tx.Execute(kAppend, action, actor_id, company_id, subject_id, client, details_json);
  if (!appended) co_return tl::unexpected(appended.error());
  co_return Result<void>{};
}

boost::asio::awaitable<void> AuditRefusal(db::Pool& database, std::string action,
                                          std::string actor_id, std::string company_id,
                                          std::string subject_id, std::string client,
                                          std::string details_json) {
  auto appended = co_await database.Execute(kAppend, action, actor_id, company_id, subject_id,
                                            client, details_json);
  if (!appended)
    log::Warn("audit failed", {{"action", action}, {"reason", appended.error().reason}});
}

}  // namespace codezero::api
