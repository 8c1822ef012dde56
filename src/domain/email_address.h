// Whether a text can be an e-mail address a person reads (not the full RFC 5322 grammar,
// which admits comments and quoted spaces no real mailbox uses): one '@', a local part of
// 1 to 64 printable characters without spaces, a domain with a dot, at most 254 in all.
#pragma once

#include <string>
#include <string_view>

namespace codezero::domain {

[[nodiscard]] bool IsPlausibleEmail(std::string_view address);

// Trimmed, with the domain lower-cased (the local part is the mailbox owner's business).
[[nodiscard]] std::string NormalizeEmail(std::string_view address);

// The address as the platform tells accounts apart: normalized, then case-folded as a whole
// (Unicode full case folding), at least as coarse as the citext `users.email` compares. Keys
// for anything counted per account (rate limits) use this form, so "Kim@…" and "kim@…" are one
// account there too.
[[nodiscard]] std::string CanonicalEmail(std::string_view address);

}  // namespace codezero::domain
