// Text for HTML built outside a template (the templates' values are escaped by Mustache).
#pragma once

#include <string>
#include <string_view>

namespace codezero {

// `text` with & < > " ' as character references: safe in element content and in quoted
// attribute values.
[[nodiscard]] std::string EscapeHtml(std::string_view text);

}  // namespace codezero
