// VAT ID checks (src/domain/vat_id.h): any country and text is judged without a crash, and a
// valid ID's normalized form is valid again and normalizes to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/vat_id.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view country = input.substr(0, 2);
  const std::string_view vat_id = input.substr(2);
  const auto check = codezero::domain::CheckVatId(country, vat_id);
  if (check.valid) {
    const auto again = codezero::domain::CheckVatId(country, check.normalized);
    if (!again.valid || again.normalized != check.normalized) __builtin_trap();
  }
  return 0;
}
