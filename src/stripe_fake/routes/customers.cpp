// /v1/customers: create, retrieve, update, list, delete.
#include <boost/json/array.hpp>

#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"
#include "stripe_fake/subscriptions.h"
#include "stripe_fake/tax_ids.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

const std::vector<ParamSpec>& CustomerUpdateSpecs() {
  static const std::vector<ParamSpec> specs{
      {"name"},
      {"email"},
      {"description"},
      {"phone"},
      {"metadata", ParamKind::kMetadata},
      {"preferred_locales", ParamKind::kStringList},
      {"address", ParamKind::kUnset},
      {"address.city"},
      {"address.country"},
      {"address.line1"},
      {"address.line2"},
      {"address.postal_code"},
      {"address.state"},
      {"tax_exempt", ParamKind::kEnum, "none|exempt|reverse"},
      {"invoice_settings.default_payment_method"},
      {"invoice_settings.footer"},
      {"invoice_prefix"},
  };
  return specs;
}

std::vector<ParamSpec> CustomerCreateSpecs() {
  std::vector<ParamSpec> specs = CustomerUpdateSpecs();
  specs.push_back({"tax_id_data.*.type"});
  specs.push_back({"tax_id_data.*.value"});
  specs.push_back({"test_clock"});
  specs.push_back({"payment_method"});
  return specs;
}

bool IsDeleted(Core& core, const std::string& id) {
  return core.store.Private(id).contains("deleted");
}

json::object DeletedStub(const std::string& id) {
  json::object deleted;
  deleted["id"] = id;
  deleted["object"] = "customer";
  deleted["deleted"] = true;
  return deleted;
}

json::value NullableText(const json::object& params, std::string_view path) {
  const std::optional<std::string> text = Str(params, path);
  if (!text || text->empty()) return nullptr;
  return json::value(*text);
}

// A tax ID object of `customer`, stored.
json::object& NewTaxId(Core& core, const std::string& customer, const std::string& type,
                       const std::string& value, std::int64_t now) {
  return core.store.Insert("tax_id", NewTaxIdObject(customer, type, value, now));
}

// The customer's tax IDs (their copies, newest last), kept with the customer's private data.
json::array& TaxIdsOf(Core& core, const std::string& customer) {
  json::object& hidden = core.store.Private(customer);
  if (!hidden.contains("tax_ids")) hidden["tax_ids"] = json::array();
  return hidden.at("tax_ids").as_array();
}

// Applies the updatable fields of `params` to `customer`.
Outcome<void> ApplyFields(Core& core, json::object& customer, const json::object& params) {
  for (const char* field : {"name", "email", "description", "phone"}) {
    if (params.contains(field)) customer[field] = NullableText(params, field);
  }
  if (params.contains("preferred_locales")) {
    json::array locales;
    for (const std::string& locale : StrList(params, "preferred_locales")) {
      locales.push_back(json::value(locale));
    }
    customer["preferred_locales"] = std::move(locales);
  }
  if (const json::value* address = params.if_contains("address")) {
    json::object merged;
    if (customer.at("address").is_object()) merged = customer.at("address").as_object();
    for (const char* field : {"city", "country", "line1", "line2", "postal_code", "state"}) {
      if (!merged.contains(field)) merged[field] = nullptr;
    }
    if (address->is_object()) {
      for (const auto& [key, value] : address->as_object()) {
        merged[key] = value.is_string() && value.as_string().empty() ? json::value(nullptr) : value;
      }
      customer["address"] = std::move(merged);
    } else {
      customer["address"] = nullptr;
    }
  }
  if (const std::optional<std::string> exempt = Str(params, "tax_exempt")) {
    customer["tax_exempt"] = *exempt;
  }
  if (const json::value* settings = params.if_contains("invoice_settings");
      settings != nullptr && settings->is_object() && settings->as_object().contains("footer")) {
    customer.at("invoice_settings").as_object()["footer"] =
        NullableText(params, "invoice_settings.footer");
  }
  if (const std::optional<std::string> prefix = Str(params, "invoice_prefix")) {
    customer["invoice_prefix"] = *prefix;
  }
  if (const std::optional<std::string> method =
          Str(params, "invoice_settings.default_payment_method")) {
    if (!method->empty() && core.store.Find(*method, "payment_method") == nullptr) {
      return tl::unexpected(
          NoSuch("PaymentMethod", *method, "invoice_settings[default_payment_method]"));
    }
    customer.at("invoice_settings").as_object()["default_payment_method"] =
        NullableText(params, "invoice_settings.default_payment_method");
  }
  ApplyMetadata(customer.at("metadata").as_object(), At(params, "metadata"));
  return {};
}

ApiResult CreateCustomer(Core& core, ApiCall& call) {
  static const std::vector<ParamSpec> specs = CustomerCreateSpecs();
  STRIPE_FAKE_CHECK(Validate(call.params, specs));
  const std::string clock = Str(call.params, "test_clock").value_or("");
  if (!clock.empty() && core.store.Find(clock, "test_helpers.test_clock") == nullptr) {
    return tl::unexpected(NoSuch("test_clock", clock, "test_clock"));
  }
  {
    std::size_t index = 0;
    for (const json::object* data : Objects(call.params, "tax_id_data")) {
      if (auto refused =
              CheckTaxIdData("tax_id_data[" + std::to_string(index++) + "]",
                             Str(*data, "type").value_or(""), Str(*data, "value").value_or(""))) {
        return tl::unexpected(std::move(*refused));
      }
    }
  }
  const std::int64_t now = ClockNow(core.store, clock);
  json::object customer;
  const std::string id = NewId("cus_");
  customer["id"] = id;
  customer["object"] = "customer";
  customer["address"] = nullptr;
  customer["balance"] = 0;
  customer["created"] = now;
  customer["currency"] = nullptr;
  customer["default_source"] = nullptr;
  customer["delinquent"] = false;
  customer["description"] = nullptr;
  customer["discount"] = nullptr;
  customer["email"] = nullptr;
  customer["invoice_prefix"] = NewInvoicePrefix();
  json::object settings;
  settings["custom_fields"] = nullptr;
  settings["default_payment_method"] = nullptr;
  settings["footer"] = nullptr;
  settings["rendering_options"] = nullptr;
  customer["invoice_settings"] = std::move(settings);
  customer["livemode"] = false;
  customer["metadata"] = json::object();
  customer["name"] = nullptr;
  customer["next_invoice_sequence"] = 1;
  customer["phone"] = nullptr;
  customer["preferred_locales"] = json::array();
  customer["shipping"] = nullptr;
  customer["tax_exempt"] = "none";
  customer["test_clock"] = OrNull(clock);
  STRIPE_FAKE_CHECK(ApplyFields(core, customer, call.params));
  json::array tax_ids;
  for (const json::object* data : Objects(call.params, "tax_id_data")) {
    tax_ids.push_back(
        NewTaxId(core, id, Str(*data, "type").value_or(""), Str(*data, "value").value_or(""), now));
  }
  json::object& stored = core.store.Insert("customer", std::move(customer));
  if (!tax_ids.empty()) core.store.Private(id)["tax_ids"] = std::move(tax_ids);
  core.events.Emit("customer.created", stored, now);
  return stored;
}

ApiResult UpdateCustomer(Core& core, ApiCall& call) {
  STRIPE_FAKE_CHECK(Validate(call.params, CustomerUpdateSpecs()));
  const std::string id = call.Param("id");
  json::object* customer = core.store.Find(id, "customer");
  if (customer == nullptr || IsDeleted(core, id)) return tl::unexpected(NoSuch("customer", id));
  const json::object before = *customer;
  STRIPE_FAKE_CHECK(ApplyFields(core, *customer, call.params));
  core.events.EmitUpdated("customer.updated", before, *customer, NowForCustomer(core.store, id));
  return *customer;
}

}  // namespace

void AddCustomerRoutes(Api& api, Core& core) {
  api.Post("/v1/customers", [&core](ApiCall& call) { return CreateCustomer(core, call); });
  api.Get("/v1/customers/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* customer = core.store.Find(call.Param("id"), "customer");
    if (customer == nullptr) return tl::unexpected(NoSuch("customer", call.Param("id")));
    if (IsDeleted(core, call.Param("id"))) return DeletedStub(call.Param("id"));
    json::value result = *customer;
    for (const std::string& path : StrList(call.params, "expand")) {
      if (path != "tax_ids") continue;
      // A customer without tax IDs has an empty list, as at Stripe.
      const json::value* tax_ids = core.store.Private(call.Param("id")).if_contains("tax_ids");
      result.as_object()["tax_ids"] =
          NestedList(tax_ids != nullptr ? tax_ids->as_array() : json::array(),
                     "/v1/customers/" + call.Param("id") + "/tax_ids");
    }
    return result;
  });
  api.Post("/v1/customers/{id}", [&core](ApiCall& call) { return UpdateCustomer(core, call); });
  // A customer's tax IDs: created with a checked type and value, listed, deleted.
  api.Post("/v1/customers/{id}/tax_ids", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{{"type"}, {"value"}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::string id = call.Param("id");
    if (core.store.Find(id, "customer") == nullptr || IsDeleted(core, id)) {
      return tl::unexpected(NoSuch("customer", id));
    }
    const std::string type = Str(call.params, "type").value_or("");
    const std::string value = Str(call.params, "value").value_or("");
    if (auto refused = CheckTaxIdData("", type, value)) {
      refused->param = refused->param.substr(1, refused->param.size() - 2);  // "[type]" → "type"
      return tl::unexpected(std::move(*refused));
    }
    json::object& tax_id = NewTaxId(core, id, type, value, NowForCustomer(core.store, id));
    TaxIdsOf(core, id).push_back(tax_id);
    return tax_id;
  });
  api.Get("/v1/customers/{id}/tax_ids", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::string id = call.Param("id");
    if (core.store.Find(id, "customer") == nullptr) return tl::unexpected(NoSuch("customer", id));
    return NestedList(TaxIdsOf(core, id), "/v1/customers/" + id + "/tax_ids");
  });
  api.Delete("/v1/customers/{id}/tax_ids/{tax_id}", [&core](ApiCall& call) -> ApiResult {
    const std::string id = call.Param("id");
    const std::string tax_id = call.Param("tax_id");
    json::array& tax_ids = TaxIdsOf(core, id);
    for (auto it = tax_ids.begin(); it != tax_ids.end(); ++it) {
      if (Text(it->as_object(), "id") != tax_id) continue;
      tax_ids.erase(it);
      json::object deleted;
      deleted["id"] = tax_id;
      deleted["object"] = "tax_id";
      deleted["deleted"] = true;
      return deleted;
    }
    return tl::unexpected(NoSuch("tax_id", tax_id));
  });
  api.Delete("/v1/customers/{id}", [&core](ApiCall& call) -> ApiResult {
    const std::string id = call.Param("id");
    json::object* customer = core.store.Find(id, "customer");
    if (customer == nullptr || IsDeleted(core, id)) {
      return tl::unexpected(NoSuch("customer", id));
    }
    // As at Stripe, deleting a customer cancels their subscriptions at once. The object is
    // kept (hidden) so that their invoices and charges still resolve.
    std::vector<std::string> subscriptions;
    for (const std::string& subscription : core.store.Ids("subscription")) {
      const json::object& object = *core.store.Find(subscription, "subscription");
      if (Text(object, "customer") == id && Text(object, "status") != "canceled") {
        subscriptions.push_back(subscription);
      }
    }
    for (const std::string& subscription : subscriptions) {
      (void)CancelSubscription(core, subscription, false, false, "cancellation_requested");
    }
    core.store.Private(id)["deleted"] = true;
    core.events.Emit("customer.deleted", *core.store.Find(id, "customer"),
                     NowForCustomer(core.store, id));
    return DeletedStub(id);
  });
  api.Get("/v1/customers", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({{"email"}, {"test_clock"}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> email = Str(call.params, "email");
    const std::optional<std::string> clock = Str(call.params, "test_clock");
    return ListOf(core, "customer", call.params, "/v1/customers",
                  [&](const json::object& customer) {
                    if (IsDeleted(core, Text(customer, "id"))) return false;
                    if (email && Text(customer, "email") != *email) return false;
                    if (clock && Text(customer, "test_clock") != *clock) return false;
                    return true;
                  });
  });
}

}  // namespace codezero::stripe_fake
