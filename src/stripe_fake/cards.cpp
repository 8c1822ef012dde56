#include "stripe_fake/cards.h"

#include <cctype>
#include <charconv>

namespace codezero::stripe_fake {
namespace {

std::string WithoutSpaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '-') out.push_back(c);
  }
  return out;
}

bool ParseNumber(std::string_view text, int& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string_view ToString(Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::kSucceeds:
      return "succeeds";
    case Behaviour::kGenericDecline:
      return "generic_decline";
    case Behaviour::kInsufficientFunds:
      return "insufficient_funds";
    case Behaviour::kFailsOffSession:
      return "fails_off_session";
    case Behaviour::kSepaSucceeds:
      return "sepa_succeeds";
    case Behaviour::kSepaFails:
      return "sepa_fails";
  }
  return "succeeds";
}

Behaviour BehaviourFromString(std::string_view text) {
  for (Behaviour behaviour :
       {Behaviour::kSucceeds, Behaviour::kGenericDecline, Behaviour::kInsufficientFunds,
        Behaviour::kFailsOffSession, Behaviour::kSepaSucceeds, Behaviour::kSepaFails}) {
    if (ToString(behaviour) == text) return behaviour;
  }
  return Behaviour::kSucceeds;
}

bool PassesLuhn(std::string_view digits) {
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int digit = *it - '0';
    if (double_it) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double_it = !double_it;
  }
  return !digits.empty() && sum % 10 == 0;
}

CardCheck CheckCard(std::string_view number, std::string_view expiry, std::string_view cvc,
                    int today_year, int today_month) {
  CardCheck check;
  check.number = WithoutSpaces(number);
  if (check.number.size() < 12 || check.number.size() > 19 || !PassesLuhn(check.number)) {
    check.code = "incorrect_number";
    check.message = "Your card number is incorrect.";
    return check;
  }
  const std::string exp = WithoutSpaces(expiry);
  const auto slash = exp.find('/');
  int month = 0;
  int year = 0;
  if (slash == std::string::npos || !ParseNumber(exp.substr(0, slash), month) ||
      !ParseNumber(exp.substr(slash + 1), year) || month < 1 || month > 12) {
    check.code = "invalid_expiry_month";
    check.message = "Your card's expiration date is incomplete.";
    return check;
  }
  if (year < 100) year += 2000;
  if (year < today_year || (year == today_year && month < today_month)) {
    check.code = "invalid_expiry_year";
    check.message = "Your card's expiration year is in the past.";
    return check;
  }
  const std::string code = WithoutSpaces(cvc);
  bool digits = code.size() == 3 || code.size() == 4;
  for (char c : code) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits) {
    check.code = "incorrect_cvc";
    check.message = "Your card's security code is incomplete.";
    return check;
  }
  if (check.number == "4242424242424242") {
    check.behaviour = Behaviour::kSucceeds;
  } else if (check.number == "4000000000000002") {
    check.behaviour = Behaviour::kGenericDecline;
  } else if (check.number == "4000000000009995") {
    check.behaviour = Behaviour::kInsufficientFunds;
  } else if (check.number == "4000000000000341") {
    check.behaviour = Behaviour::kFailsOffSession;
  } else {
    check.code = "card_declined";
    check.message =
        "Your card was declined. Your request was in test mode, but used a non test card.";
  }
  return check;
}

IbanCheck CheckIban(std::string_view iban) {
  IbanCheck check;
  for (char c : WithoutSpaces(iban)) {
    check.iban.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (check.iban == "DE89370400440532013000") {
    check.behaviour = Behaviour::kSepaSucceeds;
  } else if (check.iban == "DE62370400440532013001") {
    check.behaviour = Behaviour::kSepaFails;
  } else {
    check.message = "The IBAN you entered is invalid or is not a test IBAN.";
  }
  return check;
}

}  // namespace codezero::stripe_fake
