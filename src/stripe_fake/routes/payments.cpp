// /v1/refunds (create, retrieve, list) and read access to what payments create:
// /v1/payment_intents/{id}, /v1/charges/{id}, /v1/payment_methods/{id}.
#include "stripe_fake/payments.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

void Retrieve(Api& api, Core& core, std::string pattern, std::string type, std::string name) {
  api.Get(pattern, [&core, type, name](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* object = core.store.Find(call.Param("id"), type);
    if (object == nullptr) return tl::unexpected(NoSuch(name, call.Param("id")));
    return *object;
  });
}

}  // namespace

void AddPaymentRoutes(Api& api, Core& core) {
  api.Post("/v1/refunds", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{
        {"charge"},
        {"payment_intent"},
        {"amount", ParamKind::kInteger},
        {"reason", ParamKind::kEnum, "duplicate|fraudulent|requested_by_customer"},
        {"metadata", ParamKind::kMetadata}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::int64_t amount = Int(call.params, "amount").value_or(0);
    if (call.params.contains("amount") && amount <= 0) {
      return tl::unexpected(
          InvalidParam("amount", "This value must be greater than or equal to 1."));
    }
    return CreateRefund(core, Str(call.params, "charge").value_or(""),
                        Str(call.params, "payment_intent").value_or(""), amount,
                        Str(call.params, "reason").value_or(""), At(call.params, "metadata"));
  });
  Retrieve(api, core, "/v1/refunds/{id}", "refund", "refund");
  api.Get("/v1/refunds", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({{"charge"}, {"payment_intent"}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> charge = Str(call.params, "charge");
    const std::optional<std::string> intent = Str(call.params, "payment_intent");
    return ListOf(core, "refund", call.params, "/v1/refunds", [&](const json::object& refund) {
      if (charge && Text(refund, "charge") != *charge) return false;
      return !intent || Text(refund, "payment_intent") == *intent;
    });
  });
  Retrieve(api, core, "/v1/payment_intents/{id}", "payment_intent", "payment_intent");
  Retrieve(api, core, "/v1/charges/{id}", "charge", "charge");
  Retrieve(api, core, "/v1/payment_methods/{id}", "payment_method", "PaymentMethod");
}

}  // namespace codezero::stripe_fake
