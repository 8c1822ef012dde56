// Stripe's form encoding (src/stripe/form_encoding.h): any body decodes or is refused without a
// crash, and encoding fields then decoding each part gives the fields back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "stripe/form_encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)codezero::stripe::DecodeForm(input);
  (void)codezero::stripe::FormDecodeComponent(input);

  // Round trip: the input split into a key and a value.
  const std::size_t split = input.find('\n');
  const std::string key(input.substr(0, split));
  const std::string value(split == std::string_view::npos ? "" : input.substr(split + 1));
  const std::string encoded = codezero::stripe::FormEncode({{key, value}});
  const std::size_t equals = encoded.find('=');
  if (equals == std::string::npos) __builtin_trap();
  const auto decoded_key = codezero::stripe::FormDecodeComponent(encoded.substr(0, equals));
  const auto decoded_value = codezero::stripe::FormDecodeComponent(encoded.substr(equals + 1));
  if (!decoded_key || *decoded_key != key || !decoded_value || *decoded_value != value) {
    __builtin_trap();
  }
  return 0;
}
