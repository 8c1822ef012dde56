// /v1/coupons: create (optional custom id), retrieve, delete, list.
#include <boost/json/array.hpp>

#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

ApiResult CreateCoupon(Core& core, ApiCall& call) {
  static const std::vector<ParamSpec> specs{
      {"id"},
      {"percent_off", ParamKind::kDecimal},
      {"amount_off", ParamKind::kInteger},
      {"currency"},
      {"duration", ParamKind::kEnum, "forever|once|repeating"},
      {"duration_in_months", ParamKind::kInteger},
      {"applies_to.products", ParamKind::kStringList},
      {"max_redemptions", ParamKind::kInteger},
      {"redeem_by", ParamKind::kInteger},
      {"name"},
      {"metadata", ParamKind::kMetadata}};
  STRIPE_FAKE_CHECK(Validate(call.params, specs));
  const std::optional<std::string> percent = Str(call.params, "percent_off");
  const std::optional<std::int64_t> amount_off = Int(call.params, "amount_off");
  if (!percent && !amount_off) {
    return tl::unexpected(
        InvalidParam("percent_off", "You must pass either `percent_off` or `amount_off`."));
  }
  if (percent && amount_off) {
    return tl::unexpected(InvalidParam(
        "amount_off", "You may only specify one of these parameters: amount_off, percent_off."));
  }
  if (amount_off && !Str(call.params, "currency")) {
    return tl::unexpected(ParameterMissing("currency"));
  }
  std::int64_t basis_points = 0;
  if (percent) {
    basis_points = *ParseBasisPoints(*percent);
    if (basis_points <= 0 || basis_points > 10'000) {
      return tl::unexpected(InvalidParam(
          "percent_off", "Invalid percent_off: must be greater than 0 and at most 100."));
    }
  }
  const std::string duration = Str(call.params, "duration").value_or("once");
  const std::optional<std::int64_t> months = Int(call.params, "duration_in_months");
  if (duration == "repeating" && !months) {
    return tl::unexpected(ParameterMissing("duration_in_months"));
  }
  std::string id = Str(call.params, "id").value_or("");
  if (!id.empty() && core.store.Find(id) != nullptr) {
    return tl::unexpected(AlreadyExists("Coupon"));
  }
  if (id.empty()) id = RandomAlphanumeric(8);
  const std::int64_t now = WallSeconds();
  json::object coupon;
  coupon["id"] = id;
  coupon["object"] = "coupon";
  coupon["amount_off"] = amount_off ? json::value(*amount_off) : json::value(nullptr);
  if (call.params.contains("applies_to")) {
    json::array products;
    for (const std::string& product : StrList(call.params, "applies_to.products")) {
      products.push_back(json::value(product));
    }
    json::object applies_to;
    applies_to["products"] = std::move(products);
    coupon["applies_to"] = std::move(applies_to);
  }
  coupon["created"] = now;
  coupon["currency"] = OrNull(Str(call.params, "currency").value_or(""));
  coupon["duration"] = duration;
  coupon["duration_in_months"] =
      duration == "repeating" ? json::value(*months) : json::value(nullptr);
  coupon["livemode"] = false;
  coupon["max_redemptions"] = Int(call.params, "max_redemptions")
                                  ? json::value(*Int(call.params, "max_redemptions"))
                                  : json::value(nullptr);
  json::object metadata;
  ApplyMetadata(metadata, At(call.params, "metadata"));
  coupon["metadata"] = std::move(metadata);
  coupon["name"] = OrNull(Str(call.params, "name").value_or(""));
  coupon["percent_off"] = percent ? PercentValue(basis_points) : json::value(nullptr);
  coupon["redeem_by"] = Int(call.params, "redeem_by") ? json::value(*Int(call.params, "redeem_by"))
                                                      : json::value(nullptr);
  coupon["times_redeemed"] = 0;
  coupon["valid"] = true;
  json::object& stored = core.store.Insert("coupon", std::move(coupon));
  core.store.Private(id)["percent_basis_points"] = basis_points;
  core.events.Emit("coupon.created", stored, now);
  return stored;
}

}  // namespace

void AddCouponRoutes(Api& api, Core& core) {
  api.Post("/v1/coupons", [&core](ApiCall& call) { return CreateCoupon(core, call); });
  api.Get("/v1/coupons/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* coupon = core.store.Find(call.Param("id"), "coupon");
    if (coupon == nullptr || core.store.Private(call.Param("id")).contains("deleted")) {
      return tl::unexpected(NoSuch("coupon", call.Param("id")));
    }
    return *coupon;
  });
  api.Delete("/v1/coupons/{id}", [&core](ApiCall& call) -> ApiResult {
    const std::string id = call.Param("id");
    json::object* coupon = core.store.Find(id, "coupon");
    if (coupon == nullptr || core.store.Private(id).contains("deleted")) {
      return tl::unexpected(NoSuch("coupon", id));
    }
    // Kept (hidden) so that discounts already granted with it go on working, as at Stripe.
    core.store.Private(id)["deleted"] = true;
    (*coupon)["valid"] = false;
    core.events.Emit("coupon.deleted", *coupon, WallSeconds());
    json::object deleted;
    deleted["id"] = id;
    deleted["object"] = "coupon";
    deleted["deleted"] = true;
    return deleted;
  });
  api.Get("/v1/coupons", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    return ListOf(core, "coupon", call.params, "/v1/coupons", [&core](const json::object& coupon) {
      return !core.store.Private(Text(coupon, "id")).contains("deleted");
    });
  });
}

}  // namespace codezero::stripe_fake
