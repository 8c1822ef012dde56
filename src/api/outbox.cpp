#include "api/outbox.h"

namespace codezero::api {

constexpr db::Statement kEnqueue{
    "outbox_enqueue",
    "INSERT INTO email_outbox (to_address, template, locale, payload, user_id) "
    "VALUES ($1, $2, $3, $4::jsonb, nullif($5, '')::uuid)"};

boost::asio::awaitable<Result<void>> EnqueueEmail(db::Transaction& tx, std::string to,
                                                  std::string template_name, std::string locale,
                                                  std::string payload_json, std::string user_id) {
  auto inserted = co_await tx.Execute(kEnqueue, to, template_name, locale, payload_json, user_id);
  if (!inserted) co_return tl::unexpected(inserted.error());
  co_return Result<void>{};
}

}  // namespace codezero::api
