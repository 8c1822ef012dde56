// /v1/tax_rates: create, retrieve, update, list. Exclusive rates only.
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

ApiResult CreateTaxRate(Core& core, ApiCall& call) {
  static const std::vector<ParamSpec> specs{{"display_name"},
                                            {"percentage", ParamKind::kDecimal},
                                            {"inclusive", ParamKind::kBoolean},
                                            {"country"},
                                            {"state"},
                                            {"jurisdiction"},
                                            {"description"},
                                            {"active", ParamKind::kBoolean},
                                            {"tax_type"},
                                            {"metadata", ParamKind::kMetadata}};
  STRIPE_FAKE_CHECK(Validate(call.params, specs));
  const std::optional<std::string> name = Str(call.params, "display_name");
  if (!name) return tl::unexpected(ParameterMissing("display_name"));
  const std::optional<std::string> percentage = Str(call.params, "percentage");
  if (!percentage) return tl::unexpected(ParameterMissing("percentage"));
  const std::optional<bool> inclusive = Bool(call.params, "inclusive");
  if (!inclusive) return tl::unexpected(ParameterMissing("inclusive"));
  if (*inclusive) {
    return tl::unexpected(InvalidParam(
        "inclusive", "The Stripe stand-in supports exclusive tax rates only (inclusive=false)."));
  }
  const std::int64_t basis_points = *ParseBasisPoints(*percentage);
  if (basis_points > 10'000) {
    return tl::unexpected(
        InvalidParam("percentage", "This value must be less than or equal to 100."));
  }
  const std::int64_t now = WallSeconds();
  json::object rate;
  const std::string id = NewId("txr_");
  rate["id"] = id;
  rate["object"] = "tax_rate";
  rate["active"] = Bool(call.params, "active").value_or(true);
  rate["country"] = OrNull(Str(call.params, "country").value_or(""));
  rate["created"] = now;
  rate["description"] = OrNull(Str(call.params, "description").value_or(""));
  rate["display_name"] = *name;
  rate["effective_percentage"] = PercentValue(basis_points);
  rate["inclusive"] = false;
  rate["jurisdiction"] = OrNull(Str(call.params, "jurisdiction").value_or(""));
  rate["jurisdiction_level"] = nullptr;
  rate["livemode"] = false;
  json::object metadata;
  ApplyMetadata(metadata, At(call.params, "metadata"));
  rate["metadata"] = std::move(metadata);
  rate["percentage"] = PercentValue(basis_points);
  rate["state"] = OrNull(Str(call.params, "state").value_or(""));
  rate["tax_type"] = OrNull(Str(call.params, "tax_type").value_or(""));
  json::object& stored = core.store.Insert("tax_rate", std::move(rate));
  core.store.Private(id)["basis_points"] = basis_points;
  core.events.Emit("tax_rate.created", stored, now);
  return stored;
}

}  // namespace

void AddTaxRateRoutes(Api& api, Core& core) {
  api.Post("/v1/tax_rates", [&core](ApiCall& call) { return CreateTaxRate(core, call); });
  api.Get("/v1/tax_rates/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* rate = core.store.Find(call.Param("id"), "tax_rate");
    if (rate == nullptr) return tl::unexpected(NoSuch("tax_rate", call.Param("id")));
    return *rate;
  });
  api.Post("/v1/tax_rates/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{{"display_name"},
                                              {"description"},
                                              {"jurisdiction"},
                                              {"active", ParamKind::kBoolean},
                                              {"metadata", ParamKind::kMetadata}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    json::object* rate = core.store.Find(call.Param("id"), "tax_rate");
    if (rate == nullptr) return tl::unexpected(NoSuch("tax_rate", call.Param("id")));
    const json::object before = *rate;
    for (const char* field : {"display_name", "description", "jurisdiction"}) {
      if (const std::optional<std::string> text = Str(call.params, field)) (*rate)[field] = *text;
    }
    if (const std::optional<bool> active = Bool(call.params, "active")) (*rate)["active"] = *active;
    ApplyMetadata(rate->at("metadata").as_object(), At(call.params, "metadata"));
    core.events.EmitUpdated("tax_rate.updated", before, *rate, WallSeconds());
    return *rate;
  });
  api.Get("/v1/tax_rates", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs =
        ListParams({{"active", ParamKind::kBoolean}, {"inclusive", ParamKind::kBoolean}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<bool> active = Bool(call.params, "active");
    const std::optional<bool> inclusive = Bool(call.params, "inclusive");
    return ListOf(core, "tax_rate", call.params, "/v1/tax_rates", [&](const json::object& rate) {
      if (active && rate.at("active").as_bool() != *active) return false;
      return !inclusive || rate.at("inclusive").as_bool() == *inclusive;
    });
  });
}

}  // namespace codezero::stripe_fake
