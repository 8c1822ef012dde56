// The test cards and IBANs the hosted pages accept, and what each does:
//   4242 4242 4242 4242  succeeds
//   4000 0000 0000 0002  declined: card_declined / generic_decline
//   4000 0000 0000 9995  declined: card_declined / insufficient_funds
//   4000 0000 0000 0341  the first payment succeeds; every later (off-session) charge fails
//   DE89370400440532013000  SEPA debit that succeeds after the settlement delay
//   DE62370400440532013001  SEPA debit that fails after the settlement delay
// Spaces are ignored. Pure logic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace codezero::stripe_fake {

enum class Behaviour {
  kSucceeds,
  kGenericDecline,
  kInsufficientFunds,
  kFailsOffSession,
  kSepaSucceeds,
  kSepaFails,
};

[[nodiscard]] std::string_view ToString(Behaviour behaviour);
[[nodiscard]] Behaviour BehaviourFromString(std::string_view text);

struct CardCheck {
  std::optional<Behaviour> behaviour;  // nullopt: rejected, see `code` and `message`
  std::string number;                  // digits only
  std::string code;                    // incorrect_number, invalid_expiry_year, ...
  std::string message;
};

// `expiry` is "MM/YY" or "MM/YYYY"; `today_year`/`today_month` the current date.
[[nodiscard]] CardCheck CheckCard(std::string_view number, std::string_view expiry,
                                  std::string_view cvc, int today_year, int today_month);

struct IbanCheck {
  std::optional<Behaviour> behaviour;
  std::string iban;  // upper case, no spaces
  std::string message;
};

[[nodiscard]] IbanCheck CheckIban(std::string_view iban);

[[nodiscard]] bool PassesLuhn(std::string_view digits);

}  // namespace codezero::stripe_fake
