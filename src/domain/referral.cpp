#include "domain/referral.h"

#include <array>

namespace codezero::domain {
namespace {

constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

// The largest free-mail providers in Germany and worldwide.
constexpr std::array<std::string_view, 22> kPublicDomains{
    "aol.com",   "freenet.de",     "gmail.com",   "gmx.at",      "gmx.ch",     "gmx.de",
    "gmx.net",   "googlemail.com", "hotmail.com", "hotmail.de",  "icloud.com", "live.com",
    "mail.de",   "mailbox.org",    "me.com",      "outlook.com", "outlook.de", "posteo.de",
    "proton.me", "protonmail.com", "t-online.de", "web.de"};

}  // namespace

std::string ReferralCodeFrom(std::span<const unsigned char> random_bytes) {
  std::string code = "CZ-";
  for (std::size_t i = 0; i < 4 && i < random_bytes.size(); ++i) {
    code.push_back(kAlphabet[random_bytes[i] % kAlphabet.size()]);
  }
  return code;
}

std::optional<std::string_view> ReferralRefusal(const ReferralFacts& facts) {
  if (facts.same_company) return "same_company";
  if (facts.referrer_closed) return "referrer_closed";
  if (facts.same_customer) return "same_customer";
  if (facts.same_vat_id) return "same_vat_id";
  if (facts.shared_email_domain) return "same_email_domain";
  if (!facts.referrer_is_customer) return "referrer_not_customer";
  if (facts.credits_this_month >= facts.monthly_limit) return "monthly_limit";
  return std::nullopt;
}

bool IsPublicMailDomain(std::string_view domain) {
  for (const std::string_view known : kPublicDomains) {
    if (known == domain) return true;
  }
  return false;
}

}  // namespace codezero::domain
