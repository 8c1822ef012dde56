// The check digits below were confirmed against published valid numbers (python-stdnum's test
// suites; tests/unit/domain/tax_id_test.cpp lists them):
//   GB  9 digits (or 12: 9 and a branch), weights 8..2 on the first seven plus the last two as
//       a number, modulo 97: 0 in the old scheme, 42 or 55 in the one HMRC started in 2010 at
//       100 000 000 (numbers below that use only the old one). GD and HA numbers (government
//       departments, health authorities) are format only.
//   CH  the UID: CHE and 9 digits, weights 5 4 3 2 7 6 5 4, check digit 11 - sum mod 11 (a
//       result of 10 is no number); VAT registration adds MWST, TVA, IVA or TPV.
//   NO  the organisation number: 9 digits, weights 3 2 7 6 5 4 3 2, check digit 11 - sum mod 11;
//       VAT registration adds MVA.
#include "domain/tax_id.h"

#include <array>

#include "domain/ascii.h"
#include "domain/vat_id.h"

namespace codezero::domain {
namespace {

int Digit(char c) { return c - '0'; }

// Upper case, without the separators people type.
std::string Cleaned(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '.' || c == '-' || c == '/') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

TaxIdCheck Invalid(std::string type, std::string problem) {
  return {false, std::move(type), {}, std::move(problem)};
}

TaxIdCheck UnitedKingdom(std::string_view text) {
  std::string number = Cleaned(text);
  // XI: Northern Ireland's prefix for trade in goods; the number is the UK one.
  if (number.starts_with("GB") || number.starts_with("XI")) number.erase(0, 2);
  if (number.size() == 5 && (number.starts_with("GD") || number.starts_with("HA")) &&
      AllAsciiDigits(std::string_view(number).substr(2))) {
    const int serial = std::stoi(number.substr(2));
    const bool in_range = number.starts_with("GD") ? serial < 500 : serial >= 500;
    if (!in_range) return Invalid("gb_vat", "a GD number is below 500, an HA number 500 or more");
    return {true, "gb_vat", "GB" + number, {}};
  }
  if ((number.size() != 9 && number.size() != 12) || !AllAsciiDigits(number)) {
    return Invalid("gb_vat", "9 or 12 digits after GB");
  }
  static constexpr std::array<int, 7> kWeights = {8, 7, 6, 5, 4, 3, 2};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += kWeights[i] * Digit(number[i]);
  sum += Digit(number[7]) * 10 + Digit(number[8]);
  const int remainder = sum % 97;
  const bool new_scheme_possible = std::stoi(number.substr(0, 3)) >= 100;
  const bool matches =
      remainder == 0 || (new_scheme_possible && (remainder == 42 || remainder == 55));
  if (!matches) return Invalid("gb_vat", "the check digits do not match (a typo?)");
  return {true, "gb_vat", "GB" + number, {}};
}

TaxIdCheck Switzerland(std::string_view text) {
  std::string number = Cleaned(text);
  std::string suffix = "MWST";  // the number alone is the UID; its VAT form has a suffix
  for (std::string_view candidate : {"MWST", "TVA", "IVA", "TPV"}) {
    if (number.ends_with(candidate)) {
      suffix = std::string(candidate);
      number.erase(number.size() - candidate.size());
      break;
    }
  }
  if (number.starts_with("CHE")) number.erase(0, 3);
  if (number.size() != 9 || !AllAsciiDigits(number)) {
    return Invalid("ch_vat", "CHE and 9 digits, then MWST, TVA, IVA or TPV");
  }
  static constexpr std::array<int, 8> kWeights = {5, 4, 3, 2, 7, 6, 5, 4};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += kWeights[i] * Digit(number[i]);
  const int check = (11 - sum % 11) % 11;
  if (check == 10 || check != Digit(number[8])) {
    return Invalid("ch_vat", "the check digit does not match (a typo?)");
  }
  return {true,
          "ch_vat",
          "CHE-" + number.substr(0, 3) + "." + number.substr(3, 3) + "." + number.substr(6, 3) +
              " " + suffix,
          {}};
}

TaxIdCheck Norway(std::string_view text) {
  std::string number = Cleaned(text);
  if (number.starts_with("NO")) number.erase(0, 2);
  if (number.ends_with("MVA")) number.erase(number.size() - 3);
  if (number.size() != 9 || !AllAsciiDigits(number)) return Invalid("no_vat", "9 digits, then MVA");
  static constexpr std::array<int, 8> kWeights = {3, 2, 7, 6, 5, 4, 3, 2};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += kWeights[i] * Digit(number[i]);
  const int check = (11 - sum % 11) % 11;
  if (check == 10 || check != Digit(number[8])) {
    return Invalid("no_vat", "the check digit does not match (a typo?)");
  }
  return {true, "no_vat", number + "MVA", {}};
}

}  // namespace

TaxIdCheck CheckTaxId(std::string_view country, std::string_view text) {
  if (IsEuMemberState(country)) {
    const VatIdCheck vat = CheckVatId(country, text);
    return {vat.valid, "eu_vat", vat.normalized, vat.problem};
  }
  if (country == "GB") return UnitedKingdom(text);
  if (country == "CH") return Switzerland(text);
  if (country == "NO") return Norway(text);
  const std::string_view kept = Trimmed(text);
  if (kept.empty()) return Invalid("", "empty");
  return {true, "", std::string(kept), {}};
}

}  // namespace codezero::domain
