#include "api/routes/invoices.h"

#include <memory>

#include "api/page_window.h"
#include "auth/bearer.h"
#include "common/uuid.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

// The members every invoice shows, list and detail alike (row `i` of invoices). A macro so
// that both statements stay string literals the database can prepare. The period is the
// service period of the lines (for a renewal, Stripe's own invoice period is the one before).
#define CODEZERO_INVOICE_SUMMARY                                                          \
  "'id', i.id, 'number', i.number, 'status', i.status, 'currency', i.currency, "          \
  "'created_at', iso8601(i.stripe_created), 'finalized_at', iso8601(i.finalized_at), "    \
  "'paid_at', iso8601(i.paid_at), 'due_date', iso8601(i.due_date), "                      \
  "'period', (SELECT json_build_object('start', iso8601(coalesce(min(l.period_start), "   \
  "  i.period_start)), 'end', iso8601(coalesce(max(l.period_end), i.period_end))) "       \
  "  FROM invoice_lines l WHERE l.invoice_id = i.stripe_id), "                            \
  "'amount_subtotal', i.subtotal, "                                                       \
  "'amount_net', coalesce(i.total_excluding_tax, i.total - i.tax), 'amount_tax', i.tax, " \
  "'amount_total', i.total, 'amount_due', i.amount_due, 'amount_paid', i.amount_paid, "   \
  "'hosted_invoice_url', i.hosted_invoice_url, 'invoice_pdf', i.invoice_pdf, "            \
  "'order_id', i.order_id"

constexpr db::Statement kInvoice{
    "invoices_one",
    "SELECT json_build_object(" CODEZERO_INVOICE_SUMMARY
    ", 'billing_reason', i.billing_reason, "
    "'amount_discount', i.subtotal - coalesce(i.total_excluding_tax, i.total - i.tax), "
    "'tax_amounts', i.tax_amounts, "
    "'lines', (SELECT coalesce(json_agg(json_build_object('code', nullif(l.code, ''), "
    "  'description', l.description, 'quantity', l.quantity, 'amount', l.amount, "
    "  'amount_discount', l.discount, 'amount_tax', l.tax, 'tax_rate_bps', l.tax_rate_bps, "
    "  'proration', l.proration, 'period', json_build_object('start', "
    "  iso8601(l.period_start), 'end', iso8601(l.period_end))) ORDER BY l.position), '[]') "
    "  FROM invoice_lines l WHERE l.invoice_id = i.stripe_id)"
    ")::text FROM invoices i "
    "WHERE i.id = $1::uuid AND i.company_id = $2::uuid AND i.status <> 'draft'"};

// A page of summaries and whether more follow (one row more than asked is read). Rows are
// numbered before the offset skips any: the page is those numbered up to offset + limit.
constexpr db::Statement kInvoices{
    "invoices_list",
    "SELECT coalesce(json_agg(json_build_object(" CODEZERO_INVOICE_SUMMARY
    ") ORDER BY n) FILTER (WHERE n <= $3::bigint + $2::bigint), '[]')::text, "
    "count(*) > $2::bigint "
    "FROM (SELECT *, row_number() OVER (ORDER BY stripe_created DESC, id DESC) AS n "
    "FROM invoices WHERE company_id = $1::uuid AND status <> 'draft' "
    "ORDER BY stripe_created DESC, id DESC LIMIT $2::bigint + 1 OFFSET $3::bigint) i"};

#undef CODEZERO_INVOICE_SUMMARY

asio::awaitable<Result<http::Response>> ShowInvoice(const InvoiceDependencies& deps,
                                                    http::Request& request,
                                                    http::RequestContext& context,
                                                    const auth::Principal& me) {
  const std::string invoice_id(context.Param("id"));
  if (!IsUuid(invoice_id)) co_return Fail(ErrorCode::kNotFound, "No such invoice.");
  auto invoice = co_await deps.database.Execute(kInvoice, invoice_id, me.company_id);
  if (!invoice) co_return tl::unexpected(invoice.error());
  if (invoice->empty()) co_return Fail(ErrorCode::kNotFound, "No such invoice.");
  co_return http::JsonTextResponse(http::Status::ok, std::string(invoice->Text(0, 0)),
                                   request.version());
}

asio::awaitable<Result<http::Response>> ListInvoices(const InvoiceDependencies& deps,
                                                     http::Request& request,
                                                     http::RequestContext& context,
                                                     const auth::Principal& me) {
  const auto window = PageWindowOf(context.query);
  if (!window) co_return tl::unexpected(window.error());
  auto page =
      co_await deps.database.Execute(kInvoices, me.company_id, window->limit, window->offset);
  if (!page) co_return tl::unexpected(page.error());
  std::string body = PageBody(*page);
  co_return http::JsonTextResponse(http::Status::ok, std::move(body), request.version());
}

}  // namespace

void AddInvoiceRoutes(RouteTable& routes, InvoiceDependencies dependencies) {
  auto deps = std::make_shared<const InvoiceDependencies>(dependencies);
  routes.Add(http::Verb::get, "/v1/invoices",
             {.operation = "listInvoices", .caller = Caller::kCompanyMember},
             Bound(deps, ListInvoices));
  routes.Add(http::Verb::get, "/v1/invoices/{id}",
             {.operation = "getInvoice", .caller = Caller::kCompanyMember},
             Bound(deps, ShowInvoice));
}

}  // namespace codezero::api
