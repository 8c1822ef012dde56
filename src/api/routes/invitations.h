// Invitations to a company: an owner invites by e-mail, the invited person accepts with the
// link (no sign-in), owners see and revoke what is pending. An invitation lives only as long as
// the owner who sent it is one and the company is open; removing a member, handing over
// ownership and closing the company revoke what the person or the company had pending.
//   POST   /v1/company/invitations        owner: {"email","role"?} -> 201, an e-mail with a link
//   GET    /v1/company/invitations        owner: the pending ones, newest first
//   DELETE /v1/company/invitations/{id}   owner: revokes one -> 204
//   POST   /v1/invitations/accept         {"token","name","password"} -> 201 (no sign-in needed)
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "api/account_dependencies.h"
#include "api/route_table.h"
#include "common/error.h"
#include "db/pool.h"

namespace codezero::api {

void AddInvitationRoutes(RouteTable& routes, const AccountDependencies& dependencies);

// Revokes the pending invitations `user_id` sent (they stop being an owner or a member), or all
// of `company_id`'s (it closes), in the caller's transaction.
[[nodiscard]] boost::asio::awaitable<Result<void>> RevokeInvitationsSentBy(db::Transaction& tx,
                                                                           std::string user_id);
[[nodiscard]] boost::asio::awaitable<Result<void>> RevokeInvitationsOf(db::Transaction& tx,
                                                                       std::string company_id);

}  // namespace codezero::api
