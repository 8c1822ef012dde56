// The hosted payment page: the lines, discount, tax and total of a Checkout Session, a card
// form and (where allowed) a SEPA form. A declined card shows the page again with the reason
// (402); success redirects (303) to the success URL.
#include <boost/json/array.hpp>

#include "stripe/form_encoding.h"
#include "stripe_fake/checkout.h"
#include "stripe_fake/html.h"
#include "stripe_fake/pages/pages.h"
#include "stripe_fake/params.h"

namespace codezero::stripe_fake {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

std::string LanguageOf(Core& core, const json::object& session) {
  const std::string locale = Text(session, "locale");
  if (!locale.empty() && locale != "auto") return PageLanguage(locale);
  if (const json::object* customer = core.store.Find(Text(session, "customer"), "customer")) {
    const json::array& locales = customer->at("preferred_locales").as_array();
    if (!locales.empty()) return PageLanguage(locales.front().as_string());
  }
  return "en";
}

std::string RenderPage(Core& core, const json::object& session, const std::string& message) {
  const std::string lang = LanguageOf(core, session);
  const std::string id = Text(session, "id");
  const std::string status = Text(session, "status");
  std::string body = "<p class=\"test\">" +
                     std::string(Tr(lang, "Testmodus: Code Zero AI (Stripe-Ersatz)",
                                    "Test mode: Code Zero AI (Stripe stand-in)")) +
                     "</p><h1>" + std::string(Tr(lang, "Bezahlen", "Pay")) + "</h1>\n";
  if (!message.empty()) {
    body += "<div class=\"error\" role=\"alert\">" + Escape(message) + "</div>\n";
  }
  body += "<table><thead><tr><th>" + std::string(Tr(lang, "Position", "Item")) + "</th><th>" +
          std::string(Tr(lang, "Menge", "Qty")) + "</th><th class=\"amount\">" +
          std::string(Tr(lang, "Betrag", "Amount")) + "</th></tr></thead><tbody>\n";
  json::object tax_by_rate;
  for (const json::value& value : SessionLineItems(core, id)) {
    const json::object& item = value.as_object();
    const json::object& price = item.at("price").as_object();
    std::string description = Text(item, "description");
    if (price.at("recurring").is_object()) {
      description += Text(price.at("recurring").as_object(), "interval") == "year"
                         ? std::string(Tr(lang, " (jährlich)", " (yearly)"))
                         : std::string(Tr(lang, " (monatlich)", " (monthly)"));
    }
    body += "<tr><td>" + Escape(description) + "</td><td>" +
            std::to_string(Number(item, "quantity")) + "</td><td class=\"amount\">" +
            FormatMoney(Number(item, "amount_subtotal"), lang) + "</td></tr>\n";
    for (const json::value& tax : item.at("taxes").as_array()) {
      const json::object& rate = tax.at("rate").as_object();
      const std::string label =
          Text(rate, "display_name") + " " + PercentLabel(rate.at("percentage")) + " %";
      const std::int64_t sum = Number(tax_by_rate, label) + Number(tax.as_object(), "amount");
      tax_by_rate[label] = sum;
    }
  }
  const json::object& totals = session.at("total_details").as_object();
  body += "</tbody><tbody><tr><td colspan=\"2\">" +
          std::string(Tr(lang, "Zwischensumme", "Subtotal")) + "</td><td class=\"amount\">" +
          FormatMoney(Number(session, "amount_subtotal"), lang) + "</td></tr>\n";
  if (Number(totals, "amount_discount") != 0) {
    body += "<tr><td colspan=\"2\">" + std::string(Tr(lang, "Rabatt", "Discount")) +
            "</td><td class=\"amount\">" + FormatMoney(-Number(totals, "amount_discount"), lang) +
            "</td></tr>\n";
  }
  for (const auto& [label, amount] : tax_by_rate) {
    body += "<tr><td colspan=\"2\">" + Escape(label) + "</td><td class=\"amount\">" +
            FormatMoney(amount.to_number<std::int64_t>(), lang) + "</td></tr>\n";
  }
  body += "<tr class=\"total\"><td colspan=\"2\">" + std::string(Tr(lang, "Gesamt", "Total")) +
          "</td><td class=\"amount\">" + FormatMoney(Number(session, "amount_total"), lang) +
          "</td></tr></tbody></table>\n";

  if (status != "open") {
    body += "<p class=\"notice\">" +
            std::string(status == "complete" ? Tr(lang, "Diese Zahlung ist abgeschlossen.",
                                                  "This payment is complete.")
                                             : Tr(lang, "Diese Bezahlseite ist abgelaufen.",
                                                  "This payment page has expired.")) +
            "</p>";
    return Layout(lang, Tr(lang, "Bezahlen", "Pay"), body);
  }
  const std::string action = "/c/pay/" + id;
  const bool needs_email =
      Text(session, "customer").empty() && Text(session, "customer_email").empty();
  const std::string email_field =
      needs_email ? "<label>E-Mail <input name=\"email\" type=\"email\" required "
                    "autocomplete=\"email\"></label>"
                  : "";
  const std::string pay_label = std::string(Tr(lang, "Bezahlen: ", "Pay ")) +
                                FormatMoney(Number(session, "amount_total"), lang);
  bool sepa = false;
  for (const json::value& type : session.at("payment_method_types").as_array()) {
    sepa = sepa || type.as_string() == "sepa_debit";
  }
  bool card = false;
  for (const json::value& type : session.at("payment_method_types").as_array()) {
    card = card || type.as_string() == "card";
  }
  if (card) {
    body += "<form method=\"post\" action=\"" + action + "\"><h2>" +
            std::string(Tr(lang, "Karte", "Card")) +
            "</h2><input type=\"hidden\" name=\"method\" value=\"card\">" + email_field +
            "<label>" + std::string(Tr(lang, "Kartennummer", "Card number")) +
            " <input name=\"card_number\" inputmode=\"numeric\" autocomplete=\"cc-number\" "
            "placeholder=\"4242 4242 4242 4242\" required></label><label>" +
            std::string(Tr(lang, "Gültig bis (MM/JJ)", "Expiry (MM/YY)")) +
            " <input name=\"exp\" autocomplete=\"cc-exp\" placeholder=\"12/34\" required></label>"
            "<label>CVC <input name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" "
            "placeholder=\"123\" required></label><label>" +
            std::string(Tr(lang, "Name auf der Karte", "Name on card")) +
            " <input name=\"name\" autocomplete=\"cc-name\"></label><button type=\"submit\">" +
            Escape(pay_label) + "</button></form>\n";
  }
  if (sepa) {
    body += "<form method=\"post\" action=\"" + action + "\"><h2>" +
            std::string(Tr(lang, "SEPA-Lastschrift", "SEPA Direct Debit")) +
            "</h2><input type=\"hidden\" name=\"method\" value=\"sepa_debit\">" + email_field +
            "<label>IBAN <input name=\"iban\" placeholder=\"DE89 3704 0044 0532 0130 00\" "
            "required></label><label>" +
            std::string(Tr(lang, "Kontoinhaber", "Account holder")) +
            " <input name=\"name\" required></label><button type=\"submit\">" + Escape(pay_label) +
            "</button></form>\n";
  }
  body += "<p class=\"test\">" +
          std::string(Tr(lang,
                         "Testkarten: 4242 4242 4242 4242 (erfolgreich), "
                         "4000 0000 0000 0002 (abgelehnt), 4000 0000 0000 9995 (Deckung), "
                         "4000 0000 0000 0341 (Verlängerungen scheitern); IBAN "
                         "DE89370400440532013000 (erfolgreich), DE62370400440532013001 "
                         "(scheitert).",
                         "Test cards: 4242 4242 4242 4242 (succeeds), 4000 0000 0000 0002 "
                         "(declined), 4000 0000 0000 9995 (insufficient funds), "
                         "4000 0000 0000 0341 (renewals fail); IBAN DE89370400440532013000 "
                         "(succeeds), DE62370400440532013001 (fails).")) +
          "</p>";
  if (session.at("cancel_url").is_string()) {
    body += "<p><a href=\"" + Escape(Text(session, "cancel_url")) + "\">" +
            std::string(Tr(lang, "Abbrechen und zurück", "Cancel and go back")) + "</a></p>";
  }
  return Layout(lang, Tr(lang, "Bezahlen", "Pay"), body);
}

}  // namespace

void AddCheckoutPage(http::Router& router, Core& core) {
  router.Get(
      "/c/pay/{id}",
      [&core](http::Request& request,
              http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
        const json::object* session = core.store.Find(context.Param("id"), "checkout.session");
        if (session == nullptr) {
          co_return HtmlResponse(http::Status::not_found,
                                 Layout("en", "Not found", "<h1>No such checkout session</h1>"),
                                 request.version());
        }
        co_return HtmlResponse(http::Status::ok, RenderPage(core, *session, ""), request.version());
      });
  router.Post(
      "/c/pay/{id}",
      [&core](http::Request& request,
              http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
        const std::string id(context.Param("id"));
        if (core.store.Find(id, "checkout.session") == nullptr) {
          co_return HtmlResponse(http::Status::not_found,
                                 Layout("en", "Not found", "<h1>No such checkout session</h1>"),
                                 request.version());
        }
        auto fields = stripe::DecodeForm(request.body());
        if (!fields) {
          co_return HtmlResponse(http::Status::bad_request,
                                 Layout("en", "Bad request", "<h1>The form could not be read</h1>"),
                                 request.version());
        }
        PaymentForm form;
        form.method = Str(*fields, "method").value_or("card");
        form.card_number = Str(*fields, "card_number").value_or("");
        form.expiry = Str(*fields, "exp").value_or("");
        form.cvc = Str(*fields, "cvc").value_or("");
        form.name = Str(*fields, "name").value_or("");
        form.iban = Str(*fields, "iban").value_or("");
        form.email = Str(*fields, "email").value_or("");
        const PageOutcome outcome = PayCheckoutSession(core, id, form);
        core.store.MarkDirty();
        const json::object& session = *core.store.Find(id, "checkout.session");
        switch (outcome.kind) {
          case PageOutcome::Kind::kPaid:
          case PageOutcome::Kind::kProcessing:
            co_return RedirectResponse(outcome.redirect, request.version());
          case PageOutcome::Kind::kDeclined:
            co_return HtmlResponse(http::Status::payment_required,
                                   RenderPage(core, session, outcome.message), request.version());
          case PageOutcome::Kind::kInvalid:
            co_return HtmlResponse(http::Status::unprocessable_entity,
                                   RenderPage(core, session, outcome.message), request.version());
          case PageOutcome::Kind::kNotOpen:
            co_return HtmlResponse(http::Status::conflict,
                                   RenderPage(core, session, outcome.message), request.version());
        }
        co_return HtmlResponse(http::Status::internal_server_error, "", request.version());
      });
}

}  // namespace codezero::stripe_fake
