#include "billing/stripe_objects.h"

#include "billing/customer_sync.h"
#include "billing/tax_rates.h"
#include "common/log.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kCustomerOf{"stripe_customer_of",
                                    "SELECT stripe_customer_id FROM companies WHERE id = $1::uuid"};
// Keeps the first id stored: two racing checkouts created the same customer anyway (same
// idempotency key), but a stored id is never replaced.
constexpr db::Statement kStoreCustomer{
    "stripe_store_customer",
    "UPDATE companies SET stripe_customer_id = coalesce(stripe_customer_id, $2) "
    "WHERE id = $1::uuid RETURNING stripe_customer_id"};

bool AlreadyExists(const stripe::ApiError& error) {
  return error.code == "resource_already_exists";
}

Error MissingId(std::string_view what) {
  return Error{ErrorCode::kInternal,
               "the payment provider answered unexpectedly",
               "stripe " + std::string(what) + " without an id",
               {}};
}

}  // namespace

asio::awaitable<Result<bool>> CreateProduct(stripe::Client& stripe, std::string code,
                                            std::string name) {
  const std::string id = stripe::ProductIdOf(code);
  auto created =
      co_await stripe.Post("/v1/products", stripe::ProductFields(code, name), "product:" + id);
  if (created) co_return true;
  if (AlreadyExists(created.error())) co_return false;
  co_return tl::unexpected(stripe::ToError(created.error()));
}

StripeObjects::StripeObjects(db::Pool& database, stripe::Client& stripe)
    : database_(database), stripe_(stripe) {}

asio::awaitable<Result<std::string>> StripeObjects::Customer(stripe::CustomerRequest customer,
                                                             std::string order_id) {
  auto stored = co_await database_.Execute(kCustomerOf, customer.company_id);
  if (!stored) co_return tl::unexpected(stored.error());
  if (stored->empty()) co_return Fail(ErrorCode::kNotFound, "no such company");
  std::string id;
  if (!stored->IsNull(0, 0)) {
    id = std::string(stored->Text(0, 0));
  } else {
    // Created with what never changes (the company's id), so that two checkouts at once, or a
    // repeat after a lost answer, send the same bytes and get one customer; what changes comes
    // in the update below.
    auto created =
        co_await stripe_.Post("/v1/customers", stripe::CustomerCreateFields(customer.company_id),
                              "company:" + customer.company_id + ":customer");
    if (!created) co_return tl::unexpected(stripe::ToError(created.error()));
    const std::string created_id = stripe::StringOf(*created, "id");
    if (created_id.empty()) co_return tl::unexpected(MissingId("customer"));
    auto kept = co_await database_.Execute(kStoreCustomer, customer.company_id, created_id);
    if (!kept) co_return tl::unexpected(kept.error());
    if (kept->empty()) co_return Fail(ErrorCode::kNotFound, "no such company");
    id = std::string(kept->Text(0, 0));
  }
  auto updated = co_await UpdateCustomer(id, customer, order_id);
  if (!updated) co_return tl::unexpected(updated.error());
  co_return id;
}

asio::awaitable<Result<void>> StripeObjects::UpdateCustomer(const std::string& id,
                                                            const stripe::CustomerRequest& customer,
                                                            const std::string& order_id) {
  // Keyed by the order: a repeat of this checkout replays, a later one applies afresh even when
  // it sets what an earlier one did (a key of the values alone would replay that old answer
  // after a change in between, A → B → A, and leave B).
  auto updated =
      co_await stripe_.Post("/v1/customers/" + id, stripe::CustomerUpdateFields(customer),
                            "order:" + order_id + ":customer_update");
  if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
  // The tax ID: the one wanted stays (or is added), any other goes.
  auto synced =
      co_await SyncCustomerTaxId(stripe_, id, customer.tax_id, "order:" + order_id + ":tax_id");
  if (!synced) co_return tl::unexpected(synced.error());
  co_return Result<void>();
}

asio::awaitable<Result<std::string>> StripeObjects::Product(std::string code, std::string name) {
  std::string id = stripe::ProductIdOf(code);
  if (known_products_.contains(id)) co_return id;
  auto created = co_await CreateProduct(stripe_, std::move(code), std::move(name));
  if (!created) co_return tl::unexpected(created.error());
  known_products_.insert(id);
  co_return id;
}

asio::awaitable<Result<std::string>> StripeObjects::TaxRate(stripe::TaxRateRequest rate) {
  const std::string key = stripe::TaxRateKey(rate);
  if (auto known = tax_rates_.find(key); known != tax_rates_.end()) co_return known->second;
  auto id = co_await TaxRateId(database_, stripe_, std::move(rate));
  if (!id) co_return tl::unexpected(id.error());
  tax_rates_.emplace(key, *id);
  co_return *id;
}

asio::awaitable<Result<std::string>> StripeObjects::Coupon(stripe::CouponRequest coupon) {
  const std::string id = coupon.id;
  auto created = co_await stripe_.Post("/v1/coupons", stripe::CouponFields(coupon), "coupon:" + id);
  if (!created && !AlreadyExists(created.error())) {
    co_return tl::unexpected(stripe::ToError(created.error()));
  }
  co_return id;
}

}  // namespace codezero::billing
