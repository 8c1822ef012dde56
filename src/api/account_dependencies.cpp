#include "api/account_dependencies.h"

#include "http/query.h"

namespace codezero::api {

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

}  // namespace codezero::api
