#include "billing/order_context.h"

#include "queue/enqueue.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kOwner{"billing_owner",
                               "SELECT u.email::text, u.id, u.locale, c.name FROM companies c "
                               "JOIN users u ON u.company_id = c.id AND u.role = 'owner' "
                               "AND u.disabled_at IS NULL AND u.anonymized_at IS NULL "
                               "WHERE c.id = $1::uuid LIMIT 1"};

constexpr db::Statement kCatalog{"billing_catalog",
                                 "SELECT document::text FROM catalog_versions WHERE version = $1"};

}  // namespace

asio::awaitable<Result<std::optional<Recipient>>> OwnerOf(db::Transaction& tx,
                                                          std::string company_id) {
  auto owner = co_await tx.Execute(kOwner, company_id);
  if (!owner) co_return tl::unexpected(owner.error());
  if (owner->empty()) co_return std::optional<Recipient>();
  Recipient recipient;
  recipient.email = std::string(owner->Text(0, 0));
  recipient.user_id = std::string(owner->Text(0, 1));
  recipient.locale = std::string(owner->Text(0, 2));
  recipient.company = std::string(owner->Text(0, 3));
  co_return std::optional<Recipient>(std::move(recipient));
}

asio::awaitable<Result<domain::Catalog>> LoadCatalog(db::Transaction& tx, int version) {
  auto rows = co_await tx.Execute(kCatalog, version);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kNotFound, "no catalog version");
  co_return domain::ParseCatalog(rows->Text(0, 0), version);
}

domain::TaxDecision OrderTaxDecision(std::string_view treatment, std::string_view country,
                                     int rate_bps, std::string_view territory,
                                     bool vat_id_unconfirmed, bool vat_id_not_asked) {
  domain::TaxDecision decision;
  decision.treatment =
      domain::ParseTaxTreatment(treatment).value_or(domain::TaxTreatment::kStandard);
  decision.country = std::string(country);
  decision.rate_bps = rate_bps;
  decision.territory = std::string(territory);
  decision.vat_id_unconfirmed = vat_id_unconfirmed;
  decision.vat_id_not_asked = vat_id_not_asked;
  return decision;
}

asio::awaitable<Result<void>> EnqueueProvisioningNotice(db::Transaction& tx,
                                                        std::string workspace_id) {
  const std::string args = R"({"workspace_id":")" + workspace_id + "\"}";
  auto notice = co_await queue::Enqueue(tx, queue::kinds::kProvisioningNotify, args);
  if (!notice) co_return tl::unexpected(notice.error());
  co_return Result<void>();
}

}  // namespace codezero::billing
