// Reading the comma-separated, weighted lists of RFC 9110 §12.4.2 that content negotiation
// uses: `Accept-Encoding: br;q=1.0, gzip;q=0.8` and `Accept-Language: de-DE,de;q=0.9,en;q=0.5`.
#pragma once

#include <functional>
#include <string_view>

namespace codezero::web {

// Calls `element(token, quality)` for each list element in order. The quality is the `q`
// parameter (0 to 1; 1 when absent or malformed); other parameters are ignored.
void ForEachListElement(std::string_view list,
                        const std::function<void(std::string_view token, double quality)>& element);

[[nodiscard]] bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace codezero::web
