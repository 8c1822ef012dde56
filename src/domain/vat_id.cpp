// National VAT number formats and check digits of the 27 member states.
//
// Refusing a valid number stops a real customer from buying, so a rule is enforced only where it
// is a published check-digit algorithm confirmed against real numbers. Format only
// (`check_digits_verified` false), because the number carries no check digit or the scheme has
// variants we could not confirm:
//   BG  10 digits (individuals, foreigners): three schemes (EGN, foreigner's number, others), and
//       the number does not say which one applies.
//   CZ  9 digits: birth numbers issued before 1954 have no check digit; 9-digit numbers starting
//       with 6 use a special scheme we could not confirm.
//   ES  K, L, M (NIF of minors, non-residents, foreigners without NIE): no confirmed vectors.
//   FR  keys containing a letter: the algorithm is not published by the French tax authority.
//   LV  personal codes (first digit 0-3): the algorithm is unconfirmed, and codes issued since
//       2017 carry no birth date.
//   RO  13 digits (personal CNP): sources disagree whether it is used as a VAT number at all.
// Also deliberately not enforced, though some validators do, because they are lists or ranges
// that change rather than check digits: Italian province codes, the Lithuanian "1" in the
// second-to-last place, the Slovak third digit, the Luhn digit of the French SIREN (the key
// already covers it), Cypriot and Czech reserved leading digits.
//
// Every check below was confirmed against at least two published valid numbers (mostly from
// python-stdnum's test suite; tests/unit/domain/vat_id_test.cpp names the others).
#include "domain/vat_id.h"

#include "domain/ascii.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace codezero::domain {
namespace {

// The outcome of one national check, before the country prefix is added back.
struct NationalCheck {
  bool valid = false;
  bool check_digits_verified = false;
  std::string problem;
};

NationalCheck Verified() { return {true, true, {}}; }

NationalCheck FormatOnly() { return {true, false, {}}; }

NationalCheck Malformed(std::string problem) { return {false, false, std::move(problem)}; }

NationalCheck CheckDigits(bool match) {
  if (match) return Verified();
  return {false, false, "the check digit does not match (a typo?)"};
}

bool IsLetter(char c) { return c >= 'A' && c <= 'Z'; }

int DigitValue(char c) { return c - '0'; }

// Out of line on purpose: inlined into the callers, g++ 12 at -O3 invents impossible string
// sizes and warns about them (GCC bug 105329).
[[gnu::noinline]] void PrependZero(std::string& number) { number.insert(number.begin(), '0'); }

bool IsDigits(std::string_view text, std::size_t length) {
  return text.size() == length && AllAsciiDigits(text);
}

// REQUIRES: `digits` are decimal digits, at most 9 of them.
int Number(std::string_view digits) {
  int value = 0;
  for (const char c : digits) value = value * 10 + DigitValue(c);
  return value;
}

// The remainder of a decimal number of any length, which may not fit in an integer.
int Mod(std::string_view digits, int divisor) {
  int remainder = 0;
  for (const char c : digits) remainder = (remainder * 10 + DigitValue(c)) % divisor;
  return remainder;
}

// Pairs digits with weights from the left; digits beyond the weights are ignored.
int WeightedSum(std::string_view digits, std::initializer_list<int> weights) {
  int sum = 0;
  std::size_t position = 0;
  for (const int weight : weights) {
    if (position == digits.size()) break;
    sum += weight * DigitValue(digits[position++]);
  }
  return sum;
}

// Luhn's sum, doubling every second digit from the right, the rightmost undoubled: a number that
// ends in its Luhn check digit gives a multiple of 10.
int LuhnSum(std::string_view digits) {
  int sum = 0;
  bool doubled = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int value = DigitValue(*it);
    if (doubled) value = value * 2 > 9 ? value * 2 - 9 : value * 2;
    sum += value;
    doubled = !doubled;
  }
  return sum;
}

// ISO 7064 MOD 11,10 (Germany, Croatia); `digits` ends in its check digit.
bool IsValidIso7064Mod11Mod10(std::string_view digits) {
  int product = 10;
  for (std::size_t i = 0; i + 1 < digits.size(); ++i) {
    int sum = (DigitValue(digits[i]) + product) % 10;
    if (sum == 0) sum = 10;
    product = sum * 2 % 11;
  }
  return (11 - product) % 10 == DigitValue(digits.back());
}

NationalCheck CheckAt(std::string& number) {
  const std::string_view view = number;
  if (view.size() != 9 || view[0] != 'U' || !AllAsciiDigits(view.substr(1))) {
    return Malformed("expected U followed by 8 digits");
  }
  // Luhn over the 7 digits after the U, offset by 4.
  const int check = (6 - LuhnSum(view.substr(1, 7)) % 10 + 10) % 10;
  return CheckDigits(check == DigitValue(view[8]));
}

NationalCheck CheckBe(std::string& number) {
  // Numbers issued before 2003 had 9 digits; the enterprise number put a 0 in front.
  if (IsDigits(number, 9)) PrependZero(number);
  const std::string_view view = number;
  // The 0 series ran out in September 2023; new numbers start with 1.
  if (!IsDigits(view, 10) || (view[0] != '0' && view[0] != '1')) {
    return Malformed("expected 10 digits starting with 0 or 1");
  }
  return CheckDigits(97 - Mod(view.substr(0, 8), 97) == Number(view.substr(8)));
}

NationalCheck CheckBg(std::string& number) {
  const std::string_view view = number;
  if (!AllAsciiDigits(view) || (view.size() != 9 && view.size() != 10)) {
    return Malformed("expected 9 or 10 digits");
  }
  if (view.size() == 10) return FormatOnly();
  int sum = WeightedSum(view, {1, 2, 3, 4, 5, 6, 7, 8}) % 11;
  if (sum == 10) sum = WeightedSum(view, {3, 4, 5, 6, 7, 8, 9, 10}) % 11;
  return CheckDigits(sum % 10 == DigitValue(view[8]));
}

NationalCheck CheckCy(std::string& number) {
  const std::string_view view = number;
  if (view.size() != 9 || !AllAsciiDigits(view.substr(0, 8)) || !IsLetter(view[8])) {
    return Malformed("expected 8 digits followed by a check letter");
  }
  // Digits in odd places (first, third, ...) are recoded before summing.
  constexpr std::array<int, 10> kRecoded = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const int digit = DigitValue(view[i]);
    sum += i % 2 == 0 ? kRecoded[static_cast<std::size_t>(digit)] : digit;
  }
  return CheckDigits(view[8] == static_cast<char>('A' + sum % 26));
}

NationalCheck CheckCz(std::string& number) {
  const std::string_view view = number;
  if (!AllAsciiDigits(view) || view.size() < 8 || view.size() > 10) {
    return Malformed("expected 8, 9 or 10 digits");
  }
  if (view.size() == 9) return FormatOnly();
  if (view.size() == 10) {
    // A birth number: the first nine digits modulo 11, a remainder of 10 written as 0.
    return CheckDigits(Mod(view.substr(0, 9), 11) % 10 == DigitValue(view[9]));
  }
  // A legal entity: remainder 0 gives check digit 1, remainder 1 gives 0.
  const int remainder = WeightedSum(view, {8, 7, 6, 5, 4, 3, 2}) % 11;
  const int check = remainder == 0 ? 1 : (11 - remainder) % 10;
  return CheckDigits(check == DigitValue(view[7]));
}

NationalCheck CheckDe(std::string& number) {
  if (!IsDigits(number, 9) || number[0] == '0') {
    return Malformed("expected 9 digits, the first not 0");
  }
  return CheckDigits(IsValidIso7064Mod11Mod10(number));
}

NationalCheck CheckDk(std::string& number) {
  if (!IsDigits(number, 8) || number[0] == '0') {
    return Malformed("expected 8 digits, the first not 0");
  }
  return CheckDigits(WeightedSum(number, {2, 7, 6, 5, 4, 3, 2, 1}) % 11 == 0);
}

NationalCheck CheckEe(std::string& number) {
  if (!IsDigits(number, 9)) return Malformed("expected 9 digits");
  return CheckDigits(WeightedSum(number, {3, 7, 1, 3, 7, 1, 3, 7, 1}) % 10 == 0);
}

NationalCheck CheckEl(std::string& number) {
  // Older numbers had 8 digits; a leading 0 makes them current and leaves the check unchanged.
  if (IsDigits(number, 8)) PrependZero(number);
  if (!IsDigits(number, 9)) return Malformed("expected 9 digits");
  const int sum = WeightedSum(number, {256, 128, 64, 32, 16, 8, 4, 2});
  return CheckDigits(sum % 11 % 10 == DigitValue(number[8]));
}

NationalCheck CheckEs(std::string& number) {
  constexpr std::string_view kDniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  constexpr std::string_view kCifLetters = "JABCDEFGHI";
  const std::string_view view = number;
  if (view.size() != 9) return Malformed("expected 9 characters");
  const char first = view[0];
  const char last = view[8];
  const std::string_view middle = view.substr(1, 7);
  if (!AllAsciiDigits(middle)) {
    return Malformed("expected 7 digits between the first and last character");
  }
  if (IsAsciiDigit(first)) {
    // DNI, Spanish citizens: 8 digits and a letter.
    if (!IsLetter(last)) return Malformed("expected a letter after 8 digits");
    return CheckDigits(last == kDniLetters[static_cast<std::size_t>(Mod(view.substr(0, 8), 23))]);
  }
  if (first == 'X' || first == 'Y' || first == 'Z') {
    // NIE, resident foreigners: the letter stands for a leading 0, 1 or 2.
    if (!IsLetter(last)) return Malformed("expected a letter at the end");
    const std::string digits = static_cast<char>('0' + (first - 'X')) + std::string(middle);
    return CheckDigits(last == kDniLetters[static_cast<std::size_t>(Mod(digits, 23))]);
  }
  if (first == 'K' || first == 'L' || first == 'M') {
    if (!IsLetter(last)) return Malformed("expected a letter at the end");
    return FormatOnly();
  }
  if (std::string_view("ABCDEFGHJNPQRSUVW").find(first) != std::string_view::npos) {
    // CIF, legal entities: a Luhn-style digit, written as a digit or as a letter depending on the
    // kind of entity. Sources disagree on which kinds use which, so either is accepted.
    const int check = (10 - LuhnSum(std::string(middle) + "0") % 10) % 10;
    return CheckDigits(last == static_cast<char>('0' + check) ||
                       last == kCifLetters[static_cast<std::size_t>(check)]);
  }
  return Malformed("the first character is not a digit or a known letter");
}

NationalCheck CheckFi(std::string& number) {
  if (!IsDigits(number, 8)) return Malformed("expected 8 digits");
  return CheckDigits(WeightedSum(number, {7, 9, 10, 5, 8, 4, 2, 1}) % 11 == 0);
}

NationalCheck CheckFr(std::string& number) {
  // The letters I and O are never used in a key, so as not to be read as 1 and 0.
  constexpr std::string_view kKeyAlphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  const std::string_view view = number;
  if (view.size() != 11 || !AllAsciiDigits(view.substr(2))) {
    return Malformed("expected a 2-character key followed by the 9-digit SIREN");
  }
  if (IsAsciiDigit(view[0]) && IsAsciiDigit(view[1])) {
    return CheckDigits(Number(view.substr(0, 2)) == (12 + 3 * Mod(view.substr(2), 97)) % 97);
  }
  if (kKeyAlphabet.find(view[0]) == std::string_view::npos ||
      kKeyAlphabet.find(view[1]) == std::string_view::npos) {
    return Malformed("the key uses a character other than a digit or a letter except I and O");
  }
  return FormatOnly();
}

NationalCheck CheckHr(std::string& number) {
  if (!IsDigits(number, 11)) return Malformed("expected 11 digits");
  return CheckDigits(IsValidIso7064Mod11Mod10(number));
}

NationalCheck CheckHu(std::string& number) {
  if (!IsDigits(number, 8)) return Malformed("expected 8 digits");
  return CheckDigits(WeightedSum(number, {9, 7, 3, 1, 9, 7, 3, 1}) % 10 == 0);
}

NationalCheck CheckIe(std::string& number) {
  constexpr std::string_view kCheckLetters = "WABCDEFGHIJKLMNOPQRSTUV";
  const auto check_letter = [&](std::string_view seven_digits, int ninth_value) {
    const int sum = WeightedSum(seven_digits, {8, 7, 6, 5, 4, 3, 2}) + 9 * ninth_value;
    return kCheckLetters[static_cast<std::size_t>(sum % 23)];
  };
  const std::string_view view = number;
  if ((view.size() == 8 || view.size() == 9) && AllAsciiDigits(view.substr(0, 7)) &&
      IsLetter(view[7])) {
    // Since 2013 a ninth character (A to I, counting 1 to 9, or W, counting 0) enters the check.
    int ninth_value = 0;
    if (view.size() == 9) {
      if (view[8] >= 'A' && view[8] <= 'I') {
        ninth_value = view[8] - 'A' + 1;
      } else if (view[8] != 'W') {
        return Malformed("expected A to I or W after the check letter");
      }
    }
    return CheckDigits(view[7] == check_letter(view.substr(0, 7), ninth_value));
  }
  // The old form: digit, letter (or + or *), 5 digits, check letter. The check reads the digits
  // as 0, the five digits, then the first digit.
  if (view.size() == 8 && IsAsciiDigit(view[0]) &&
      (IsLetter(view[1]) || view[1] == '+' || view[1] == '*') &&
      AllAsciiDigits(view.substr(2, 5)) && IsLetter(view[7])) {
    char reordered[7] = {'0', view[2], view[3], view[4], view[5], view[6], view[0]};
    return CheckDigits(view[7] == check_letter(std::string_view(reordered, 7), 0));
  }
  return Malformed("expected 7 digits, a check letter and optionally A to I or W");
}

NationalCheck CheckIt(std::string& number) {
  if (!IsDigits(number, 11)) return Malformed("expected 11 digits");
  return CheckDigits(LuhnSum(number) % 10 == 0);
}

NationalCheck CheckLt(std::string& number) {
  const std::string_view view = number;
  if (!AllAsciiDigits(view) || (view.size() != 9 && view.size() != 12)) {
    return Malformed("expected 9 or 12 digits");
  }
  // Weights 1 to 9 repeating; a remainder of 10 retries with the weights shifted by two.
  const std::string_view body = view.substr(0, view.size() - 1);
  const auto weighted = [&](std::size_t shift) {
    int sum = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
      sum += static_cast<int>(1 + (i + shift) % 9) * DigitValue(body[i]);
    }
    return sum % 11;
  };
  int remainder = weighted(0);
  if (remainder == 10) remainder = weighted(2);
  return CheckDigits(remainder % 10 == DigitValue(view.back()));
}

NationalCheck CheckLu(std::string& number) {
  const std::string_view view = number;
  if (!IsDigits(view, 8)) return Malformed("expected 8 digits");
  return CheckDigits(Mod(view.substr(0, 6), 89) == Number(view.substr(6)));
}

NationalCheck CheckLv(std::string& number) {
  if (!IsDigits(number, 11)) return Malformed("expected 11 digits");
  // Legal entities start with 4 to 9; lower first digits are personal codes.
  if (number[0] <= '3') return FormatOnly();
  return CheckDigits(WeightedSum(number, {9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1}) % 11 == 3);
}

NationalCheck CheckMt(std::string& number) {
  if (!IsDigits(number, 8) || number[0] == '0') {
    return Malformed("expected 8 digits, the first not 0");
  }
  return CheckDigits(WeightedSum(number, {3, 4, 6, 7, 8, 9, 10, 1}) % 37 == 0);
}

NationalCheck CheckNl(std::string& number) {
  const std::string_view view = number;
  const std::size_t b = view.size() >= 3 ? view.size() - 3 : std::string_view::npos;
  if (b == std::string_view::npos || view[b] != 'B' || !IsDigits(view.substr(b + 1), 2) ||
      view.substr(b + 1) == "00" || b < 7 || b > 9 || !AllAsciiDigits(view.substr(0, b)) ||
      Number(view.substr(0, b)) == 0) {
    return Malformed("expected 9 digits, B and 2 digits (not 00)");
  }
  // Leading zeros are often left out; the mod 97 check needs them back.
  number.insert(0, 9 - b, '0');
  // Before 2020 the number held the owner's RSIN or BSN, checked by the "eleven test".
  const bool eleven_test =
      (WeightedSum(number, {9, 8, 7, 6, 5, 4, 3, 2}) - DigitValue(number[8])) % 11 == 0;
  // Since 2020 sole traders get numbers checked by ISO 7064 MOD 97-10 over "NL" and the whole
  // number, letters counting 10 to 35.
  int remainder = 0;
  for (const char c : "NL" + number) {
    remainder = IsLetter(c) ? (remainder * 100 + (c - 'A' + 10)) % 97
                            : (remainder * 10 + DigitValue(c)) % 97;
  }
  return CheckDigits(eleven_test || remainder == 1);
}

NationalCheck CheckPl(std::string& number) {
  if (!IsDigits(number, 10)) return Malformed("expected 10 digits");
  // A remainder of 10 matches no digit: such numbers are never issued.
  return CheckDigits(WeightedSum(number, {6, 5, 7, 2, 3, 4, 5, 6, 7}) % 11 ==
                     DigitValue(number[9]));
}

NationalCheck CheckPt(std::string& number) {
  if (!IsDigits(number, 9) || number[0] == '0') {
    return Malformed("expected 9 digits, the first not 0");
  }
  const int remainder = WeightedSum(number, {9, 8, 7, 6, 5, 4, 3, 2}) % 11;
  return CheckDigits((remainder < 2 ? 0 : 11 - remainder) == DigitValue(number[8]));
}

NationalCheck CheckRo(std::string& number) {
  const std::string_view view = number;
  if (!AllAsciiDigits(view) || view[0] == '0' ||
      !((view.size() >= 2 && view.size() <= 10) || view.size() == 13)) {
    return Malformed("expected 2 to 10 digits (13 for a personal number), the first not 0");
  }
  if (view.size() == 13) return FormatOnly();
  // The weights align to the right: pad the body to 9 digits.
  const std::string body =
      std::string(10 - view.size(), '0') + std::string(view.substr(0, view.size() - 1));
  const int check = WeightedSum(body, {7, 5, 3, 2, 1, 7, 5, 3, 2}) * 10 % 11 % 10;
  return CheckDigits(check == DigitValue(view.back()));
}

NationalCheck CheckSe(std::string& number) {
  const std::string_view view = number;
  if (!IsDigits(view, 12) || view.substr(10) != "01") {
    return Malformed("expected 10 digits followed by 01");
  }
  return CheckDigits(LuhnSum(view.substr(0, 10)) % 10 == 0);
}

NationalCheck CheckSi(std::string& number) {
  if (!IsDigits(number, 8) || number[0] == '0') {
    return Malformed("expected 8 digits, the first not 0");
  }
  // 11 would need two digits: such numbers are never issued. 10 is written as 0.
  const int check = 11 - WeightedSum(number, {8, 7, 6, 5, 4, 3, 2}) % 11;
  return CheckDigits(check != 11 && check % 10 == DigitValue(number[7]));
}

NationalCheck CheckSk(std::string& number) {
  if (!IsDigits(number, 10) || number[0] == '0') {
    return Malformed("expected 10 digits, the first not 0");
  }
  return CheckDigits(Mod(number, 11) == 0);
}

struct MemberState {
  std::string_view country;  // ISO 3166-1 alpha-2
  std::string_view prefix;   // VAT prefix; differs from the country code only for Greece
  NationalCheck (*check)(std::string& number);  // may pad `number` to its current full form
};

constexpr std::array<MemberState, 27> kMemberStates = {{
    {"AT", "AT", CheckAt}, {"BE", "BE", CheckBe}, {"BG", "BG", CheckBg}, {"CY", "CY", CheckCy},
    {"CZ", "CZ", CheckCz}, {"DE", "DE", CheckDe}, {"DK", "DK", CheckDk}, {"EE", "EE", CheckEe},
    {"ES", "ES", CheckEs}, {"FI", "FI", CheckFi}, {"FR", "FR", CheckFr}, {"GR", "EL", CheckEl},
    {"HR", "HR", CheckHr}, {"HU", "HU", CheckHu}, {"IE", "IE", CheckIe}, {"IT", "IT", CheckIt},
    {"LT", "LT", CheckLt}, {"LU", "LU", CheckLu}, {"LV", "LV", CheckLv}, {"MT", "MT", CheckMt},
    {"NL", "NL", CheckNl}, {"PL", "PL", CheckPl}, {"PT", "PT", CheckPt}, {"RO", "RO", CheckRo},
    {"SE", "SE", CheckSe}, {"SI", "SI", CheckSi}, {"SK", "SK", CheckSk},
}};

const MemberState* FindByCountry(std::string_view country) {
  for (const MemberState& state : kMemberStates) {
    if (state.country == country) return &state;
  }
  return nullptr;
}

// Greeks often write their ISO code, GR, instead of the VAT prefix EL; both mean Greece.
const MemberState* FindByPrefix(std::string_view prefix) {
  for (const MemberState& state : kMemberStates) {
    if (state.prefix == prefix || (state.country == "GR" && prefix == "GR")) return &state;
  }
  return nullptr;
}

VatIdCheck Invalid(std::string problem) {
  VatIdCheck result;
  result.problem = std::move(problem);
  return result;
}

NationalCheck CheckNational(const MemberState& state, std::string& number) {
  if (number.empty()) return Malformed("the number after the prefix is missing");
  return state.check(number);
}

}  // namespace

bool IsEuMemberState(std::string_view country) { return FindByCountry(country) != nullptr; }

VatIdCheck CheckVatId(std::string_view country, std::string_view vat_id) {
  const MemberState* state = FindByCountry(country);
  if (state == nullptr) {
    // Truncated: the caller's value is echoed into logs.
    std::string problem(country.substr(0, 8));
    problem += " is not the code of an EU member state";
    return Invalid(std::move(problem));
  }
  // Problems name the country but never repeat the number: for a sole trader it can be a
  // personal id (a Spanish DNI, a Czech birth number), which does not belong in logs.
  const std::string label = std::string(state->country) + " VAT number: ";

  // Anything longer is not a VAT number; the bound keeps the work per request small.
  constexpr std::size_t kMaxInputLength = 64;
  if (vat_id.size() > kMaxInputLength) return Invalid(label + "far too long");
  std::string cleaned;
  for (char c : vat_id) {
    if (c == ' ' || c == '\t' || c == '.' || c == '-' || c == '/') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    // Irish numbers of the old form may contain + or *.
    if (!IsAsciiDigit(c) && !IsLetter(c) && c != '+' && c != '*') {
      return Invalid(label + "contains a character other than letters, digits and separators");
    }
    cleaned += c;
  }
  if (cleaned.empty()) return Invalid(label + "empty");

  const std::string_view head = std::string_view(cleaned).substr(0, 2);
  const bool has_own_prefix = FindByPrefix(head) == state;
  if (!has_own_prefix && head.size() == 2 && IsLetter(head[0]) && IsLetter(head[1])) {
    // Checked before the national format on purpose: a French key may consist of two letters, but
    // a number that starts with another member state's prefix is far more likely a foreign
    // number. A French customer whose key is, say, "DE" can still type the FR prefix first.
    if (const MemberState* other = FindByPrefix(head); other != nullptr) {
      return Invalid(label + "starts with " + std::string(head) + ", the prefix of " +
                     std::string(other->country) + ", not " + std::string(state->prefix));
    }
  }

  // A leading "FR" is always read as the prefix, even where it could be a French key "FR": "FR"
  // and a bare SIREN (the key forgotten) is a far likelier input than that rare key typed without
  // its prefix, and such a customer can still type the number as printed, "FRFR...".
  std::string national = has_own_prefix ? cleaned.substr(2) : cleaned;
  const NationalCheck check = CheckNational(*state, national);
  if (!check.valid) return Invalid(label + check.problem);

  VatIdCheck result;
  result.valid = true;
  result.normalized = std::string(state->prefix) + national;
  result.check_digits_verified = check.check_digits_verified;
  return result;
}

}  // namespace codezero::domain
