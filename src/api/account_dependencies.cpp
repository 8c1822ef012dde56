#include "api/account_dependencies.h"

#include "http/query.h"

namespace codezero::api {
namespace {

constexpr db::Statement kLinkIsUsable{
    "accounts_link_is_usable",
    "SELECT 1 FROM email_tokens WHERE token_hash = decode($1, 'hex') AND purpose = $2 "
    "AND used_at IS NULL AND expires_at > now()"};

}  // namespace

std::string EmailLink(const AccountDependencies& deps, std::string_view locale,
                      std::string_view path, std::string_view token, std::string_view next) {
  std::string link = deps.public_web_url;
  link += '/';
  link += locale;
  link += '/';
  link += path;
  link += "?token=";
  link += token;  // base64url with a prefix: nothing to escape
  if (!next.empty()) {
    link += "&next=";
    link += http::EncodeQueryValue(next);
  }
  return link;
}

boost::asio::awaitable<Result<bool>> LinkIsUsable(db::Pool& database, std::string token_hash,
                                                  std::string purpose) {
  auto found = co_await database.Execute(kLinkIsUsable, token_hash, purpose);
  if (!found) co_return tl::unexpected(found.error());
  co_return !found->empty();
}

Error InvalidLink() {
  Error error{ErrorCode::kBadRequest, "The link is invalid, expired or already used.", "", {}};
  error.fields.push_back(
      {"invalid_link", "token", "The link is invalid, expired or already used."});
  return error;
}

domain::Locale LanguageOf(const auth::Principal& principal) {
  return principal.locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
}

}  // namespace codezero::api
