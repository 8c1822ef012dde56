// What the billing use cases and provisioning look up about an order: whom to write to, the
// catalog version it was bought from, and the notice that tells the provisioning endpoint a
// workspace changed.
#pragma once

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "domain/catalog.h"
#include "domain/locale.h"
#include "domain/tax.h"

namespace codezero::billing {

// The company's owner, to whom billing e-mails go.
struct Recipient {
  std::string email;
  std::string user_id;
  std::string locale;  // "de" | "en"
  std::string company;

  [[nodiscard]] domain::Locale Locale() const {
    return locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
  }
};
[[nodiscard]] boost::asio::awaitable<Result<std::optional<Recipient>>> OwnerOf(
    db::Transaction& tx, std::string company_id);

[[nodiscard]] boost::asio::awaitable<Result<domain::Catalog>> LoadCatalog(db::Transaction& tx,
                                                                          int version);

// The tax decision an order was made with, as it stored it (orders: tax_treatment,
// tax_country, tax_rate_bps, tax_territory, tax_vat_id_unconfirmed, tax_vat_id_not_asked), from
// which its tax note is written again exactly as the quote showed it.
[[nodiscard]] domain::TaxDecision OrderTaxDecision(std::string_view treatment,
                                                   std::string_view country, int rate_bps,
                                                   std::string_view territory,
                                                   bool vat_id_unconfirmed, bool vat_id_not_asked);

// Queues a `provisioning.notify` for a workspace that changed (in `tx`). One per change, no
// unique key: the job sends the state current when it runs, and only if it is newer than what
// the endpoint acknowledged (provisioning_notices), so none is lost and none repeated.
[[nodiscard]] boost::asio::awaitable<Result<void>> EnqueueProvisioningNotice(
    db::Transaction& tx, std::string workspace_id);

}  // namespace codezero::billing
