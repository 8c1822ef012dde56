#include "billing/customer_sync.h"

#include "common/json_writer.h"
#include "domain/tax_id.h"
#include "domain/vat_territory.h"
#include "queue/enqueue.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr db::Statement kCompany{
    "billing_customer_company",
    "SELECT coalesce(stripe_customer_id, ''), name, country, coalesce(vat_id, ''), "
    "coalesce(address->>'line1', ''), coalesce(address->>'line2', ''), "
    "coalesce(address->>'postal_code', ''), coalesce(address->>'city', '') "
    "FROM companies WHERE id = $1::uuid AND deleted_at IS NULL"};

}  // namespace

asio::awaitable<Result<void>> EnqueueCustomerSync(db::Transaction& tx, std::string company_id) {
  JsonWriter args(64);
  args.BeginObject();
  args.Member("company_id", company_id);
  args.EndObject();
  // No unique key: each change queues a sync, which reads the company as it is when it runs.
  auto queued =
      co_await queue::Enqueue(tx, queue::kinds::kStripeSyncCustomer, std::move(args).Take());
  if (!queued) co_return tl::unexpected(queued.error());
  co_return Result<void>();
}

asio::awaitable<Result<bool>> SyncCustomerWithCompany(db::Pool& database, stripe::Client& stripe,
                                                      std::string company_id,
                                                      std::string operation) {
  auto rows = co_await database.Execute(kCompany, company_id);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty() || rows->Text(0, 0).empty()) co_return false;
  const std::string customer_id(rows->Text(0, 0));
  stripe::CustomerRequest customer;
  customer.company_id = company_id;
  customer.name = std::string(rows->Text(0, 1));
  customer.country = std::string(rows->Text(0, 2));
  customer.line1 = std::string(rows->Text(0, 4));
  customer.line2 = std::string(rows->Text(0, 5));
  customer.postal_code = std::string(rows->Text(0, 6));
  customer.city = std::string(rows->Text(0, 7));
  std::optional<stripe::CustomerRequest::TaxId> tax_id;
  if (const std::string vat_id(rows->Text(0, 3)); !vat_id.empty()) {
    // As the company's PATCH checked it: a number of its VAT country, in Stripe's format, and
    // only of a type Stripe knows.
    const domain::TaxIdCheck check =
        domain::CheckTaxId(domain::VatTerritoryOf(customer.country, "").country, vat_id);
    if (check.valid && !check.stripe_type.empty()) {
      tax_id = stripe::CustomerRequest::TaxId{check.stripe_type, check.normalized};
    }
  }
  auto updated = co_await stripe.Post("/v1/customers/" + customer_id,
                                      stripe::CustomerDetailsFields(customer), operation);
  if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
  auto synced = co_await SyncCustomerTaxId(stripe, customer_id, tax_id, operation + ":tax_id");
  if (!synced) co_return tl::unexpected(synced.error());
  co_return true;
}

asio::awaitable<Result<void>> SyncCustomerTaxId(
    stripe::Client& stripe, std::string customer_id,
    std::optional<stripe::CustomerRequest::TaxId> wanted, std::string operation) {
  stripe::FormFields page{{"limit", "100"}};
  auto listed = co_await stripe.Get("/v1/customers/" + customer_id + "/tax_ids", std::move(page));
  if (!listed) co_return tl::unexpected(stripe::ToError(listed.error()));
  bool present = false;
  if (const auto* data = listed->if_contains("data"); data != nullptr && data->is_array()) {
    for (const json::value& entry : data->as_array()) {
      if (!entry.is_object()) continue;
      const json::object& tax_id = entry.as_object();
      if (wanted && stripe::StringOf(tax_id, "type") == wanted->type &&
          stripe::StringOf(tax_id, "value") == wanted->value) {
        present = true;
        continue;
      }
      const std::string path =
          "/v1/customers/" + customer_id + "/tax_ids/" + stripe::StringOf(tax_id, "id");
      auto removed = co_await stripe.Delete(path);
      if (!removed && removed.error().status != 404) {
        co_return tl::unexpected(stripe::ToError(removed.error()));
      }
    }
  }
  if (wanted && !present) {
    stripe::FormFields fields{{"type", wanted->type}, {"value", wanted->value}};
    auto added = co_await stripe.Post("/v1/customers/" + customer_id + "/tax_ids",
                                      std::move(fields), std::move(operation));
    if (!added) co_return tl::unexpected(stripe::ToError(added.error()));
  }
  co_return Result<void>();
}

}  // namespace codezero::billing
