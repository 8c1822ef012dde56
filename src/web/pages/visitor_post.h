// A POST to the API for a visitor who need not be signed in (the e-mails' link pages, the
// public cancellation page): sent with the visitor's address, so the API's per-address limits
// count visitors and not this web instance.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "web/site.h"

namespace codezero::web {

// The API's answer to POST `path` with the JSON `body`; a 5xx answer is an Error (the error
// page), any other answer is the form's to show.
[[nodiscard]] boost::asio::awaitable<Result<http::Response>> PostForVisitor(
    Site& site, const http::Request& request, const http::RequestContext& context, std::string path,
    std::string body);

// The JSON body of a post that carries an e-mail link's token, and `more` string members.
[[nodiscard]] std::string TokenBody(
    const std::string& token, const std::vector<std::pair<std::string, std::string>>& more = {});

}  // namespace codezero::web
