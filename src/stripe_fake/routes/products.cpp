// /v1/products (create with an optional custom id, retrieve, update, list) and /v1/prices
// (create, retrieve, list).
#include "stripe_fake/catalog.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

}  // namespace

void AddProductRoutes(Api& api, Core& core) {
  api.Post("/v1/products", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{{"id"},
                                              {"name"},
                                              {"description"},
                                              {"active", ParamKind::kBoolean},
                                              {"metadata", ParamKind::kMetadata},
                                              {"tax_code"},
                                              {"url"}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> name = Str(call.params, "name");
    if (!name || name->empty()) return tl::unexpected(ParameterMissing("name"));
    const std::string id = Str(call.params, "id").value_or("");
    if (!id.empty() && core.store.Find(id) != nullptr) {
      return tl::unexpected(AlreadyExists("Product"));
    }
    json::object& product =
        CreateProduct(core, id, *name, At(call.params, "metadata"), WallSeconds());
    if (const std::optional<std::string> description = Str(call.params, "description")) {
      product["description"] = *description;
    }
    if (const std::optional<bool> active = Bool(call.params, "active")) product["active"] = *active;
    return product;
  });
  api.Get("/v1/products/{id}", [&core](ApiCall& call) -> ApiResult {
    STRIPE_FAKE_CHECK(Validate(call.params, {}));
    const json::object* product = core.store.Find(call.Param("id"), "product");
    if (product == nullptr) return tl::unexpected(NoSuch("product", call.Param("id")));
    return *product;
  });
  api.Post("/v1/products/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{{"name"},
                                              {"description"},
                                              {"active", ParamKind::kBoolean},
                                              {"metadata", ParamKind::kMetadata}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    json::object* product = core.store.Find(call.Param("id"), "product");
    if (product == nullptr) return tl::unexpected(NoSuch("product", call.Param("id")));
    const json::object before = *product;
    if (const std::optional<std::string> name = Str(call.params, "name"))
      (*product)["name"] = *name;
    if (const std::optional<std::string> text = Str(call.params, "description")) {
      (*product)["description"] = OrNull(*text);
    }
    if (const std::optional<bool> active = Bool(call.params, "active"))
      (*product)["active"] = *active;
    ApplyMetadata(product->at("metadata").as_object(), At(call.params, "metadata"));
    (*product)["updated"] = WallSeconds();
    core.events.EmitUpdated("product.updated", before, *product, WallSeconds());
    return *product;
  });
  api.Get("/v1/products", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({{"active", ParamKind::kBoolean}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<bool> active = Bool(call.params, "active");
    return ListOf(core, "product", call.params, "/v1/products", [&](const json::object& product) {
      return !active || product.at("active").as_bool() == *active;
    });
  });

  api.Post("/v1/prices", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{
        {"currency"},
        {"unit_amount", ParamKind::kInteger},
        {"product"},
        {"product_data.name"},
        {"product_data.metadata", ParamKind::kMetadata},
        {"recurring.interval", ParamKind::kEnum, "day|week|month|year"},
        {"metadata", ParamKind::kMetadata},
        {"nickname"},
        {"tax_behavior", ParamKind::kEnum, "exclusive|inclusive|unspecified"},
        {"active", ParamKind::kBoolean}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    STRIPE_FAKE_TRY(const std::string id, CreatePrice(core, call.params, "", WallSeconds()));
    json::object& price = *core.store.Find(id, "price");
    if (const std::optional<std::string> nickname = Str(call.params, "nickname")) {
      price["nickname"] = *nickname;
    }
    return price;
  });
  api.Get("/v1/prices/{id}", [&core](ApiCall& call) -> ApiResult {
    STRIPE_FAKE_CHECK(Validate(call.params, {}));
    const json::object* price = core.store.Find(call.Param("id"), "price");
    if (price == nullptr) return tl::unexpected(NoSuch("price", call.Param("id")));
    return *price;
  });
  api.Get("/v1/prices", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs =
        ListParams({{"product"}, {"active", ParamKind::kBoolean}, {"type"}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> product = Str(call.params, "product");
    const std::optional<std::string> type = Str(call.params, "type");
    return ListOf(core, "price", call.params, "/v1/prices", [&](const json::object& price) {
      if (product && Text(price, "product") != *product) return false;
      return !type || Text(price, "type") == *type;
    });
  });
}

}  // namespace codezero::stripe_fake
