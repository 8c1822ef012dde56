#include "api/locale_parameter.h"

#include "http/query.h"

namespace codezero::api {

Result<std::optional<domain::Locale>> LocaleParameter(std::string_view query) {
  const auto requested = http::QueryParameter(query, "locale");
  if (!requested) return std::optional<domain::Locale>();
  const auto locale = domain::ParseLocale(*requested);
  if (locale) return locale;
  Error error{ErrorCode::kValidationFailed, "Unsupported locale.", "", {}};
  error.fields.push_back(
      {"unsupported_locale", "locale",
       "The language \"" + *requested + "\" is not supported; possible: de, en."});
  return tl::unexpected(std::move(error));
}

}  // namespace codezero::api
