// Reading the query string of a request target (`a=1&b=x%20y`). (Boost.URL's parse_query in
// Debian's 1.81 build reads past the end of a string that is not NUL-terminated, which the
// request target is not: AddressSanitizer caught it.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace codezero::http {

// The decoded value of the first parameter called `name` ('+' is a space, %XX decoded);
// nullopt when absent or not validly encoded. A parameter without '=' has an empty value.
[[nodiscard]] std::optional<std::string> QueryParameter(std::string_view query,
                                                        std::string_view name);

// True when some parameter name occurs more than once (after decoding), as RFC 6749 §3.2
// forbids for OAuth requests.
[[nodiscard]] bool HasRepeatedParameter(std::string_view query);

// The whole number `name`, or `fallback` when absent; nullopt when it is not a whole number in
// [min, max] (the caller answers 400).
[[nodiscard]] std::optional<std::int64_t> IntegerParameter(std::string_view query,
                                                           std::string_view name,
                                                           std::int64_t fallback, std::int64_t min,
                                                           std::int64_t max);

// `text` as a query value: everything but RFC 3986's unreserved characters percent-encoded.
[[nodiscard]] std::string EncodeQueryValue(std::string_view text);

// A path on this site (for a `next` or a return address): one leading "/" (not "//"), at most
// 2048 characters, no spaces, control characters or backslashes (which some browsers read as
// slashes). What a link may lead back to without leading off the site.
[[nodiscard]] bool IsSitePath(std::string_view path);

}  // namespace codezero::http
