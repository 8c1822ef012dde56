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

// Queues a `provisioning.notify` for a workspace that changed (in `tx`). One per change, no
// unique key: the job sends the state current when it runs, and only if it is newer than what
// the endpoint acknowledged (provisioning_notices), so none is lost and none repeated.
[[nodiscard]] boost::asio::awaitable<Result<void>> EnqueueProvisioningNotice(
    db::Transaction& tx, std::string workspace_id);

}  // namespace codezero::billing
