// An invoice's hosted page (hosted_invoice_url) and its PDF (invoice_pdf).
#include <boost/json/array.hpp>

#include "stripe_fake/html.h"
#include "stripe_fake/invoices.h"
#include "stripe_fake/pages/pages.h"
#include "stripe_fake/pdf.h"

namespace codezero::stripe_fake {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

std::string LanguageOfInvoice(Core& core, const json::object& invoice) {
  if (const json::object* customer = core.store.Find(Text(invoice, "customer"), "customer")) {
    const json::array& locales = customer->at("preferred_locales").as_array();
    if (!locales.empty()) return PageLanguage(locales.front().as_string());
  }
  return "en";
}

std::string StatusText(const std::string& status, const std::string& lang) {
  if (status == "paid") return std::string(Tr(lang, "bezahlt", "paid"));
  if (status == "open") return std::string(Tr(lang, "offen", "open"));
  if (status == "void") return std::string(Tr(lang, "storniert", "void"));
  if (status == "uncollectible") return std::string(Tr(lang, "uneinbringlich", "uncollectible"));
  return status;
}

struct InvoiceRow {
  std::string label;
  std::int64_t amount = 0;
};

// The lines and totals shared by the page and the PDF.
std::vector<InvoiceRow> TotalRows(Core& core, const json::object& invoice,
                                  const std::string& lang) {
  std::vector<InvoiceRow> rows;
  rows.push_back({std::string(Tr(lang, "Zwischensumme", "Subtotal")), Number(invoice, "subtotal")});
  for (const json::value& discount : invoice.at("total_discount_amounts").as_array()) {
    rows.push_back(
        {std::string(Tr(lang, "Rabatt", "Discount")), -Number(discount.as_object(), "amount")});
  }
  for (const json::value& tax : invoice.at("total_tax_amounts").as_array()) {
    const json::object* rate = core.store.Find(Text(tax.as_object(), "tax_rate"), "tax_rate");
    const std::string name = rate != nullptr ? Text(*rate, "display_name") + " " +
                                                   PercentLabel(rate->at("percentage")) + " %"
                                             : std::string(Tr(lang, "Steuer", "Tax"));
    rows.push_back({name, Number(tax.as_object(), "amount")});
  }
  rows.push_back({std::string(Tr(lang, "Gesamt", "Total")), Number(invoice, "total")});
  rows.push_back({std::string(Tr(lang, "Fällig", "Amount due")), Number(invoice, "amount_due")});
  rows.push_back({std::string(Tr(lang, "Bezahlt", "Amount paid")), Number(invoice, "amount_paid")});
  return rows;
}

std::string Title(const json::object& invoice, const std::string& lang) {
  const std::string number = Text(invoice, "number");
  return std::string(Tr(lang, "Rechnung ", "Invoice ")) +
         (number.empty() ? Text(invoice, "id") : number);
}

// The customer's tax IDs as Stripe prints them in the invoice's header: "GB VAT: GB980780684".
std::vector<std::string> CustomerTaxIds(const json::object& invoice) {
  std::vector<std::string> printed;
  const json::value* tax_ids = invoice.if_contains("customer_tax_ids");
  if (tax_ids == nullptr || !tax_ids->is_array()) return printed;
  for (const json::value& tax_id : tax_ids->as_array()) {
    std::string type = Text(tax_id.as_object(), "type");
    for (char& c : type) {
      if (c == '_') c = ' ';
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    printed.push_back(type + ": " + Text(tax_id.as_object(), "value"));
  }
  return printed;
}

// The seller's line: the account's name and its tax IDs ("Code Zero AI (test mode) · EU VAT:
// DE123456789"), as Stripe prints the invoice's `account_tax_ids` under the account's name.
std::string SellerLine(Core& core, const json::object& invoice) {
  std::string line = "Code Zero AI (test mode)";
  const json::value* tax_ids = invoice.if_contains("account_tax_ids");
  if (tax_ids == nullptr || !tax_ids->is_array()) return line;
  for (const json::value& id : tax_ids->as_array()) {
    if (!id.is_string()) continue;
    const json::object* tax_id = core.store.Find(id.as_string(), "tax_id");
    if (tax_id == nullptr) continue;
    std::string type = Text(*tax_id, "type");
    for (char& c : type) {
      if (c == '_') c = ' ';
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    line += " · " + type + ": " + Text(*tax_id, "value");
  }
  return line;
}

std::string CustomerTaxIdsHtml(const json::object& invoice) {
  std::string html;
  for (const std::string& tax_id : CustomerTaxIds(invoice)) html += "<br>" + Escape(tax_id);
  return html;
}

// `text` in lines of at most about `width` bytes, broken at spaces (the PDF does not wrap).
std::vector<std::string> Wrapped(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

// What Stripe prints below the totals: "Reverse charge" for a customer taxed in reverse, then
// the invoice's footer.
std::vector<std::string> Notes(const json::object& invoice, const std::string& lang) {
  std::vector<std::string> notes;
  if (Text(invoice, "customer_tax_exempt") == "reverse") {
    notes.emplace_back(Tr(lang, "Steuerschuldnerschaft des Leistungsempfängers", "Reverse charge"));
  }
  if (const std::string footer = Text(invoice, "footer"); !footer.empty()) {
    notes.push_back(footer);
  }
  return notes;
}

std::string RenderInvoicePage(Core& core, const json::object& invoice) {
  const std::string lang = LanguageOfInvoice(core, invoice);
  std::string body =
      "<p class=\"test\">" + Escape(SellerLine(core, invoice)) + "</p><h1>" +
      Escape(Title(invoice, lang)) + "</h1><p>" + std::string(Tr(lang, "Status: ", "Status: ")) +
      Escape(StatusText(Text(invoice, "status"), lang)) + "<br>" +
      std::string(Tr(lang, "Datum: ", "Date: ")) + FormatDate(Number(invoice, "created"), lang) +
      "<br>" + Escape(Text(invoice, "customer_name")) + " " +
      Escape(Text(invoice, "customer_email")) + CustomerTaxIdsHtml(invoice) + "</p>\n" +
      "<table><tbody>\n";
  for (const json::value& value : InvoiceLines(core, Text(invoice, "id"))) {
    const json::object& line = value.as_object();
    const json::object& period = line.at("period").as_object();
    body += "<tr><td>" + Escape(Text(line, "description")) + "<br><small>" +
            FormatDate(Number(period, "start"), lang) + " – " +
            FormatDate(Number(period, "end"), lang) + "</small></td><td class=\"amount\">" +
            FormatMoney(Number(line, "amount"), lang) + "</td></tr>\n";
  }
  body += "</tbody><tbody>";
  const std::vector<InvoiceRow> rows = TotalRows(core, invoice, lang);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    body += std::string(i == rows.size() - 3 ? "<tr class=\"total\">" : "<tr>") + "<td>" +
            Escape(rows[i].label) + "</td><td class=\"amount\">" +
            FormatMoney(rows[i].amount, lang) + "</td></tr>\n";
  }
  body += "</tbody></table>";
  for (const std::string& note : Notes(invoice, lang)) body += "<p>" + Escape(note) + "</p>";
  if (invoice.at("invoice_pdf").is_string()) {
    body += "<p><a href=\"" + Escape(Text(invoice, "invoice_pdf")) + "\">" +
            std::string(Tr(lang, "Rechnung als PDF", "Download PDF")) + "</a></p>";
  }
  return Layout(lang, Title(invoice, lang), body);
}

std::string RenderInvoicePdf(Core& core, const json::object& invoice) {
  const std::string lang = LanguageOfInvoice(core, invoice);
  std::vector<PdfLine> lines;
  lines.push_back({SellerLine(core, invoice), 9});
  lines.push_back({Title(invoice, lang), 18, true});
  lines.push_back({std::string(Tr(lang, "Status: ", "Status: ")) +
                       StatusText(Text(invoice, "status"), lang) + "    " +
                       std::string(Tr(lang, "Datum: ", "Date: ")) +
                       FormatDate(Number(invoice, "created"), lang),
                   10});
  lines.push_back({Text(invoice, "customer_name") + " " + Text(invoice, "customer_email"), 10});
  for (const std::string& tax_id : CustomerTaxIds(invoice)) lines.push_back({tax_id, 10});
  lines.push_back({"", 10});
  for (const json::value& value : InvoiceLines(core, Text(invoice, "id"))) {
    const json::object& line = value.as_object();
    const json::object& period = line.at("period").as_object();
    lines.push_back({Text(line, "description"), 10});
    lines.push_back({FormatDate(Number(period, "start"), lang) + " – " +
                         FormatDate(Number(period, "end"), lang) + "    " +
                         FormatMoney(Number(line, "amount"), lang),
                     9, false, 20});
  }
  lines.push_back({"", 10});
  for (const InvoiceRow& row : TotalRows(core, invoice, lang)) {
    lines.push_back({row.label + ": " + FormatMoney(row.amount, lang), 11,
                     row.label == "Total" || row.label == "Gesamt"});
  }
  for (const std::string& note : Notes(invoice, lang)) {
    lines.push_back({"", 10});
    for (std::string& part : Wrapped(note, 100)) lines.push_back({std::move(part), 9});
  }
  return RenderPdf(lines, Title(invoice, lang));
}

}  // namespace

void AddInvoicePages(http::Router& router, Core& core) {
  router.Get("/i/{id}",
             [&core](http::Request& request,
                     http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
               const json::object* invoice = core.store.Find(context.Param("id"), "invoice");
               if (invoice == nullptr || Text(*invoice, "status") == "draft") {
                 co_return HtmlResponse(http::Status::not_found,
                                        Layout("en", "Not found", "<h1>No such invoice</h1>"),
                                        request.version());
               }
               co_return HtmlResponse(http::Status::ok, RenderInvoicePage(core, *invoice),
                                      request.version());
             });
  router.Get("/i/{id}/pdf",
             [&core](http::Request& request,
                     http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
               const json::object* invoice = core.store.Find(context.Param("id"), "invoice");
               if (invoice == nullptr || Text(*invoice, "status") == "draft") {
                 co_return HtmlResponse(http::Status::not_found,
                                        Layout("en", "Not found", "<h1>No such invoice</h1>"),
                                        request.version());
               }
               http::Response response(http::Status::ok, request.version());
               response.set(http::Field::content_type, "application/pdf");
               response.set(http::Field::content_disposition,
                            "inline; filename=\"" + Text(*invoice, "number") + ".pdf\"");
               response.body() = RenderInvoicePdf(core, *invoice);
               response.prepare_payload();
               co_return response;
             });
}

}  // namespace codezero::stripe_fake
