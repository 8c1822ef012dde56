// Referrals' rules, apart from where their facts come from (billing/referrals.h gathers them):
// the code a company gets, and whether a paid order placed with it earns its referrer a credit.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace codezero::domain {

// "CZ-7KQ4": four characters of an alphabet without look-alikes (no 0/O, 1/I/L), from
// `random_bytes` (each byte picks one; at least 4). About 850,000 codes; the database refuses
// a duplicate and the caller draws again.
[[nodiscard]] std::string ReferralCodeFrom(std::span<const unsigned char> random_bytes);

// What is known about a redemption when the referee's first invoice is paid.
struct ReferralFacts {
  bool same_company = false;
  bool referrer_closed = false;
  bool same_customer = false;         // one Stripe customer for both
  bool same_vat_id = false;           // both have one, and it is the same
  bool shared_email_domain = false;   // a verified address of each at one non-public domain
  bool referrer_is_customer = false;  // the referrer has a Stripe customer to credit
  int credits_this_month = 0;         // the referrer's redemptions held or credited this month
  int monthly_limit = 0;
};

// The reason the redemption earns nothing ("same_company", "referrer_closed", "same_customer",
// "same_vat_id", "same_email_domain", "referrer_not_customer", "monthly_limit"), the first
// that applies in that order; nullopt when it is held for its credit.
[[nodiscard]] std::optional<std::string_view> ReferralRefusal(const ReferralFacts& facts);

// An e-mail domain anyone can have an address at (gmail.com, gmx.de, …): sharing one proves
// nothing about two companies being one.
[[nodiscard]] bool IsPublicMailDomain(std::string_view domain);

}  // namespace codezero::domain
