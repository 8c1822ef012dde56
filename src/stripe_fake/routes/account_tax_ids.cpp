// /v1/tax_ids: the account's own tax IDs (https://docs.stripe.com/api/tax_ids, `owner[type]` =
// self): create, retrieve, list, delete. The seller's VAT ID, which German invoices must name
// (§14 (4) Nr. 2 UStG); `codezero stripe setup` creates it. Every invoice the stand-in issues
// names the account's tax IDs in `account_tax_ids`, as Stripe does for the IDs chosen as the
// invoice template's default in the Dashboard.
#include "stripe_fake/clock.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"
#include "stripe_fake/tax_ids.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

bool OwnedByAccount(const json::object& tax_id) {
  const auto* owner = tax_id.if_contains("owner");
  return owner != nullptr && owner->is_object() && Text(owner->as_object(), "type") == "self";
}

ApiResult CreateAccountTaxId(Core& core, ApiCall& call) {
  static const std::vector<ParamSpec> specs{
      {"type"}, {"value"}, {"owner.type", ParamKind::kEnum, "self|account|application|customer"}};
  STRIPE_FAKE_CHECK(Validate(call.params, specs));
  const std::string owner = Str(call.params, "owner.type").value_or("self");
  if (owner != "self") {
    return tl::unexpected(InvalidParam(
        "owner[type]", "The Stripe stand-in keeps the account's own tax IDs here (self)."));
  }
  const std::string type = Str(call.params, "type").value_or("");
  const std::string value = Str(call.params, "value").value_or("");
  if (type.empty()) return tl::unexpected(ParameterMissing("type"));
  if (value.empty()) return tl::unexpected(ParameterMissing("value"));
  if (auto refused = CheckTaxIdData("", type, value)) {
    refused->param = refused->param.substr(1, refused->param.size() - 2);  // "[type]" → "type"
    return tl::unexpected(std::move(*refused));
  }
  return core.store.Insert("tax_id", NewTaxIdObject("", type, value, WallSeconds()));
}

}  // namespace

void AddAccountTaxIdRoutes(Api& api, Core& core) {
  api.Post("/v1/tax_ids", [&core](ApiCall& call) { return CreateAccountTaxId(core, call); });
  api.Get("/v1/tax_ids/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* tax_id = core.store.Find(call.Param("id"), "tax_id");
    if (tax_id == nullptr || !OwnedByAccount(*tax_id)) {
      return tl::unexpected(NoSuch("tax_id", call.Param("id")));
    }
    return *tax_id;
  });
  api.Get("/v1/tax_ids", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs =
        ListParams({{"owner.type", ParamKind::kEnum, "self|account|application|customer"}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    return ListOf(core, "tax_id", call.params, "/v1/tax_ids", OwnedByAccount);
  });
  api.Delete("/v1/tax_ids/{id}", [&core](ApiCall& call) -> ApiResult {
    const std::string id = call.Param("id");
    const json::object* tax_id = core.store.Find(id, "tax_id");
    if (tax_id == nullptr || !OwnedByAccount(*tax_id)) return tl::unexpected(NoSuch("tax_id", id));
    core.store.Remove(id);
    json::object deleted;
    deleted["id"] = id;
    deleted["object"] = "tax_id";
    deleted["deleted"] = true;
    return deleted;
  });
}

}  // namespace codezero::stripe_fake
