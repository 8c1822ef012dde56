#include "mail/outbox.h"

#include "queue/enqueue.h"

namespace codezero::mail {

namespace {

constexpr db::Statement kInsert{
    "mail_outbox_insert",
    "INSERT INTO email_outbox (to_address, template, locale, payload, user_id, unique_key) "
    "VALUES ($1, $2, $3, $4::jsonb, nullif($5, '')::uuid, nullif($6, '')) "
    "ON CONFLICT (unique_key) DO NOTHING RETURNING id"};

}  // namespace

boost::asio::awaitable<Result<std::optional<std::int64_t>>> EnqueueEmail(
    db::Transaction& tx, std::string to, std::string template_name, std::string locale,
    std::string payload_json, std::string user_id, std::string unique_key) {
  auto inserted =
      co_await tx.Execute(kInsert, to, template_name, locale, payload_json, user_id, unique_key);
  if (!inserted) co_return tl::unexpected(inserted.error());
  if (inserted->empty()) co_return std::optional<std::int64_t>();
  const std::int64_t id = inserted->Int64(0, 0);
  const std::string args = R"({"outbox_id":)" + std::to_string(id) + "}";
  auto job = co_await queue::Enqueue(tx, queue::kinds::kEmailSend, args,
                                     "email.send:" + std::to_string(id));
  if (!job) co_return tl::unexpected(job.error());
  co_return std::optional<std::int64_t>(id);
}

}  // namespace codezero::mail
