// /v1/billing_portal/sessions: create. The page it points to is pages/portal_page.cpp.
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {

namespace json = boost::json;

void AddBillingPortalRoutes(Api& api, Core& core) {
  api.Post("/v1/billing_portal/sessions", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{
        {"customer"}, {"return_url"}, {"locale"}, {"configuration"}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> customer = Str(call.params, "customer");
    if (!customer) return tl::unexpected(ParameterMissing("customer"));
    if (core.store.Find(*customer, "customer") == nullptr) {
      return tl::unexpected(NoSuch("customer", *customer, "customer"));
    }
    json::object session;
    const std::string id = NewId("bps_");
    session["id"] = id;
    session["object"] = "billing_portal.session";
    session["configuration"] = "bpc_" + RandomAlphanumeric(24);
    session["created"] = WallSeconds();
    session["customer"] = *customer;
    session["flow"] = nullptr;
    session["livemode"] = false;
    session["locale"] = OrNull(Str(call.params, "locale").value_or(""));
    session["on_behalf_of"] = nullptr;
    session["return_url"] = OrNull(Str(call.params, "return_url").value_or(""));
    session["url"] = core.public_url + "/p/session/" + id;
    return core.store.Insert("billing_portal.session", std::move(session));
  });
}

}  // namespace codezero::stripe_fake
