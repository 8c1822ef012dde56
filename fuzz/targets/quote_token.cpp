// Quote tokens (src/domain/quote_token.h): any text, mutated from real tokens in the corpus, is
// opened or refused without a crash or a sanitizer finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/quote_token.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const std::vector<std::string> keys{"fuzz-quote-key-fuzz-quote-key-0123456789",
                                             "fuzz-previous-key-fuzz-previous-key-0123"};
  constexpr std::int64_t kNow = 1'700'000'000;
  (void)codezero::domain::OpenQuoteToken(input, keys, kNow);
  (void)codezero::domain::QuoteIdOf(input);
  return 0;
}
