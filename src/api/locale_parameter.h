// The `?locale=de|en` query parameter that several read endpoints take.
#pragma once

#include <optional>
#include <string_view>

#include "common/error.h"
#include "domain/locale.h"

namespace codezero::api {

// nullopt when the parameter is absent; a 422 `unsupported_locale` for any other language.
[[nodiscard]] Result<std::optional<domain::Locale>> LocaleParameter(std::string_view query);

}  // namespace codezero::api
