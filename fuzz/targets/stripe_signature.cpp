// The Stripe-Signature header parser and checker (src/stripe/webhook_signature.h): any header
// over any payload is judged without a crash, and a header made by SignatureHeader for the
// payload is always valid.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stripe/webhook_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\n');
  const std::string_view header = input.substr(0, split);
  const std::string_view payload = split == std::string_view::npos ? "" : input.substr(split + 1);
  const std::vector<std::string> secrets{"whsec_fuzz_secret", "whsec_second"};
  constexpr std::int64_t kNow = 1'700'000'000;
  (void)codezero::stripe::VerifySignature(header, payload, secrets, kNow);
  const std::string made = codezero::stripe::SignatureHeader(secrets[1], kNow, payload);
  if (codezero::stripe::VerifySignature(made, payload, secrets, kNow) !=
      codezero::stripe::SignatureCheck::kValid) {
    __builtin_trap();
  }
  return 0;
}
