#include "billing/stripe_records.h"

#include <chrono>

#include "common/json_writer.h"
#include "common/uuid.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr db::Statement kStoreSubscription{
    "billing_store_subscription",
    "INSERT INTO subscriptions (stripe_id, company_id, order_id, stripe_customer, status, "
    "  current_period_start, current_period_end, cancel_at_period_end, canceled_at, ended_at, "
    "  items, stripe_version) "
    "SELECT $1, o.company_id, o.id, $3, $4, to_timestamp($5::bigint), to_timestamp($6::bigint), "
    "  $7::boolean, to_timestamp($8::bigint), to_timestamp($9::bigint), $10::jsonb, $11::bigint "
    "FROM (SELECT 1) one LEFT JOIN orders o ON o.id = nullif($2, '')::uuid "
    "ON CONFLICT (stripe_id) DO UPDATE SET "
    "  company_id = coalesce(EXCLUDED.company_id, subscriptions.company_id), "
    "  order_id = coalesce(EXCLUDED.order_id, subscriptions.order_id), "
    "  status = EXCLUDED.status, current_period_start = EXCLUDED.current_period_start, "
    "  current_period_end = EXCLUDED.current_period_end, "
    "  cancel_at_period_end = EXCLUDED.cancel_at_period_end, "
    "  canceled_at = EXCLUDED.canceled_at, ended_at = EXCLUDED.ended_at, "
    "  items = EXCLUDED.items, stripe_version = EXCLUDED.stripe_version "
    "WHERE subscriptions.stripe_version <= EXCLUDED.stripe_version "
    "RETURNING coalesce(order_id::text, '')"};

constexpr db::Statement kLinkOrder{
    "billing_link_order",
    "UPDATE orders SET stripe_subscription = coalesce(stripe_subscription, $2) "
    "WHERE id = $1::uuid"};

constexpr db::Statement kStoreInvoice{
    "billing_store_invoice",
    "INSERT INTO invoices (stripe_id, company_id, order_id, stripe_customer, "
    "  stripe_subscription, number, status, billing_reason, currency, subtotal, tax, total, "
    "  amount_due, amount_paid, attempt_count, period_start, period_end, hosted_invoice_url, "
    "  invoice_pdf, stripe_created, stripe_version) "
    "SELECT $1, o.company_id, o.id, $2, nullif($3, ''), nullif($4, ''), $5, nullif($6, ''), $7, "
    "  $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::bigint, $13::int, "
    "  to_timestamp($14::bigint), to_timestamp($15::bigint), nullif($16, ''), nullif($17, ''), "
    "  to_timestamp($18::bigint), $19::bigint "
    "FROM (SELECT 1) one LEFT JOIN orders o ON o.id = coalesce("
    "  (SELECT order_id FROM subscriptions WHERE stripe_id = nullif($3, '')), "
    "  nullif($20, '')::uuid) "
    "ON CONFLICT (stripe_id) DO UPDATE SET "
    "  company_id = coalesce(EXCLUDED.company_id, invoices.company_id), "
    "  order_id = coalesce(EXCLUDED.order_id, invoices.order_id), "
    "  number = EXCLUDED.number, status = EXCLUDED.status, subtotal = EXCLUDED.subtotal, "
    "  tax = EXCLUDED.tax, total = EXCLUDED.total, amount_due = EXCLUDED.amount_due, "
    "  amount_paid = EXCLUDED.amount_paid, attempt_count = EXCLUDED.attempt_count, "
    "  hosted_invoice_url = EXCLUDED.hosted_invoice_url, invoice_pdf = EXCLUDED.invoice_pdf, "
    "  stripe_version = EXCLUDED.stripe_version "
    "WHERE invoices.stripe_version <= EXCLUDED.stripe_version "
    "RETURNING coalesce(order_id::text, '')"};

std::optional<long long> Time(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return std::nullopt;
  return static_cast<long long>(*seconds);
}

// The subscription's items as [{"code","quantity","product"}], codes of our catalog.
std::string ItemsJson(const stripe::Subscription& subscription) {
  JsonWriter out(256);
  out.BeginArray();
  for (const stripe::SubscriptionItem& item : subscription.items) {
    out.BeginObject();
    out.Member("code", CatalogCodeOf(item.product));
    out.Member("product", item.product);
    out.Member("quantity", item.quantity);
    out.EndObject();
  }
  out.EndArray();
  return std::move(out).Take();
}

}  // namespace

std::int64_t FetchVersion() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string CatalogCodeOf(std::string_view product_id) {
  constexpr std::string_view kPrefix = "codezero_";
  return product_id.starts_with(kPrefix) ? std::string(product_id.substr(kPrefix.size()))
                                         : std::string();
}

asio::awaitable<Result<json::object>> FetchObject(stripe::Client& stripe,
                                                  std::string_view collection, std::string id) {
  if (id.empty()) co_return Fail(ErrorCode::kNotFound, "no id to fetch");
  std::string path(collection);
  path += '/';
  path += id;
  auto fetched = co_await stripe.Get(std::move(path));
  if (!fetched) {
    if (fetched.error().status == 404) {
      co_return Fail(ErrorCode::kNotFound, "no such object at Stripe", std::move(id));
    }
    co_return tl::unexpected(stripe::ToError(fetched.error()));
  }
  co_return std::move(*fetched);
}

asio::awaitable<Result<Listed>> ListAll(stripe::Client& stripe, std::string path,
                                        stripe::FormFields filters, int max_pages) {
  Listed listed_all;
  std::string after;
  for (int page = 0; page < max_pages; ++page) {
    stripe::FormFields query = filters;
    query.emplace_back("limit", "100");
    if (!after.empty()) query.emplace_back("starting_after", after);
    auto listed = co_await stripe.Get(path, std::move(query));
    if (!listed) co_return tl::unexpected(stripe::ToError(listed.error()));
    const auto* data = listed->if_contains("data");
    if (data == nullptr || !data->is_array()) {
      listed_all.complete = false;  // a page without its list: what follows is unknown
      co_return listed_all;
    }
    for (const json::value& item : data->as_array()) {
      if (item.is_object()) listed_all.objects.push_back(item.as_object());
    }
    if (listed_all.objects.empty() || !stripe::BoolOf(*listed, "has_more")) co_return listed_all;
    after = stripe::StringOf(listed_all.objects.back(), "id");
  }
  listed_all.complete = false;
  co_return listed_all;
}

asio::awaitable<std::string> OrderOfSubscription(stripe::Client& stripe, std::string subscription) {
  auto owner = co_await FetchObject(stripe, "/v1/subscriptions", std::move(subscription));
  if (!owner) co_return std::string();
  std::string order_id = stripe::MetadataOf(*owner, "order_id");
  co_return IsUuid(order_id) ? order_id : std::string();
}

asio::awaitable<Result<Stored>> StoreSubscription(db::Transaction& tx,
                                                  const stripe::Subscription& subscription,
                                                  std::int64_t version) {
  const std::string order_id = IsUuid(subscription.order_id) ? subscription.order_id : "";
  auto stored = co_await tx.Execute(
      kStoreSubscription, subscription.id, order_id, subscription.customer, subscription.status,
      Time(subscription.current_period_start), Time(subscription.current_period_end),
      subscription.cancel_at_period_end, Time(subscription.canceled_at),
      Time(subscription.ended_at), ItemsJson(subscription), static_cast<long long>(version));
  if (!stored) co_return tl::unexpected(stored.error());
  Stored result;
  result.applied = !stored->empty();
  result.order_id = result.applied ? std::string(stored->Text(0, 0)) : order_id;
  if (result.applied && !result.order_id.empty()) {
    auto linked = co_await tx.Execute(kLinkOrder, result.order_id, subscription.id);
    if (!linked) co_return tl::unexpected(linked.error());
  }
  co_return result;
}

asio::awaitable<Result<Stored>> StoreInvoice(db::Transaction& tx, const stripe::Invoice& invoice,
                                             std::int64_t version, std::string order_hint) {
  if (!IsUuid(order_hint)) order_hint.clear();
  auto stored = co_await tx.Execute(
      kStoreInvoice, invoice.id, invoice.customer, invoice.subscription, invoice.number,
      invoice.status, invoice.billing_reason, invoice.currency,
      static_cast<long long>(invoice.subtotal), static_cast<long long>(invoice.tax),
      static_cast<long long>(invoice.total), static_cast<long long>(invoice.amount_due),
      static_cast<long long>(invoice.amount_paid), invoice.attempt_count,
      Time(invoice.period_start), Time(invoice.period_end), invoice.hosted_invoice_url,
      invoice.invoice_pdf, static_cast<long long>(invoice.created.value_or(0)),
      static_cast<long long>(version), order_hint);
  if (!stored) co_return tl::unexpected(stored.error());
  Stored result;
  result.applied = !stored->empty();
  result.order_id = result.applied ? std::string(stored->Text(0, 0)) : order_hint;
  co_return result;
}

}  // namespace codezero::billing
