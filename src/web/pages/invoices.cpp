// The account's invoices (GET /v1/invoices): the list with links to Stripe's hosted page and PDF,
// one invoice with its lines and the tax per rate, and the owner's button to Stripe's billing
// portal (payment methods), a form post that ends there by redirect. Another company's invoice
// is the API's 404, and so the 404 page.
#include <boost/json/array.hpp>

#include "common/json_writer.h"
#include "common/uuid.h"
#include "http/query.h"
#include "web/api_client.h"
#include "web/formatting.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// "01.12.2026 – 31.12.2026": the service period (§ 14(4) no. 6 UStG asks for it).
std::string PeriodOf(const json::value& invoice, Locale locale) {
  const json::value& period = MemberAt(invoice, "period");
  const std::string start = DateAt(period, "start", locale);
  const std::string end = DateAt(period, "end", locale);
  if (start.empty() || end.empty() || start == end) return start.empty() ? end : start;
  return start + " – " + end;
}

// The fields both pages show of an invoice.
json::object SummaryOf(const json::value& invoice, Locale locale) {
  const std::string currency = StringAt(invoice, "currency");
  const std::string status = StringAt(invoice, "status");
  const std::string hosted = StringAt(invoice, "hosted_invoice_url");
  const std::string pdf = StringAt(invoice, "invoice_pdf");
  std::string issued = DateAt(invoice, "finalized_at", locale);
  if (issued.empty()) issued = DateAt(invoice, "created_at", locale);
  json::object view{
      {"id", StringAt(invoice, "id")},
      {"url", std::string(PathOf(Page::kInvoice, locale)) + StringAt(invoice, "id")},
      {"number", StringAt(invoice, "number")},
      {"date", issued},
      {"paid_on", DateAt(invoice, "paid_at", locale)},
      {"period", PeriodOf(invoice, locale)},
      {"net", Money(IntegerAt(invoice, "amount_net"), currency, locale)},
      {"tax", Money(IntegerAt(invoice, "amount_tax"), currency, locale)},
      {"total", Money(IntegerAt(invoice, "amount_total"), currency, locale)},
      {"due", Money(IntegerAt(invoice, "amount_due") - IntegerAt(invoice, "amount_paid"), currency,
                    locale)},
      {"open", status == "open"}};
  view["invoice_status_" + status] = true;
  if (hosted.starts_with("https://") || hosted.starts_with("http://")) view["hosted_url"] = hosted;
  if (pdf.starts_with("https://") || pdf.starts_with("http://")) view["pdf_url"] = pdf;
  return view;
}

asio::awaitable<Result<http::Response>> ShowInvoices(Site& site, Visitor& visitor,
                                                     http::Request& request,
                                                     http::RequestContext& context, Locale locale) {
  auto role = co_await RefreshRole(site, visitor, context.request_id);
  if (!role) co_return WhenFailed(site, role.error(), request, context, locale);
  auto invoices = co_await GetJson(site, visitor, "/v1/invoices?limit=100", context.request_id);
  if (!invoices) co_return WhenFailed(site, invoices.error(), request, context, locale);
  json::array rows;
  if (const json::value& data = MemberAt(*invoices, "data"); data.is_array()) {
    for (const json::value& invoice : data.as_array()) rows.push_back(SummaryOf(invoice, locale));
  }
  const std::string notice = http::QueryParameter(context.query, "portal").value_or("");
  json::object data{{"section_invoices", true},
                    {"has_invoices", !rows.empty()},
                    {"invoices", std::move(rows)},
                    {"more", invoices->is_object() && MemberAt(*invoices, "has_more") == true},
                    {"owner", visitor.session->owner()},
                    {"portal_url", PathOf(Page::kBillingPortal, locale)},
                    {"portal_none", notice == "none"}};
  PageMeta meta = AccountMeta(Page::kInvoices, locale);
  if (visitor.session->owner()) meta.forms.emplace_back("portal-form");
  co_return site.PrivatePage("invoices", std::move(data), std::move(meta), visitor, request);
}

asio::awaitable<Result<http::Response>> ShowInvoice(Site& site, Visitor& visitor,
                                                    http::Request& request,
                                                    http::RequestContext& context, Locale locale) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "no such invoice");
  auto invoice = co_await GetJson(site, visitor, "/v1/invoices/" + id, context.request_id);
  if (!invoice) co_return WhenFailed(site, invoice.error(), request, context, locale);
  const std::string currency = StringAt(*invoice, "currency");
  json::object view = SummaryOf(*invoice, locale);
  json::array lines;
  if (const json::value& entries = MemberAt(*invoice, "lines"); entries.is_array()) {
    for (const json::value& line : entries.as_array()) {
      const std::string name = site.ProductName(StringAt(line, "code"), locale);
      const std::int64_t quantity = IntegerAt(line, "quantity");
      json::object row{
          {"description", name.empty() ? StringAt(line, "description") : name},
          {"quantity", quantity},
          {"show_quantity", quantity > 1},
          {"proration", MemberAt(line, "proration") == true},
          {"period", PeriodOf(line, locale)},
          {"amount", Money(IntegerAt(line, "amount"), currency, locale)},
          {"rate", Percent(static_cast<int>(IntegerAt(line, "tax_rate_bps")), locale)}};
      lines.push_back(std::move(row));
    }
  }
  view["lines"] = std::move(lines);
  if (const std::int64_t discount = IntegerAt(*invoice, "amount_discount"); discount != 0) {
    view["discount"] = Money(discount, currency, locale);
  }
  json::array taxes;
  if (const json::value& entries = MemberAt(*invoice, "tax_amounts"); entries.is_array()) {
    for (const json::value& tax : entries.as_array()) {
      taxes.push_back(
          json::object{{"rate", Percent(static_cast<int>(IntegerAt(tax, "rate_bps")), locale)},
                       {"taxable", Money(IntegerAt(tax, "taxable_amount"), currency, locale)},
                       {"amount", Money(IntegerAt(tax, "amount"), currency, locale)}});
    }
  }
  view["taxes"] = std::move(taxes);
  json::object data{{"section_invoices", true}, {"invoice", std::move(view)}};
  co_return site.PrivatePage(
      "invoice", std::move(data),
      AccountMeta(Page::kInvoice, locale, std::string(PathOf(Page::kInvoice, locale)) + id),
      visitor, request);
}

// On to Stripe's billing portal for the company, back to the invoices afterwards. Only an
// address at WEB_BILLING_PORTAL_ORIGIN is followed (the CSP's form-action allows no other).
asio::awaitable<Result<http::Response>> OpenBillingPortal(Site& site, Visitor& visitor,
                                                          const FormPost& /*form*/,
                                                          http::Request& request,
                                                          http::RequestContext& context,
                                                          Locale locale) {
  const std::string invoices(PathOf(Page::kInvoices, locale));
  JsonWriter body(256);
  body.BeginObject();
  body.Member("return_url", site.AbsoluteUrl(invoices));
  body.EndObject();
  auto answer = co_await SendJson(site, visitor, http::Verb::post, "/v1/billing-portal/sessions",
                                  std::move(body).Take(), context.request_id);
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result() == http::Status::conflict) {
    co_return Site::SeeOther(invoices + "?portal=none", request.version());
  }
  if (answer->result_int() >= 300) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  const std::string url = StringAt(JsonBodyOf(*answer), "url");
  if (!url.starts_with(site.settings().billing_portal_origin + "/")) {
    co_return Fail(ErrorCode::kInternal, "billing portal url outside WEB_BILLING_PORTAL_ORIGIN");
  }
  co_return Site::SeeOther(url, request.version());
}

}  // namespace

void AddInvoiceRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kInvoices, locale), Audience::kSignedIn,
            ShowInvoices);
    AddPage(router, site, locale, std::string(PathOf(Page::kInvoice, locale)) + "{id}",
            Audience::kSignedIn, ShowInvoice);
    AddForm(router, site, locale, PathOf(Page::kBillingPortal, locale), Audience::kSignedIn,
            OpenBillingPortal);
  }
}

}  // namespace codezero::web
