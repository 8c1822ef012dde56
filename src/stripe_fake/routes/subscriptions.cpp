// /v1/subscriptions: retrieve, list, update (items, prorations, cancel_at_period_end,
// metadata), cancel (DELETE).
#include "stripe_fake/subscriptions.h"
#include "stripe_fake/catalog.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

ApiResult UpdateSubscription(Core& core, ApiCall& call) {
  static const std::vector<ParamSpec> specs{
      {"items.*.id"},
      {"items.*.price"},
      {"items.*.quantity", ParamKind::kInteger},
      {"items.*.deleted", ParamKind::kBoolean},
      {"items.*.tax_rates", ParamKind::kStringList},
      {"items.*.price_data.currency"},
      {"items.*.price_data.unit_amount", ParamKind::kInteger},
      {"items.*.price_data.product"},
      {"items.*.price_data.recurring.interval", ParamKind::kEnum, "day|week|month|year"},
      {"proration_behavior", ParamKind::kEnum, "always_invoice|create_prorations|none"},
      {"proration_date", ParamKind::kInteger},
      {"cancel_at_period_end", ParamKind::kBoolean},
      {"metadata", ParamKind::kMetadata},
      {"default_payment_method"},
  };
  STRIPE_FAKE_CHECK(Validate(call.params, specs));
  const std::string id = call.Param("id");
  const json::object* subscription = core.store.Find(id, "subscription");
  if (subscription == nullptr) return tl::unexpected(NoSuch("subscription", id));
  const std::int64_t now = NowForCustomer(core.store, Text(*subscription, "customer"));
  SubscriptionChange change;
  change.proration_behavior = Str(call.params, "proration_behavior").value_or("create_prorations");
  change.proration_date = Int(call.params, "proration_date");
  change.cancel_at_period_end = Bool(call.params, "cancel_at_period_end");
  change.metadata = At(call.params, "metadata");
  change.default_payment_method = Str(call.params, "default_payment_method").value_or("");
  if (!change.default_payment_method.empty() &&
      core.store.Find(change.default_payment_method, "payment_method") == nullptr) {
    return tl::unexpected(
        NoSuch("PaymentMethod", change.default_payment_method, "default_payment_method"));
  }
  const std::vector<const json::object*> items = Objects(call.params, "items");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json::object& item = *items[i];
    ItemChange item_change;
    item_change.id = Str(item, "id").value_or("");
    item_change.price = Str(item, "price").value_or("");
    item_change.quantity = Int(item, "quantity");
    item_change.deleted = Bool(item, "deleted").value_or(false);
    if (item.contains("tax_rates")) item_change.tax_rates = StrList(item, "tax_rates");
    if (const json::value* data = item.if_contains("price_data")) {
      json::object price_data = data->as_object();
      STRIPE_FAKE_TRY(
          item_change.price,
          CreatePrice(core, price_data, "items[" + std::to_string(i) + "][price_data]", now));
    }
    change.items.push_back(std::move(item_change));
  }
  STRIPE_FAKE_CHECK(UpdateSubscription(core, id, change));
  return *core.store.Find(id, "subscription");
}

}  // namespace

void AddSubscriptionRoutes(Api& api, Core& core) {
  api.Get("/v1/subscriptions/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* subscription = core.store.Find(call.Param("id"), "subscription");
    if (subscription == nullptr) return tl::unexpected(NoSuch("subscription", call.Param("id")));
    return *subscription;
  });
  api.Get("/v1/subscriptions", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams(
        {{"customer"},
         {"price"},
         {"test_clock"},
         {"status", ParamKind::kEnum,
          "active|all|canceled|ended|incomplete|incomplete_expired|past_due|paused|trialing|"
          "unpaid"}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> customer = Str(call.params, "customer");
    const std::optional<std::string> clock = Str(call.params, "test_clock");
    const std::optional<std::string> price = Str(call.params, "price");
    const std::string status = Str(call.params, "status").value_or("");
    return ListOf(core, "subscription", call.params, "/v1/subscriptions",
                  [&](const json::object& subscription) {
                    if (customer && Text(subscription, "customer") != *customer) return false;
                    if (clock && Text(subscription, "test_clock") != *clock) return false;
                    if (price) {
                      bool has = false;
                      for (const json::value& item :
                           subscription.at("items").as_object().at("data").as_array()) {
                        has = has || Text(item.at("price").as_object(), "id") == *price;
                      }
                      if (!has) return false;
                    }
                    const std::string current = Text(subscription, "status");
                    if (status.empty()) return current != "canceled";
                    if (status == "all") return true;
                    if (status == "ended") return current == "canceled";
                    return current == status;
                  });
  });
  api.Post("/v1/subscriptions/{id}",
           [&core](ApiCall& call) { return UpdateSubscription(core, call); });
  api.Delete("/v1/subscriptions/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{{"invoice_now", ParamKind::kBoolean},
                                              {"prorate", ParamKind::kBoolean},
                                              {"cancellation_details.comment"},
                                              {"cancellation_details.feedback"}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::string id = call.Param("id");
    STRIPE_FAKE_CHECK(CancelSubscription(core, id, Bool(call.params, "invoice_now").value_or(false),
                                         Bool(call.params, "prorate").value_or(false),
                                         "cancellation_requested"));
    json::object& subscription = *core.store.Find(id, "subscription");
    if (const std::optional<std::string> comment =
            Str(call.params, "cancellation_details.comment")) {
      subscription.at("cancellation_details").as_object()["comment"] = *comment;
    }
    return subscription;
  });
  api.Get("/v1/subscription_items/{id}", [&core](ApiCall& call) -> ApiResult {
    for (const std::string& id : core.store.Ids("subscription")) {
      const json::object& subscription = *core.store.Find(id, "subscription");
      for (const json::value& item : subscription.at("items").as_object().at("data").as_array()) {
        if (Text(item.as_object(), "id") == call.Param("id")) return item;
      }
    }
    return tl::unexpected(NoSuch("subscription_item", call.Param("id")));
  });
  api.Get("/v1/invoiceitems", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs =
        ListParams({{"customer"}, {"pending", ParamKind::kBoolean}, {"invoice"}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> customer = Str(call.params, "customer");
    const std::optional<bool> pending = Bool(call.params, "pending");
    const std::optional<std::string> invoice = Str(call.params, "invoice");
    return ListOf(core, "invoiceitem", call.params, "/v1/invoiceitems",
                  [&](const json::object& item) {
                    if (customer && Text(item, "customer") != *customer) return false;
                    if (pending && item.at("invoice").is_null() != *pending) return false;
                    return !invoice || Text(item, "invoice") == *invoice;
                  });
  });
}

}  // namespace codezero::stripe_fake
