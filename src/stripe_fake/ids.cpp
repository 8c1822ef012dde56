#include "stripe_fake/ids.h"

#include <cstddef>
#include <vector>

#include "common/random.h"

namespace codezero::stripe_fake {
namespace {

std::string RandomFrom(std::string_view alphabet, std::size_t length) {
  std::vector<std::byte> bytes(length);
  SecureRandomBytes(bytes);
  std::string out;
  out.reserve(length);
  // Bytes at or above the largest multiple of the alphabet size are skipped: no modulo bias.
  const std::size_t limit = 256 - 256 % alphabet.size();
  for (std::size_t i = 0; out.size() < length; ++i) {
    if (i == bytes.size()) {
      SecureRandomBytes(bytes);
      i = 0;
    }
    const auto value = static_cast<std::size_t>(bytes[i]);
    if (value < limit) out.push_back(alphabet[value % alphabet.size()]);
  }
  return out;
}

}  // namespace

std::string RandomAlphanumeric(std::size_t length) {
  return RandomFrom("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", length);
}

std::string NewId(std::string_view prefix) { return std::string(prefix) + RandomAlphanumeric(24); }

std::string NewStripeRequestId() { return "req_" + RandomAlphanumeric(14); }

std::string NewInvoicePrefix() { return RandomFrom("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8); }

}  // namespace codezero::stripe_fake
