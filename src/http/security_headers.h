// Response headers that make a browser treat responses safely. The API's set forbids
// everything (it serves JSON only); the web frontend passes its own Content-Security-Policy.
// Responses that did not choose their caching get `Cache-Control: no-store`, because API
// responses carry personal and commercial data.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/message.h"

namespace codezero::http {

struct SecurityHeaders {
  std::vector<std::pair<std::string, std::string>> headers;

  // The API's: CSP default-src 'none', no framing, no sniffing, no referrer, HSTS.
  [[nodiscard]] static SecurityHeaders ForApi();

  // "Name: value\r\n" for each header, written once at start and copied into every response.
  [[nodiscard]] std::string Block() const;
};

}  // namespace codezero::http
