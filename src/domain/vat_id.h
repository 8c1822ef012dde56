// EU VAT identification numbers, checked offline before a B2B sale is zero-rated (reverse charge).
// `CheckVatId` cleans what the customer typed, checks the member state's national format and, where
// the state publishes one, its check-digit algorithm. It catches typos early and cheaply; it does
// not say that the number is registered, which only a VIES lookup can. Where a state's algorithm
// has variants we cannot verify, only the format is checked (`check_digits_verified` is false), so
// that a real customer's valid number is never refused. Pure logic, no I/O, no exceptions.
#pragma once

#include <string>
#include <string_view>

namespace codezero::domain {

// ISO 3166-1 alpha-2 codes of the 27 member states (GR for Greece, not EL).
[[nodiscard]] bool IsEuMemberState(std::string_view country);

struct VatIdCheck {
  bool valid = false;
  // prefix + number, upper case, no separators: "ATU12345675", "EL094259216"
  std::string normalized;
  bool check_digits_verified = false;  // false where only the format could be checked
  std::string problem;                 // English, for logs, when !valid: what is wrong
};

// `country`: the customer's country (ISO alpha-2, upper case). `vat_id`: as a user typed it;
// spaces, dots, dashes and slashes are removed, letters upper-cased. The country prefix ("AT",
// "EL" for GR) is optional; if present it must be that country's prefix.
// `normalized` is set only when `valid`; numbers written in an older, shorter form (8-digit Greek,
// 9-digit Belgian, Dutch without leading zeros) come back in their current full form.
[[nodiscard]] VatIdCheck CheckVatId(std::string_view country, std::string_view vat_id);

}  // namespace codezero::domain
