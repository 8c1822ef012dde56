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
    "  invoice_pdf, stripe_created, stripe_version, finalized_at, paid_at, due_date, "
    "  total_excluding_tax, tax_amounts) "
    "SELECT $1, o.company_id, o.id, $2, nullif($3, ''), nullif($4, ''), $5, nullif($6, ''), $7, "
    "  $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::bigint, $13::int, "
    "  to_timestamp($14::bigint), to_timestamp($15::bigint), nullif($16, ''), nullif($17, ''), "
    "  to_timestamp($18::bigint), $19::bigint, to_timestamp($21::bigint), "
    "  to_timestamp($22::bigint), to_timestamp($23::bigint), $24::bigint, $25::jsonb "
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
    "  finalized_at = EXCLUDED.finalized_at, paid_at = EXCLUDED.paid_at, "
    "  due_date = EXCLUDED.due_date, total_excluding_tax = EXCLUDED.total_excluding_tax, "
    "  tax_amounts = EXCLUDED.tax_amounts, stripe_version = EXCLUDED.stripe_version "
    "WHERE invoices.stripe_version <= EXCLUDED.stripe_version "
    "RETURNING coalesce(order_id::text, '')"};

// An invoice's lines, replaced as a whole with each newer version of it (two statements: in
// one, the insert would still see the rows the delete removes).
constexpr db::Statement kDeleteInvoiceLines{"billing_delete_invoice_lines",
                                            "DELETE FROM invoice_lines WHERE invoice_id = $1"};
constexpr db::Statement kInsertInvoiceLines{
    "billing_insert_invoice_lines",
    "INSERT INTO invoice_lines (invoice_id, position, stripe_id, code, description, quantity, "
    "  amount, discount, tax, tax_rate_bps, proration, period_start, period_end) "
    "SELECT $1, l.position, l.stripe_id, l.code, l.description, l.quantity, l.amount, "
    "  l.discount, l.tax, l.tax_rate_bps, l.proration, to_timestamp(l.period_start), "
    "  to_timestamp(l.period_end) "
    "FROM jsonb_to_recordset($2::jsonb) AS l(position int, stripe_id text, code text, "
    "  description text, quantity bigint, amount bigint, discount bigint, tax bigint, "
    "  tax_rate_bps int, proration boolean, period_start bigint, period_end bigint)"};

std::optional<long long> Time(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return std::nullopt;
  return static_cast<long long>(*seconds);
}

// The subscription's items as [{"code","quantity","product","interval"}], codes of our catalog
// (the interval as the item's price bills, which a change of interval moves).
std::string ItemsJson(const stripe::Subscription& subscription) {
  JsonWriter out(256);
  out.BeginArray();
  for (const stripe::SubscriptionItem& item : subscription.items) {
    out.BeginObject();
    out.Member("code", CatalogCodeOf(item.product));
    out.Member("product", item.product);
    out.Member("quantity", item.quantity);
    if (!item.interval.empty()) out.Member("interval", item.interval);
    out.EndObject();
  }
  out.EndArray();
  return std::move(out).Take();
}

void OptionalTime(JsonWriter& out, std::string_view name,
                  const std::optional<std::int64_t>& seconds) {
  out.Key(name);
  if (seconds) {
    out.Int(*seconds);
  } else {
    out.Null();
  }
}

std::string LinesJson(const stripe::Invoice& invoice) {
  JsonWriter out(256 * (invoice.lines.size() + 1));
  out.BeginArray();
  int position = 0;
  for (const stripe::InvoiceLine& line : invoice.lines) {
    out.BeginObject();
    out.Member("position", ++position);
    out.Member("stripe_id", line.id);
    out.Member("code", CatalogCodeOf(line.product));
    out.Member("description", line.description);
    out.Member("quantity", line.quantity);
    out.Member("amount", line.amount);
    out.Member("discount", line.discount);
    out.Member("tax", line.tax);
    out.Member("tax_rate_bps", line.tax_rate_bps);
    out.Member("proration", line.proration);
    OptionalTime(out, "period_start", line.period_start);
    OptionalTime(out, "period_end", line.period_end);
    out.EndObject();
  }
  out.EndArray();
  return std::move(out).Take();
}

std::string TaxAmountsJson(const stripe::Invoice& invoice) {
  JsonWriter out(128 * (invoice.taxes.size() + 1));
  out.BeginArray();
  for (const stripe::InvoiceTax& tax : invoice.taxes) {
    out.BeginObject();
    out.Member("rate_bps", tax.rate_bps);
    out.Member("taxable_amount", tax.taxable_amount);
    out.Member("amount", tax.amount);
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

asio::awaitable<Result<json::object>> FetchInvoice(stripe::Client& stripe, std::string id) {
  if (id.empty()) co_return Fail(ErrorCode::kNotFound, "no id to fetch");
  const std::string path = "/v1/invoices/" + id;
  stripe::FormFields expand{{"expand[]", "total_tax_amounts.tax_rate"}};
  auto fetched = co_await stripe.Get(path, std::move(expand));
  if (!fetched) {
    if (fetched.error().status == 404) {
      co_return Fail(ErrorCode::kNotFound, "no such object at Stripe", std::move(id));
    }
    co_return tl::unexpected(stripe::ToError(fetched.error()));
  }
  json::object invoice = std::move(*fetched);
  json::value* lines = invoice.if_contains("lines");
  if (lines == nullptr || !lines->is_object() || !stripe::BoolOf(lines->as_object(), "has_more")) {
    co_return invoice;
  }
  // More lines than the invoice carries (Stripe includes the first ten): read them all.
  stripe::FormFields no_filters;
  auto all = co_await ListAll(stripe, path + "/lines", std::move(no_filters), 10);
  if (!all) co_return tl::unexpected(all.error());
  if (!all->complete) co_return Fail(ErrorCode::kUnavailable, "invoice lines not all listed", id);
  json::array data;
  for (json::object& line : all->objects) data.emplace_back(std::move(line));
  lines->as_object()["data"] = std::move(data);
  lines->as_object()["has_more"] = false;
  co_return invoice;
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
      static_cast<long long>(version), order_hint, Time(invoice.finalized_at),
      Time(invoice.paid_at), Time(invoice.due_date),
      static_cast<long long>(invoice.total_excluding_tax), TaxAmountsJson(invoice));
  if (!stored) co_return tl::unexpected(stored.error());
  Stored result;
  result.applied = !stored->empty();
  result.order_id = result.applied ? std::string(stored->Text(0, 0)) : order_hint;
  if (result.applied && invoice.lines_complete) {
    auto gone = co_await tx.Execute(kDeleteInvoiceLines, invoice.id);
    if (!gone) co_return tl::unexpected(gone.error());
    auto lines = co_await tx.Execute(kInsertInvoiceLines, invoice.id, LinesJson(invoice));
    if (!lines) co_return tl::unexpected(lines.error());
  }
  co_return result;
}

}  // namespace codezero::billing
