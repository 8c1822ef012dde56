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

// The company as it is now, closed or not.
constexpr db::Statement kCompany{
    "billing_customer_company",
    "SELECT coalesce(stripe_customer_id, ''), name, country, coalesce(vat_id, ''), "
    "coalesce(address->>'line1', ''), coalesce(address->>'line2', ''), "
    "coalesce(address->>'postal_code', ''), coalesce(address->>'city', ''), "
    "deleted_at IS NOT NULL FROM companies WHERE id = $1::uuid"};
constexpr db::Statement kClosed{"billing_customer_company_closed",
                                "SELECT deleted_at IS NOT NULL FROM companies WHERE id = $1::uuid"};
// The owner's address when `$2` (the customer's at Stripe) is no live member's of the company,
// compared as citext like every address here; no row when it is one, or there is no live owner.
constexpr db::Statement kReplacementEmail{
    "billing_customer_replacement_email",
    "SELECT u.email::text FROM users u WHERE u.company_id = $1::uuid AND u.role = 'owner' "
    "AND u.anonymized_at IS NULL AND u.disabled_at IS NULL AND NOT EXISTS (SELECT 1 FROM users m "
    "WHERE m.company_id = $1::uuid AND m.email = $2::citext AND m.anonymized_at IS NULL "
    "AND m.disabled_at IS NULL) ORDER BY u.created_at LIMIT 1"};

constexpr db::Statement kHasCustomer{
    "billing_customer_exists",
    "SELECT 1 FROM companies WHERE id = $1::uuid AND stripe_customer_id IS NOT NULL"};

// Closed: nothing of the company stays at Stripe but the customer's id (G11 in
// docs/compliance/retention-schedule.md). Finalized invoices keep the details they were issued
// with (https://docs.stripe.com/api/invoices/object, `customer_name` and others).
asio::awaitable<Result<bool>> RedactCustomer(stripe::Client& stripe, const std::string& customer_id,
                                             const std::string& operation) {
  auto redacted = co_await stripe.Post("/v1/customers/" + customer_id,
                                       stripe::CustomerRedactionFields(), operation + ":redact");
  if (!redacted) co_return tl::unexpected(stripe::ToError(redacted.error()));
  auto untaxed =
      co_await SyncCustomerTaxId(stripe, customer_id, std::nullopt, operation + ":redact:tax_id");
  if (!untaxed) co_return tl::unexpected(untaxed.error());
  co_return true;
}

}  // namespace

asio::awaitable<Result<void>> EnqueueCustomerSync(db::Transaction& tx, std::string company_id) {
  auto customer = co_await tx.Execute(kHasCustomer, company_id);
  if (!customer) co_return tl::unexpected(customer.error());
  if (customer->empty()) co_return Result<void>();
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
  if (rows->Bool(0, 8)) co_return co_await RedactCustomer(stripe, customer_id, operation);
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
  stripe::FormFields fields = stripe::CustomerDetailsFields(customer);
  // The e-mail address is the buyer's of the last checkout; once that person has left the
  // company or erased their account, it becomes the owner's.
  auto current = co_await stripe.Get("/v1/customers/" + customer_id);
  if (!current) co_return tl::unexpected(stripe::ToError(current.error()));
  if (const std::string email = stripe::StringOf(*current, "email"); !email.empty()) {
    auto owner = co_await database.Execute(kReplacementEmail, company_id, email);
    if (!owner) co_return tl::unexpected(owner.error());
    if (!owner->empty()) fields.emplace_back("email", std::string(owner->Text(0, 0)));
  }
  auto updated = co_await stripe.Post("/v1/customers/" + customer_id, std::move(fields), operation);
  if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
  auto synced = co_await SyncCustomerTaxId(stripe, customer_id, tax_id, operation + ":tax_id");
  if (!synced) co_return tl::unexpected(synced.error());
  // Closed meanwhile: the closure's own sync may have run before this one wrote the company's
  // details back. Whichever of the two ends last, the customer ends up redacted.
  auto closed = co_await database.Execute(kClosed, company_id);
  if (!closed) co_return tl::unexpected(closed.error());
  if (!closed->empty() && closed->Bool(0, 0)) {
    co_return co_await RedactCustomer(stripe, customer_id, operation);
  }
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
