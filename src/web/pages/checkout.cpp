// Ordering, from the configurator's "continue" (the quote token) to Stripe's payment page and
// back:
//   GET  /…/checkout?quote=…   the quote once more (every line, VAT and its note, total now, the
//                              recurring amount, minimum term, how to cancel), the billing
//                              address, the terms and, for consumers, the withdrawal notice with
//                              the express request to begin at once; one button, "Zahlungspflichtig
//                              bestellen" (§ 312j(3) BGB). Only the company's owner may order.
//   POST /…/checkout            checks the form, saves a changed address, asks the API for a
//                              Checkout Session (POST /v1/checkout/sessions) with an
//                              Idempotency-Key derived from the form, and redirects to Stripe.
//                              A double click sends the same key: one order, one session.
//   GET  /…/checkout/success?order=…   the order's progress until the workspace is ready
//                              (a meta refresh without JavaScript, a poll with it)
//   GET  /…/checkout/canceled?order=…  back to the configuration, or to the payment again
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>

#include "common/digest.h"
#include "common/json_writer.h"
#include "common/random.h"
#include "common/uuid.h"
#include "domain/money_format.h"
#include "http/query.h"
#include "web/configuration.h"
#include "web/configurator_view.h"
#include "web/form_feedback.h"
#include "web/form_post.h"
#include "web/formatting.h"
#include "web/legal_content.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::string_view kCheckoutForm = "checkout-form";
// How long the order may take at the API, which creates the payment session at Stripe.
constexpr std::chrono::seconds kCheckoutTimeout{30};

constexpr FieldMapping kAddressFields[] = {{"address.line1", "line1"},
                                           {"address.postal_code", "postal_code"},
                                           {"address.city", "city"},
                                           {"early_performance_requested", "early_start"}};

// The configurator's address of what a quote or an order is for.
std::string ConfigureUrl(Locale locale, Configuration configuration) {
  return std::string(PathOf(Page::kConfigurator, locale)) + "?" + ConfigurationQuery(configuration);
}

Configuration ConfigurationOfQuote(const QuoteView& quote) {
  Configuration configuration;
  configuration.interval = quote.interval;
  configuration.type = quote.customer_type;
  configuration.country = quote.customer_country;
  configuration.vat_id = quote.customer_vat_id;
  configuration.postal_code = quote.customer_postal_code;
  configuration.code = quote.discount_code;
  for (const QuoteLine& line : quote.lines) {
    if (line.plan) {
      configuration.plan = line.code;
    } else {
      configuration.addons.push_back({line.code, std::to_string(line.quantity)});
    }
  }
  return configuration;
}

Configuration ConfigurationOfOrder(const json::value& order) {
  Configuration configuration;
  configuration.plan = StringAt(order, "plan");
  configuration.interval = StringAt(order, "interval");
  const std::string type = StringAt(order, "customer_type");
  configuration.type = type.empty() ? "business" : type;
  const json::value& tax = MemberAt(order, "tax");
  configuration.country = StringAt(tax, "country");
  configuration.vat_id = StringAt(tax, "vat_id");
  if (const json::value& lines = MemberAt(order, "lines"); lines.is_array()) {
    for (const json::value& line : lines.as_array()) {
      if (StringAt(line, "kind") != "addon") continue;
      configuration.addons.push_back(
          {StringAt(line, "code"), std::to_string(IntegerAt(line, "quantity"))});
    }
  }
  return configuration;
}

// <a href="…">the page's title</a>, for a sentence of a translation.
std::string LinkTo(Page page, Locale locale) {
  return "<a href=\"" + std::string(PathOf(page, locale)) + "\">" +
         EscapeHtml(LegalTitle(page, locale)) + "</a>";
}

PageMeta CheckoutMeta(Locale locale) {
  PageMeta meta;
  meta.page = Page::kCheckout;
  meta.path = std::string(PathOf(Page::kCheckout, locale));
  meta.forms.emplace_back(kCheckoutForm);
  return meta;
}

// Everything the checkout page shows; `values` is what the form held (a re-render), if any,
// and `attempt` the form's attempt when the order's outcome is not known (the same key again:
// pressing the button once more cannot order twice), else "" for a new one.
asio::awaitable<Result<json::object>> CheckoutData(Site& site, Visitor& visitor, Locale locale,
                                                   std::string token, json::object values,
                                                   std::string attempt, std::string request_id) {
  auto quote = co_await site.api().ShowQuote(token, locale, request_id);
  if (!quote) co_return tl::unexpected(quote.error());
  auto role = co_await RefreshRole(site, visitor, request_id);
  if (!role) co_return tl::unexpected(role.error());
  auto company = co_await GetJson(site, visitor, "/v1/company", request_id);
  if (!company) co_return tl::unexpected(company.error());
  json::object address;
  if (values.contains("line1")) {
    address = values;
  } else if (const json::value& stored = MemberAt(*company, "address"); stored.is_object()) {
    address = stored.as_object();
  }
  json::object data{
      {"action", PathOf(Page::kCheckout, locale)},
      {"quote", BreakdownData(*quote, locale)},
      {"quote_token", token},
      {"attempt", attempt.empty() ? RandomToken(16) : std::move(attempt)},
      {"owner", visitor.session->owner()},
      {"consumer", quote->customer_type == "consumer"},
      {"company", json::object{{"name", StringAt(*company, "name")},
                               {"country", CountryName(StringAt(*company, "country"), locale)},
                               {"vat_id", StringAt(*company, "vat_id")}}},
      {"address", std::move(address)},
      {"values", std::move(values)},
      {"field", json::object()},
      {"configure_url", ConfigureUrl(locale, ConfigurationOfQuote(*quote))},
      {"terms_link", LinkTo(Page::kTerms, locale)},
      {"privacy_link", LinkTo(Page::kPrivacy, locale)},
  };
  co_return data;
}

asio::awaitable<Result<http::Response>> ShowCheckout(Site& site, Visitor& visitor,
                                                     http::Request& request,
                                                     http::RequestContext& context, Locale locale) {
  const std::string token = http::QueryParameter(context.query, "quote").value_or("");
  if (token.empty()) co_return Fail(ErrorCode::kNotFound, "no quote");
  json::object no_values;
  auto data = co_await CheckoutData(site, visitor, locale, token, std::move(no_values), "",
                                    context.request_id);
  if (!data) co_return WhenFailed(site, data.error(), request, context, locale);
  co_return site.PrivatePage("checkout", std::move(*data), CheckoutMeta(locale), visitor, request);
}

// One key per attempt: the page's random `attempt`, the user and the quote. The same form
// posted twice gives the same key, so the API creates one order.
std::string IdempotencyKey(const Site& site, const Session& session, const FormPost& form) {
  const Sha256Digest mac =
      HmacSha256(site.settings().secret, "checkout\n" + session.user_id + "\n" +
                                             form.Text("attempt") + "\n" + form.Text("quote"));
  return "web-" + ToHex(mac.data(), 16);
}

std::string CheckoutBody(const FormPost& form) {
  JsonWriter json(1024);
  json.BeginObject();
  json.Member("quote_token", form.Text("quote"));
  json.Member("terms_accepted", true);
  json.Member("early_performance_requested", form.Checked("early_start"));
  json.EndObject();
  return std::move(json).Take();
}

std::string AddressBody(const FormPost& form) {
  JsonWriter json(512);
  json.BeginObject();
  WriteAddress(form, json);
  json.EndObject();
  return std::move(json).Take();
}

asio::awaitable<Result<http::Response>> Order(Site& site, Visitor& visitor, const FormPost& form,
                                              http::Request& request, http::RequestContext& context,
                                              Locale locale) {
  const WebSettings& settings = site.settings();
  const std::string token = form.Text("quote");
  // The attempt makes the order's key: without it, a later order of the same quote would
  // replay this one.
  if (form.Text("attempt").size() < 16) {
    co_return Fail(ErrorCode::kBadRequest, "no attempt", "checkout form without attempt");
  }
  json::object values{{"line1", form.Text("line1")},
                      {"line2", form.Text("line2")},
                      {"postal_code", form.Text("postal_code")},
                      {"city", form.Text("city")},
                      {"terms", form.Checked("terms")},
                      {"early_start", form.Checked("early_start")}};
  // The page again, as filled in, with what is wrong; with the same attempt when the order's
  // outcome is unknown.
  const auto again = [&](json::object feedback, unsigned status,
                         bool unknown_outcome) -> asio::awaitable<Result<http::Response>> {
    // (Named first: GCC 12 mishandles a conditional's temporaries inside co_await.)
    std::string attempt = unknown_outcome ? form.Text("attempt") : std::string();
    auto data = co_await CheckoutData(site, visitor, locale, token, values, std::move(attempt),
                                      context.request_id);
    if (!data) co_return WhenFailed(site, data.error(), request, context, locale);
    Merge(*data, feedback);
    co_return site.PrivatePage("checkout", std::move(*data), CheckoutMeta(locale), visitor, request,
                               status);
  };

  auto quote = co_await site.api().ShowQuote(token, locale, context.request_id);
  if (!quote) co_return tl::unexpected(quote.error());
  const bool consumer = quote->customer_type == "consumer";
  if (!form.Checked("terms") || (consumer && !form.Checked("early_start"))) {
    json::object feedback = FeedbackFlag("refused");
    feedback["terms_required"] = !form.Checked("terms");
    feedback["early_start_required"] = consumer && !form.Checked("early_start");
    co_return co_await again(std::move(feedback), 422, false);
  }

  // A changed billing address is the company's new address.
  auto company = co_await GetJson(site, visitor, "/v1/company", context.request_id);
  if (!company) co_return WhenFailed(site, company.error(), request, context, locale);
  const json::value& stored = MemberAt(*company, "address");
  const bool changed = StringAt(stored, "line1") != form.Text("line1") ||
                       StringAt(stored, "line2") != form.Text("line2") ||
                       StringAt(stored, "postal_code") != form.Text("postal_code") ||
                       StringAt(stored, "city") != form.Text("city");
  if (changed) {
    auto saved = co_await SendJson(site, visitor, http::Verb::patch, "/v1/company",
                                   AddressBody(form), context.request_id);
    if (!saved) co_return WhenFailed(site, saved.error(), request, context, locale);
    if (saved->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*saved));
    if (saved->result_int() >= 300) {
      json::object feedback = FeedbackOf(*saved, kAddressFields);
      co_return co_await again(std::move(feedback), 422, false);
    }
  }

  // The order. The same key while the first request still runs answers 409: wait for it. The
  // API may wait on Stripe, so this call gets longer than the usual timeout; when even that
  // passes, or the wait for a running request does, the outcome is unknown and the page comes
  // back with the same attempt.
  const std::string key = IdempotencyKey(site, *visitor.session, form);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int attempt = 0;; ++attempt) {
    ApiCall call;
    call.method = http::Verb::post;
    call.path = "/v1/checkout/sessions";
    call.body = CheckoutBody(form);
    call.request_id = context.request_id;
    call.idempotency_key = key;
    call.timeout = kCheckoutTimeout;
    auto answer = co_await site.CallApi(visitor, std::move(call));
    if (!answer && answer.error().code == ErrorCode::kUnavailable) {
      co_return co_await again(FeedbackFlag("unconfirmed"), 503, true);
    }
    if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
    if (answer->result() == http::Status::created) {
      const std::string url = StringAt(JsonBodyOf(*answer), "url");
      if (!url.starts_with(settings.payment_origin + "/")) {
        co_return Fail(ErrorCode::kInternal, "the payment page is elsewhere",
                       "checkout url outside WEB_PAYMENT_ORIGIN");
      }
      co_return Site::SeeOther(url, request.version());
    }
    if (answer->result() == http::Status::conflict && attempt < 20) {
      timer.expires_after(std::chrono::milliseconds(250));
      (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    const unsigned status = answer->result_int();
    if (status == 409 || status >= 500) {
      co_return co_await again(FeedbackFlag("unconfirmed"), 503, true);
    }
    json::object feedback = FeedbackOf(*answer, kAddressFields);
    co_return co_await again(std::move(feedback), status == 429 ? 429 : 422, status == 429);
  }
}

// The order's state as the success page shows it.
json::object StatusData(const Site& site, const json::value& order, Locale locale) {
  const std::string status = StringAt(order, "status");
  const bool awaiting = status == "awaiting_payment";
  const bool provisioning = status == "paid" || status == "provisioning";
  const bool active = status == "active";
  json::object data{{"awaiting_payment", awaiting},
                    {"provisioning", provisioning},
                    {"active", active},
                    {"failed", status == "payment_failed" || status == "expired"},
                    {"pending", awaiting || provisioning}};
  if (const json::value& workspace = MemberAt(order, "workspace");
      active && workspace.is_object()) {
    const json::value& rights = MemberAt(workspace, "entitlements");
    data["workspace"] = json::object{
        {"plan", site.PlanName(StringAt(workspace, "plan"), locale)},
        {"seats", IntegerAt(rights, "seats")},
        {"credits", domain::FormatNumber(IntegerAt(rights, "ai_credits_per_month"), locale)},
        {"licence_prefix", StringAt(workspace, "licence_prefix")}};
  }
  return data;
}

asio::awaitable<Result<http::Response>> ShowSuccess(Site& site, Visitor& visitor,
                                                    http::Request& request,
                                                    http::RequestContext& context, Locale locale) {
  const std::string id = http::QueryParameter(context.query, "order").value_or("");
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "no such order");
  auto order = co_await GetJson(site, visitor, "/v1/orders/" + id, context.request_id);
  if (!order) co_return WhenFailed(site, order.error(), request, context, locale);
  json::object data = StatusData(site, *order, locale);
  data["order_url"] = std::string(PathOf(Page::kOrder, locale)) + id;
  data["retry_url"] = ConfigureUrl(locale, ConfigurationOfOrder(*order));
  PageMeta meta;
  meta.page = Page::kCheckoutSuccess;
  meta.path = std::string(PathOf(Page::kCheckoutSuccess, locale));
  if (const json::value& pending = MemberAt(data, "pending");
      pending.is_bool() && pending.as_bool()) {
    meta.refresh_seconds = 3;
  }
  co_return site.PrivatePage("checkout_status", std::move(data), meta, visitor, request);
}

asio::awaitable<Result<http::Response>> ShowCanceled(Site& site, Visitor& visitor,
                                                     http::Request& request,
                                                     http::RequestContext& context, Locale locale) {
  const std::string id = http::QueryParameter(context.query, "order").value_or("");
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "no such order");
  auto order = co_await GetJson(site, visitor, "/v1/orders/" + id, context.request_id);
  if (!order) co_return WhenFailed(site, order.error(), request, context, locale);
  json::object data{{"configure_url", ConfigureUrl(locale, ConfigurationOfOrder(*order))}};
  if (StringAt(*order, "status") == "awaiting_payment") {
    const std::string url = StringAt(MemberAt(*order, "checkout"), "url");
    if (url.starts_with(site.settings().payment_origin + "/")) data["pay_url"] = url;
  }
  PageMeta meta;
  meta.page = Page::kCheckoutCanceled;
  meta.path = std::string(PathOf(Page::kCheckoutCanceled, locale));
  co_return site.PrivatePage("checkout_canceled", std::move(data), meta, visitor, request);
}

}  // namespace

void AddCheckoutRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kCheckout, locale), Audience::kSignedIn,
            ShowCheckout);
    AddForm(router, site, locale, PathOf(Page::kCheckout, locale), Audience::kSignedIn, Order);
    AddPage(router, site, locale, PathOf(Page::kCheckoutSuccess, locale), Audience::kSignedIn,
            ShowSuccess);
    AddPage(router, site, locale, PathOf(Page::kCheckoutCanceled, locale), Audience::kSignedIn,
            ShowCanceled);
  }
}

}  // namespace codezero::web
