// Addresses Stripe sends a customer back to (checkout's success and cancel pages, the billing
// portal's return): only pages of the platform's own website, and nothing that could split a
// Location header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/violation.h"

namespace codezero::api {

// nullopt when `url` may be used for `field`; else the violation (url_control_characters,
// url_not_allowed with the website's address as its argument).
[[nodiscard]] std::optional<domain::Violation> CheckReturnUrl(std::string_view field,
                                                              std::string_view url,
                                                              const std::string& public_web_url);

}  // namespace codezero::api
