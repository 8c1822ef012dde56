// The customer portal of a billing portal session: the customer's subscriptions with forms to
// cancel at period end, resume, change an item's quantity (with prorations) and replace the
// card, and their invoices, each only when the session's configuration enables it (portal.h). Each
// action does what the API call would (same objects, same events), then redirects back to the page
// (303).
#include <chrono>

#include <boost/json/array.hpp>

#include "stripe/form_encoding.h"
#include "stripe_fake/cards.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/html.h"
#include "stripe_fake/pages/pages.h"
#include "stripe_fake/params.h"
#include "stripe_fake/payments.h"
#include "stripe_fake/portal.h"
#include "stripe_fake/subscriptions.h"

namespace codezero::stripe_fake {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

std::string LanguageOfPortal(Core& core, const json::object& session) {
  const std::string locale = Text(session, "locale");
  if (!locale.empty() && locale != "auto") return PageLanguage(locale);
  if (const json::object* customer = core.store.Find(Text(session, "customer"), "customer")) {
    const json::array& locales = customer->at("preferred_locales").as_array();
    if (!locales.empty()) return PageLanguage(locales.front().as_string());
  }
  return "en";
}

std::string RenderPortal(Core& core, const json::object& session, const std::string& message,
                         bool error) {
  const std::string lang = LanguageOfPortal(core, session);
  const std::string customer_id = Text(session, "customer");
  const json::object* customer = core.store.Find(customer_id, "customer");
  const std::string action = "/p/session/" + Text(session, "id");
  const PortalFeatures features = FeaturesOfSession(core, session);
  std::string body = "<p class=\"test\">Code Zero AI (test mode)</p><h1>" +
                     std::string(Tr(lang, "Ihr Abonnement", "Your subscription")) + "</h1><p>" +
                     (customer != nullptr
                          ? Escape(Text(*customer, "name")) + " " + Escape(Text(*customer, "email"))
                          : "") +
                     "</p>\n";
  if (!message.empty()) {
    body += std::string(error ? "<div class=\"error\" role=\"alert\">" : "<div class=\"notice\">") +
            Escape(message) + "</div>\n";
  }
  for (const std::string& id : core.store.Ids("subscription")) {
    const json::object& subscription = *core.store.Find(id, "subscription");
    if (Text(subscription, "customer") != customer_id) continue;
    const std::string status = Text(subscription, "status");
    if (status == "canceled") continue;
    body += "<section><h2>" + std::string(Tr(lang, "Abonnement ", "Subscription ")) + Escape(id) +
            "</h2><p>Status: " + Escape(status) + "<br>" +
            std::string(Tr(lang, "Aktueller Zeitraum endet am ", "Current period ends ")) +
            FormatDate(Number(subscription, "current_period_end"), lang) + "</p>\n";
    const bool ending = subscription.at("cancel_at_period_end").as_bool();
    if (ending) {
      body += "<p class=\"notice\">" +
              std::string(
                  Tr(lang, "Endet zum Ende des Zeitraums.", "Cancels at the end of the period.")) +
              "</p>";
    }
    for (const json::value& value : subscription.at("items").as_object().at("data").as_array()) {
      if (!features.subscription_update) break;
      const json::object& item = value.as_object();
      const json::object& price = item.at("price").as_object();
      const json::object* product = core.store.Find(Text(price, "product"), "product");
      body += "<form method=\"post\" action=\"" + action +
              "\"><input type=\"hidden\" name=\"action\" value=\"quantity\">"
              "<input type=\"hidden\" name=\"subscription\" value=\"" +
              Escape(id) + "\"><input type=\"hidden\" name=\"item\" value=\"" +
              Escape(Text(item, "id")) + "\"><strong>" +
              Escape(product != nullptr ? Text(*product, "name") : Text(price, "product")) +
              "</strong> " + FormatMoney(Number(price, "unit_amount"), lang) + "<label>" +
              std::string(Tr(lang, "Menge", "Quantity")) +
              " <input name=\"quantity\" type=\"number\" min=\"1\" value=\"" +
              std::to_string(Number(item, "quantity", 1)) + "\"></label><button type=\"submit\">" +
              std::string(Tr(lang, "Menge ändern", "Update quantity")) + "</button></form>\n";
    }
    if (!features.subscription_cancel) {
      body += "</section>\n";
      continue;
    }
    body += "<form method=\"post\" action=\"" + action +
            "\"><input type=\"hidden\" name=\"action\" value=\"" +
            std::string(ending ? "resume" : "cancel") +
            "\"><input type=\"hidden\" name=\"subscription\" value=\"" + Escape(id) +
            "\"><button type=\"submit\">" +
            std::string(ending ? Tr(lang, "Abonnement fortsetzen", "Resume subscription")
                               : Tr(lang, "Zum Ende des Zeitraums kündigen",
                                    "Cancel at the end of the period")) +
            "</button></form></section>\n";
  }
  if (features.payment_method_update) {
    body += "<form method=\"post\" action=\"" + action + "\"><h2>" +
            std::string(Tr(lang, "Karte ersetzen", "Replace card")) +
            "</h2><input type=\"hidden\" name=\"action\" value=\"card\"><label>" +
            std::string(Tr(lang, "Kartennummer", "Card number")) +
            " <input name=\"card_number\" required></label><label>" +
            std::string(Tr(lang, "Gültig bis (MM/JJ)", "Expiry (MM/YY)")) +
            " <input name=\"exp\" required></label><label>CVC <input name=\"cvc\" required></label>"
            "<label>Name <input name=\"name\"></label><button type=\"submit\">" +
            std::string(Tr(lang, "Karte speichern", "Save card")) + "</button></form>\n";
  }
  if (features.invoice_history) {
    body += "<h2>" + std::string(Tr(lang, "Rechnungen", "Invoices")) + "</h2><ul>";
  }
  const std::vector<std::string>& invoices = core.store.Ids("invoice");
  for (auto it = invoices.rbegin(); features.invoice_history && it != invoices.rend(); ++it) {
    const json::object& invoice = *core.store.Find(*it, "invoice");
    if (Text(invoice, "customer") != customer_id || Text(invoice, "status") == "draft") continue;
    body += "<li><a href=\"" + Escape(Text(invoice, "hosted_invoice_url")) + "\">" +
            Escape(Text(invoice, "number")) + "</a> " +
            FormatMoney(Number(invoice, "total"), lang) + " " + Escape(Text(invoice, "status")) +
            "</li>";
  }
  if (features.invoice_history) body += "</ul>";
  if (session.at("return_url").is_string()) {
    body += "<p><a href=\"" + Escape(Text(session, "return_url")) + "\">" +
            std::string(Tr(lang, "Zurück", "Return")) + "</a></p>";
  }
  return Layout(lang, Tr(lang, "Kundenportal", "Customer portal"), body);
}

// Performs one form action; returns the error to show, empty on success.
std::string Perform(Core& core, const json::object& session, const json::object& fields) {
  const std::string customer = Text(session, "customer");
  const std::string action = Str(fields, "action").value_or("");
  const std::string subscription_id = Str(fields, "subscription").value_or("");
  const PortalFeatures features = FeaturesOfSession(core, session);
  const bool offered =
      (action == "quantity" && features.subscription_update) ||
      ((action == "cancel" || action == "resume") && features.subscription_cancel) ||
      (action == "card" && features.payment_method_update);
  if (!offered) return "This portal does not offer that.";
  if (action == "cancel" || action == "resume" || action == "quantity") {
    const json::object* subscription = core.store.Find(subscription_id, "subscription");
    if (subscription == nullptr || Text(*subscription, "customer") != customer) {
      return "No such subscription.";
    }
    SubscriptionChange change;
    if (action == "cancel") change.cancel_at_period_end = true;
    if (action == "resume") change.cancel_at_period_end = false;
    if (action == "quantity") {
      const std::optional<std::int64_t> quantity = Int(fields, "quantity");
      if (!quantity || *quantity < 1) return "The quantity must be a whole number of at least 1.";
      ItemChange item;
      item.id = Str(fields, "item").value_or("");
      item.quantity = *quantity;
      change.items.push_back(std::move(item));
      change.proration_behavior = "create_prorations";
    }
    auto updated = UpdateSubscription(core, subscription_id, change);
    return updated ? "" : updated.error().message;
  }
  if (action == "card") {
    const auto today = std::chrono::year_month_day(
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
    const std::string expiry = Str(fields, "exp").value_or("");
    const CardCheck check = CheckCard(
        Str(fields, "card_number").value_or(""), expiry, Str(fields, "cvc").value_or(""),
        static_cast<int>(today.year()), static_cast<int>(static_cast<unsigned>(today.month())));
    if (!check.behaviour) return check.message;
    if (*check.behaviour == Behaviour::kGenericDecline ||
        *check.behaviour == Behaviour::kInsufficientFunds) {
      return *check.behaviour == Behaviour::kInsufficientFunds ? "Your card has insufficient funds."
                                                               : "Your card was declined.";
    }
    const std::int64_t now = NowForCustomer(core.store, customer);
    CardDetails card;
    card.number = check.number;
    const auto slash = expiry.find('/');
    card.exp_month = std::atoi(expiry.substr(0, slash).c_str());
    card.exp_year = std::atoi(expiry.substr(slash + 1).c_str());
    if (card.exp_year < 100) card.exp_year += 2000;
    card.name = Str(fields, "name").value_or("");
    const std::string method = CreateCardPaymentMethod(core, customer, card, *check.behaviour, now);
    json::object& customer_object = *core.store.Find(customer, "customer");
    const json::object before = customer_object;
    customer_object.at("invoice_settings").as_object()["default_payment_method"] = method;
    core.events.EmitUpdated("customer.updated", before, customer_object, now);
    std::vector<std::string> subscriptions;
    for (const std::string& id : core.store.Ids("subscription")) {
      const json::object& subscription = *core.store.Find(id, "subscription");
      if (Text(subscription, "customer") == customer &&
          Text(subscription, "status") != "canceled") {
        subscriptions.push_back(id);
      }
    }
    for (const std::string& id : subscriptions) {
      SubscriptionChange change;
      change.default_payment_method = method;
      (void)UpdateSubscription(core, id, change);
      // A new card pays what is overdue, as Stripe's portal does.
      RetryOpenInvoices(core, id);
    }
    return "";
  }
  return "Unknown action.";
}

}  // namespace

void AddPortalPage(http::Router& router, Core& core) {
  router.Get("/p/session/{id}",
             [&core](http::Request& request,
                     http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
               const json::object* session =
                   core.store.Find(context.Param("id"), "billing_portal.session");
               if (session == nullptr) {
                 co_return HtmlResponse(
                     http::Status::not_found,
                     Layout("en", "Not found", "<h1>No such portal session</h1>"),
                     request.version());
               }
               const std::string done(context.query == "done=1" ? "Saved." : "");
               co_return HtmlResponse(http::Status::ok, RenderPortal(core, *session, done, false),
                                      request.version());
             });
  router.Post(
      "/p/session/{id}",
      [&core](http::Request& request,
              http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
        const std::string id(context.Param("id"));
        const json::object* session = core.store.Find(id, "billing_portal.session");
        if (session == nullptr) {
          co_return HtmlResponse(http::Status::not_found,
                                 Layout("en", "Not found", "<h1>No such portal session</h1>"),
                                 request.version());
        }
        auto fields = stripe::DecodeForm(request.body());
        if (!fields) {
          co_return HtmlResponse(http::Status::bad_request,
                                 Layout("en", "Bad request", "<h1>The form could not be read</h1>"),
                                 request.version());
        }
        const std::string error = Perform(core, *session, *fields);
        core.store.MarkDirty();
        if (!error.empty()) {
          co_return HtmlResponse(
              http::Status::unprocessable_entity,
              RenderPortal(core, *core.store.Find(id, "billing_portal.session"), error, true),
              request.version());
        }
        co_return RedirectResponse("/p/session/" + id + "?done=1", request.version());
      });
}

}  // namespace codezero::stripe_fake
