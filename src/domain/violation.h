// A rule a quote request breaks: a stable machine-readable `code`, the offending `field`
// ("addons[1].quantity") and the values its message names. Messages are produced in the
// request's language only when the violations are reported (LocalizedFieldError).
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "domain/locale.h"

namespace codezero::domain {

struct Violation {
  std::string code;
  std::string field;
  std::vector<std::string> args;  // {0}, {1}, ... of the message
};

// The message of `violation` in `locale`; every code the quotes API uses has one.
[[nodiscard]] FieldError LocalizedFieldError(const Violation& violation, Locale locale);

// kValidationFailed with every violation, messages in `locale`.
[[nodiscard]] Error ValidationError(const std::vector<Violation>& violations, Locale locale);

}  // namespace codezero::domain
