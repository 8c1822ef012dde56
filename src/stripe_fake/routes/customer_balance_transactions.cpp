// /v1/customers/{id}/balance_transactions: create, retrieve, list
// (https://docs.stripe.com/api/customer_balance_transactions). A negative amount is a credit
// the customer's next invoices use up (invoices.cpp applies the balance); a positive one a
// debit. Each changes the customer's `balance` and emits customer.updated.
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

ApiResult CreateBalanceTransaction(Core& core, ApiCall& call) {
  static const std::vector<ParamSpec> specs{{"amount", ParamKind::kInteger},
                                            {"currency"},
                                            {"description"},
                                            {"metadata", ParamKind::kMetadata}};
  STRIPE_FAKE_CHECK(Validate(call.params, specs));
  const std::string id = call.Param("id");
  json::object* customer = core.store.Find(id, "customer");
  if (customer == nullptr || core.store.Private(id).contains("deleted")) {
    return tl::unexpected(NoSuch("customer", id));
  }
  const std::optional<std::int64_t> amount = Int(call.params, "amount");
  if (!amount) return tl::unexpected(ParameterMissing("amount"));
  const std::string currency = Str(call.params, "currency").value_or("");
  if (currency.empty()) return tl::unexpected(ParameterMissing("currency"));
  // The customer's currency is set by its first balance transaction (or invoice) and fixed then.
  const json::value* known = customer->if_contains("currency");
  if (known != nullptr && known->is_string() && !known->as_string().empty() &&
      known->as_string() != currency) {
    return tl::unexpected(InvalidParam(
        "currency", "The customer's balance is in " + std::string(known->as_string()) + "."));
  }
  const json::object before = *customer;
  const std::int64_t now = NowForCustomer(core.store, id);
  const std::int64_t ending =
      (customer->at("balance").is_int64() ? customer->at("balance").as_int64() : 0) + *amount;
  (*customer)["balance"] = ending;
  (*customer)["currency"] = currency;
  json::object transaction;
  transaction["id"] = NewId("cbtxn_");
  transaction["object"] = "customer_balance_transaction";
  transaction["amount"] = *amount;
  transaction["checkout_session"] = nullptr;
  transaction["created"] = now;
  transaction["credit_note"] = nullptr;
  transaction["currency"] = currency;
  transaction["customer"] = id;
  transaction["description"] = json::value(nullptr);
  if (const auto description = Str(call.params, "description")) {
    transaction["description"] = *description;
  }
  transaction["ending_balance"] = ending;
  transaction["invoice"] = nullptr;
  transaction["livemode"] = false;
  transaction["metadata"] = json::object();
  ApplyMetadata(transaction.at("metadata").as_object(), At(call.params, "metadata"));
  transaction["type"] = "adjustment";
  const json::object& stored = core.store.Insert("customer_balance_transaction", transaction);
  core.events.EmitUpdated("customer.updated", before, *customer, now);
  return stored;
}

}  // namespace

void AddCustomerBalanceRoutes(Api& api, Core& core) {
  api.Post("/v1/customers/{id}/balance_transactions",
           [&core](ApiCall& call) { return CreateBalanceTransaction(core, call); });
  api.Get(
      "/v1/customers/{id}/balance_transactions/{transaction}", [&core](ApiCall& call) -> ApiResult {
        static const std::vector<ParamSpec> none;
        STRIPE_FAKE_CHECK(Validate(call.params, none));
        const json::object* transaction =
            core.store.Find(call.Param("transaction"), "customer_balance_transaction");
        if (transaction == nullptr || Text(*transaction, "customer") != call.Param("id")) {
          return tl::unexpected(NoSuch("customer_balance_transaction", call.Param("transaction")));
        }
        return *transaction;
      });
  api.Get("/v1/customers/{id}/balance_transactions", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::string id = call.Param("id");
    if (core.store.Find(id, "customer") == nullptr) return tl::unexpected(NoSuch("customer", id));
    return ListOf(
        core, "customer_balance_transaction", call.params,
        "/v1/customers/" + id + "/balance_transactions",
        [&id](const json::object& transaction) { return Text(transaction, "customer") == id; });
  });
}

}  // namespace codezero::stripe_fake
