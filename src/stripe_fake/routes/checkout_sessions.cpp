// /v1/checkout/sessions: create, retrieve, list, expire, list line items.
#include "stripe_fake/checkout.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

const std::vector<ParamSpec>& SessionCreateSpecs() {
  static const std::vector<ParamSpec> specs{
      {"mode", ParamKind::kEnum, "payment|setup|subscription"},
      {"customer"},
      {"customer_email"},
      {"client_reference_id"},
      {"metadata", ParamKind::kMetadata},
      {"line_items.*.price"},
      {"line_items.*.quantity", ParamKind::kInteger},
      {"line_items.*.tax_rates", ParamKind::kStringList},
      {"line_items.*.price_data.currency"},
      {"line_items.*.price_data.unit_amount", ParamKind::kInteger},
      {"line_items.*.price_data.product"},
      {"line_items.*.price_data.product_data.name"},
      {"line_items.*.price_data.product_data.description"},
      {"line_items.*.price_data.product_data.metadata", ParamKind::kMetadata},
      {"line_items.*.price_data.recurring.interval", ParamKind::kEnum, "day|week|month|year"},
      {"line_items.*.price_data.tax_behavior", ParamKind::kEnum, "exclusive|inclusive|unspecified"},
      {"discounts.*.coupon"},
      {"success_url"},
      {"cancel_url"},
      {"locale"},
      {"expires_at", ParamKind::kInteger},
      {"subscription_data.metadata", ParamKind::kMetadata},
      {"payment_method_types", ParamKind::kStringList},
      {"billing_address_collection", ParamKind::kEnum, "auto|required"},
  };
  return specs;
}

}  // namespace

void AddCheckoutSessionRoutes(Api& api, Core& core) {
  api.Post("/v1/checkout/sessions", [&core](ApiCall& call) -> ApiResult {
    STRIPE_FAKE_CHECK(Validate(call.params, SessionCreateSpecs()));
    if (Str(call.params, "mode") == "setup") {
      return tl::unexpected(
          InvalidParam("mode", "The Stripe stand-in does not implement `setup` mode."));
    }
    for (const std::string& type : StrList(call.params, "payment_method_types")) {
      if (type != "card" && type != "sepa_debit") {
        return tl::unexpected(InvalidParam("payment_method_types",
                                           "Invalid payment_method_types[]: must be card or "
                                           "sepa_debit (the methods the stand-in implements)"));
      }
    }
    return CreateCheckoutSession(core, call.params);
  });
  api.Get("/v1/checkout/sessions/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* session = core.store.Find(call.Param("id"), "checkout.session");
    if (session == nullptr) return tl::unexpected(NoSuch("checkout.session", call.Param("id")));
    return *session;
  });
  api.Get("/v1/checkout/sessions", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs =
        ListParams({{"customer"},
                    {"payment_intent"},
                    {"subscription"},
                    {"status", ParamKind::kEnum, "open|complete|expired"}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    return ListOf(
        core, "checkout.session", call.params, "/v1/checkout/sessions",
        [&](const json::object& session) {
          for (const char* field : {"customer", "payment_intent", "subscription", "status"}) {
            const std::optional<std::string> wanted = Str(call.params, field);
            if (wanted && Text(session, field) != *wanted) return false;
          }
          return true;
        });
  });
  api.Post("/v1/checkout/sessions/{id}/expire", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    return ExpireCheckoutSession(core, call.Param("id"));
  });
  api.Get("/v1/checkout/sessions/{id}/line_items", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::string id = call.Param("id");
    if (core.store.Find(id, "checkout.session") == nullptr) {
      return tl::unexpected(NoSuch("checkout.session", id));
    }
    return Page(SessionLineItems(core, id), call.params,
                "/v1/checkout/sessions/" + id + "/line_items");
  });
}

}  // namespace codezero::stripe_fake
