// E-mail address parsing (src/domain/email_address.h): no crash, and normalizing is stable.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/email_address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const bool plausible = codezero::domain::IsPlausibleEmail(input);
  const std::string normalized = codezero::domain::NormalizeEmail(input);
  if (codezero::domain::NormalizeEmail(normalized) != normalized) __builtin_trap();
  const std::string canonical = codezero::domain::CanonicalEmail(input);
  if (codezero::domain::CanonicalEmail(canonical) != canonical) __builtin_trap();
  (void)plausible;
  return 0;
}
