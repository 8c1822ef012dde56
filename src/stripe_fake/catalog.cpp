#include "stripe_fake/catalog.h"

#include <boost/json/array.hpp>

#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/params.h"

namespace codezero::stripe_fake {

namespace json = boost::json;

json::object& CreateProduct(Core& core, std::string id, std::string name,
                            const json::value* metadata, std::int64_t now) {
  json::object product;
  product["id"] = id.empty() ? NewId("prod_") : id;
  product["object"] = "product";
  product["active"] = true;
  product["created"] = now;
  product["default_price"] = nullptr;
  product["description"] = nullptr;
  product["images"] = json::array();
  product["livemode"] = false;
  json::object meta;
  ApplyMetadata(meta, metadata);
  product["metadata"] = std::move(meta);
  product["name"] = name;
  product["tax_code"] = nullptr;
  product["type"] = "service";
  product["updated"] = now;
  product["url"] = nullptr;
  json::object& stored = core.store.Insert("product", std::move(product));
  core.events.Emit("product.created", stored, now);
  return stored;
}

Outcome<std::string> CreatePrice(Core& core, const json::object& params, const std::string& param,
                                 std::int64_t now) {
  const auto name = [&](std::string_view field) {
    return param.empty() ? std::string(field) : param + "[" + std::string(field) + "]";
  };
  const std::optional<std::string> currency = Str(params, "currency");
  if (!currency) return tl::unexpected(ParameterMissing(name("currency")));
  const std::optional<std::int64_t> unit_amount = Int(params, "unit_amount");
  if (!unit_amount) return tl::unexpected(ParameterMissing(name("unit_amount")));
  if (*unit_amount < 0) {
    return tl::unexpected(InvalidParam(name("unit_amount"),
                                       "This value must be greater than or "
                                       "equal to 0."));
  }
  std::string product_id = Str(params, "product").value_or("");
  if (product_id.empty()) {
    const std::optional<std::string> product_name = Str(params, "product_data.name");
    if (!product_name) return tl::unexpected(ParameterMissing(name("product")));
    product_id = Text(
        CreateProduct(core, "", *product_name, At(params, "product_data.metadata"), now), "id");
  } else if (core.store.Find(product_id, "product") == nullptr) {
    return tl::unexpected(NoSuch("product", product_id, name("product")));
  }
  json::object price;
  const std::string id = NewId("price_");
  price["id"] = id;
  price["object"] = "price";
  price["active"] = true;
  price["billing_scheme"] = "per_unit";
  price["created"] = now;
  std::string lower = *currency;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  price["currency"] = lower;
  price["custom_unit_amount"] = nullptr;
  price["livemode"] = false;
  price["lookup_key"] = nullptr;
  json::object meta;
  ApplyMetadata(meta, At(params, "metadata"));
  price["metadata"] = std::move(meta);
  price["nickname"] = nullptr;
  price["product"] = product_id;
  if (const std::optional<std::string> interval = Str(params, "recurring.interval")) {
    json::object recurring;
    recurring["aggregate_usage"] = nullptr;
    recurring["interval"] = *interval;
    recurring["interval_count"] = 1;
    recurring["meter"] = nullptr;
    recurring["trial_period_days"] = nullptr;
    recurring["usage_type"] = "licensed";
    price["recurring"] = std::move(recurring);
    price["type"] = "recurring";
  } else {
    price["recurring"] = nullptr;
    price["type"] = "one_time";
  }
  price["tax_behavior"] = Str(params, "tax_behavior").value_or("unspecified");
  price["tiers_mode"] = nullptr;
  price["transform_quantity"] = nullptr;
  price["unit_amount"] = *unit_amount;
  price["unit_amount_decimal"] = std::to_string(*unit_amount);
  json::object& stored = core.store.Insert("price", std::move(price));
  core.events.Emit("price.created", stored, now);
  return id;
}

std::int64_t TaxRateBasisPoints(Core& core, const std::string& tax_rate_id) {
  return Number(core.store.Private(tax_rate_id), "basis_points");
}

CouponTerms CouponTermsOf(Core& core, const std::string& coupon_id) {
  CouponTerms terms;
  const json::object* coupon = core.store.Find(coupon_id, "coupon");
  if (coupon == nullptr) return terms;
  terms.percent_basis_points = Number(core.store.Private(coupon_id), "percent_basis_points");
  terms.amount_off = Number(*coupon, "amount_off");
  return terms;
}

bool CouponAppliesTo(Core& core, const std::string& coupon_id, const std::string& product_id) {
  const json::object* coupon = core.store.Find(coupon_id, "coupon");
  if (coupon == nullptr) return false;
  const json::value* applies = At(*coupon, "applies_to.products");
  if (applies == nullptr || !applies->is_array()) return true;
  for (const json::value& product : applies->as_array()) {
    if (product.is_string() && product.as_string() == product_id) return true;
  }
  return false;
}

Outcome<void> CheckCouponRedeemable(Core& core, const std::string& coupon_id,
                                    const std::string& param) {
  const json::object* coupon = core.store.Find(coupon_id, "coupon");
  if (coupon == nullptr || core.store.Private(coupon_id).contains("deleted")) {
    return tl::unexpected(NoSuch("coupon", coupon_id, param));
  }
  const json::value* valid = coupon->if_contains("valid");
  const std::int64_t redeem_by = Number(*coupon, "redeem_by", 0);
  if ((valid != nullptr && valid->is_bool() && !valid->as_bool()) ||
      (redeem_by > 0 && redeem_by < WallSeconds())) {
    StripeError error = InvalidParam(param, "This coupon is no longer valid: '" + coupon_id + "'");
    error.code = "coupon_expired";
    return tl::unexpected(std::move(error));
  }
  return {};
}

json::object CreateDiscount(Core& core, const std::string& coupon_id, const std::string& customer,
                            const std::string& subscription, const std::string& checkout_session,
                            std::int64_t now) {
  json::object discount;
  discount["id"] = NewId("di_");
  discount["object"] = "discount";
  discount["checkout_session"] = OrNull(checkout_session);
  const json::object* coupon = core.store.Find(coupon_id, "coupon");
  discount["coupon"] = coupon != nullptr ? json::value(*coupon) : json::value(nullptr);
  discount["customer"] = OrNull(customer);
  discount["end"] = nullptr;
  discount["invoice"] = nullptr;
  discount["invoice_item"] = nullptr;
  discount["promotion_code"] = nullptr;
  discount["start"] = now;
  discount["subscription"] = OrNull(subscription);
  discount["subscription_item"] = nullptr;
  core.store.Insert("discount", discount);
  return discount;
}

}  // namespace codezero::stripe_fake
