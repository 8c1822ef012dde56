#include "orders/order_store.h"

#include <stdexcept>

#include "common/json_writer.h"
#include "metrics/registry.h"
#include "queue/enqueue.h"

namespace codezero::orders {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kFindByKey{
    "orders_find_by_key",
    "SELECT id, request_digest, status, stripe_checkout_session, checkout_url, "
    "floor(extract(epoch FROM created_at))::bigint FROM orders "
    "WHERE created_by = $1::uuid AND idempotency_key = $2"};

constexpr db::Statement kInsertOrder{
    "orders_insert",
    "INSERT INTO orders (company_id, created_by, idempotency_key, request_digest, status, "
    "catalog_version, quote_id, plan, billing_interval, currency, locale, tax_treatment, "
    "tax_country, tax_rate_bps, vat_id, discount_code, discount_kind, discount_percent_bps, "
    "amount_subtotal, amount_discount, amount_tax, amount_total, recurring_subtotal, "
    "recurring_tax, recurring_total, customer_type, terms_accepted_at, "
    "early_performance_requested_at, tax_territory, tax_vat_id_unconfirmed, "
    "tax_vat_id_not_asked) "
    "VALUES ($1::uuid, $2::uuid, $3, $4, 'awaiting_payment', $5::int, $6, $7, $8, $9, $10, $11, "
    "$12, $13::int, $14, $15, $16, $17::int, $18::bigint, $19::bigint, $20::bigint, $21::bigint, "
    "$22::bigint, $23::bigint, $24::bigint, $25, CASE WHEN $26::boolean THEN now() END, "
    "CASE WHEN $27::boolean THEN now() END, $28, $29::boolean, $30::boolean) "
    "ON CONFLICT (created_by, idempotency_key) DO NOTHING "
    "RETURNING id, floor(extract(epoch FROM created_at))::bigint"};

// All lines in one statement: parallel arrays unnested.
constexpr db::Statement kInsertLines{
    "orders_insert_lines",
    "INSERT INTO order_lines (order_id, position, kind, code, description, quantity, "
    "unit_amount, amount, amount_discount, amount_tax, tax_rate_bps, recurring) "
    "SELECT $1::uuid, l.position, l.kind, l.code, l.description, l.quantity, l.unit_amount, "
    "l.amount, l.amount_discount, l.amount_tax, l.tax_rate_bps, l.recurring "
    "FROM jsonb_to_recordset($2::jsonb) AS l(position int, kind text, code text, "
    "description text, quantity bigint, unit_amount bigint, amount bigint, "
    "amount_discount bigint, amount_tax bigint, tax_rate_bps int, recurring boolean)"};

constexpr db::Statement kInsertHistory{
    "orders_insert_history",
    "INSERT INTO order_status_history (order_id, from_status, to_status, cause, stripe_event) "
    "VALUES ($1::uuid, nullif($2, ''), $3, $4, nullif($5, ''))"};

constexpr db::Statement kInsertFirstHistory{
    "orders_insert_first_history",
    "INSERT INTO order_status_history (order_id, to_status, cause) "
    "VALUES ($1::uuid, 'awaiting_payment', 'checkout_requested')"};

constexpr db::Statement kAttach{
    "orders_attach_checkout",
    "UPDATE orders SET stripe_checkout_session = $2, checkout_url = $3, "
    "checkout_expires_at = to_timestamp($4::bigint) WHERE id = $1::uuid"};

constexpr db::Statement kMove{
    "orders_move",
    "UPDATE orders SET status = $3 WHERE id = $1::uuid AND status = $2 RETURNING id"};

std::string LinesJson(const domain::PricedQuote& quote) {
  JsonWriter json(256 * quote.lines.size());
  json.BeginArray();
  int position = 0;
  for (const domain::PricedLine& line : quote.lines) {
    json.BeginObject();
    json.Member("position", ++position);
    json.Member("kind", line.kind == domain::LineKind::kPlan ? "plan" : "addon");
    json.Member("code", line.code);
    json.Member("description", line.description);
    json.Member("quantity", line.quantity);
    json.Member("unit_amount", line.unit_amount);
    json.Member("amount", line.amount);
    json.Member("amount_discount", line.amount_discount);
    json.Member("amount_tax", line.amount_tax);
    json.Member("tax_rate_bps", line.tax_rate_bps);
    json.Member("recurring", line.recurring);
    json.EndObject();
  }
  json.EndArray();
  return std::move(json).Take();
}

OrderRef RefOf(const db::Rows& rows, bool created) {
  OrderRef ref;
  ref.id = std::string(rows.Text(0, 0));
  ref.created = created;
  ref.request_digest = std::string(rows.Text(0, 1));
  ref.status =
      domain::ParseOrderStatus(rows.Text(0, 2)).value_or(domain::OrderStatus::kAwaitingPayment);
  ref.checkout_session = rows.OptionalText(0, 3);
  ref.checkout_url = rows.OptionalText(0, 4);
  ref.created_at = rows.Int64(0, 5);
  return ref;
}

}  // namespace

asio::awaitable<Result<OrderRef>> CreateOrFind(db::Pool& database, NewOrder order) {
  const domain::PricedQuote& q = order.quote;
  const std::string lines = LinesJson(q);
  const std::string interval(domain::ToString(q.interval));
  const std::string locale(domain::ToString(q.locale));
  const std::string treatment(domain::ToString(q.tax.treatment));
  std::optional<std::string> discount_code;
  std::optional<std::string> discount_kind;
  std::optional<int> discount_bps;
  if (q.discount) {
    discount_code = q.discount->code;
    discount_kind = std::string(domain::ToString(q.discount->kind));
    discount_bps = q.discount->percent_off_bps;
  }
  co_return co_await database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<OrderRef>> {
        auto inserted = co_await tx.Execute(
            kInsertOrder, order.company_id, order.created_by, order.idempotency_key,
            order.request_digest, q.catalog_version, order.quote_id, q.lines.front().code, interval,
            q.currency, locale, treatment, q.tax.country, q.tax.rate_bps, order.vat_id,
            discount_code, discount_kind, discount_bps,
            static_cast<long long>(q.first_invoice.subtotal),
            static_cast<long long>(q.first_invoice.discount),
            static_cast<long long>(q.first_invoice.tax),
            static_cast<long long>(q.first_invoice.total),
            static_cast<long long>(q.recurring.subtotal), static_cast<long long>(q.recurring.tax),
            static_cast<long long>(q.recurring.total), domain::ToString(order.customer_type),
            order.terms_accepted, order.early_performance_requested, q.tax.territory,
            q.tax.vat_id_unconfirmed, q.tax.vat_id_not_asked);
        if (!inserted) co_return tl::unexpected(inserted.error());
        if (inserted->empty()) {
          auto existing = co_await tx.Execute(kFindByKey, order.created_by, order.idempotency_key);
          if (!existing) co_return tl::unexpected(existing.error());
          if (existing->empty()) co_return Fail(ErrorCode::kConflict, "the order is being created");
          co_return RefOf(*existing, false);
        }
        const std::string id(inserted->Text(0, 0));
        auto stored_lines = co_await tx.Execute(kInsertLines, id, lines);
        if (!stored_lines) co_return tl::unexpected(stored_lines.error());
        auto history = co_await tx.Execute(kInsertFirstHistory, id);
        if (!history) co_return tl::unexpected(history.error());
        OrderRef ref;
        ref.id = id;
        ref.created = true;
        ref.created_at = inserted->Int64(0, 1);
        ref.request_digest = order.request_digest;
        co_return ref;
      });
}

asio::awaitable<Result<void>> AttachCheckoutSession(db::Pool& database, std::string order_id,
                                                    std::string session_id, std::string url,
                                                    std::int64_t expires_at) {
  auto updated = co_await database.Execute(kAttach, order_id, session_id, url,
                                           static_cast<long long>(expires_at));
  if (!updated) co_return tl::unexpected(updated.error());
  co_return Result<void>();
}

asio::awaitable<Result<bool>> Move(db::Transaction& tx, std::string order_id,
                                   domain::OrderStatus from, domain::OrderStatus to,
                                   std::string cause, std::string stripe_event) {
  if (!domain::CanMove(from, to)) {
    throw std::logic_error("orders::Move: no such move " + std::string(domain::ToString(from)) +
                           " -> " + std::string(domain::ToString(to)));
  }
  const std::string from_text(domain::ToString(from));
  const std::string to_text(domain::ToString(to));
  auto moved = co_await tx.Execute(kMove, order_id, from_text, to_text);
  if (!moved) co_return tl::unexpected(moved.error());
  if (moved->empty()) co_return false;
  auto history =
      co_await tx.Execute(kInsertHistory, order_id, from_text, to_text, cause, stripe_event);
  if (!history) co_return tl::unexpected(history.error());
  // Counted when the move is made; a transaction rolled back after it (rare: a deadlock or a
  // serialization failure, run again) counts it twice.
  metrics::Default()
      .AddCounter("codezero_order_transitions_total", "Order state changes.", {"from", "to"})
      .With({from_text, to_text})
      .Inc();
  if (to == domain::OrderStatus::kPaid) {
    const std::string args = R"({"order_id":")" + order_id + "\"}";
    auto job = co_await queue::Enqueue(tx, queue::kinds::kOrderProvision, args,
                                       "order.provision:" + order_id);
    if (!job) co_return tl::unexpected(job.error());
  }
  co_return true;
}

asio::awaitable<Result<bool>> StartProvisioning(db::Transaction& tx, std::string order_id) {
  co_return co_await Move(tx, std::move(order_id), domain::OrderStatus::kPaid,
                          domain::OrderStatus::kProvisioning, "provisioning started");
}

asio::awaitable<Result<bool>> FinishProvisioning(db::Transaction& tx, std::string order_id) {
  co_return co_await Move(tx, std::move(order_id), domain::OrderStatus::kProvisioning,
                          domain::OrderStatus::kActive, "workspace provisioned");
}

}  // namespace codezero::orders
