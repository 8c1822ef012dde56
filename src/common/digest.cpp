#include "common/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace codezero {
namespace {

constexpr std::size_t kBlockSize = 64;
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const EVP_MD* Sha256Algorithm() {
  static EVP_MD* const kAlgorithm = [] {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
    return md;
  }();
  return kAlgorithm;
}

struct ContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

EVP_MD_CTX* ThreadContext() {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(EVP_MD_CTX_new());
  return context.get();
}

// H(prefix || data)
Sha256Digest HashTwo(const std::uint8_t* prefix, std::size_t prefix_size, std::string_view data) {
  EVP_MD_CTX* context = ThreadContext();
  Sha256Digest digest;
  unsigned int length = 0;
  EVP_DigestInit_ex(context, Sha256Algorithm(), nullptr);
  EVP_DigestUpdate(context, prefix, prefix_size);
  EVP_DigestUpdate(context, data.data(), data.size());
  EVP_DigestFinal_ex(context, digest.data(), &length);
  return digest;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

Sha256Digest Sha256(std::string_view data) { return HashTwo(nullptr, 0, data); }

Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  std::uint8_t block[kBlockSize] = {};
  if (key.size() > kBlockSize) {
    const Sha256Digest hashed = Sha256(key);
    std::memcpy(block, hashed.data(), hashed.size());
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  std::uint8_t inner_pad[kBlockSize];
  std::uint8_t outer_pad[kBlockSize + 32];
  for (std::size_t i = 0; i < kBlockSize; ++i) {
    inner_pad[i] = static_cast<std::uint8_t>(block[i] ^ 0x36);
    outer_pad[i] = static_cast<std::uint8_t>(block[i] ^ 0x5c);
  }
  const Sha256Digest inner = HashTwo(inner_pad, kBlockSize, data);
  std::memcpy(outer_pad + kBlockSize, inner.data(), inner.size());
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(inner_pad, sizeof inner_pad);
  const Sha256Digest mac =
      Sha256(std::string_view(reinterpret_cast<const char*>(outer_pad), sizeof outer_pad));
  OPENSSL_cleanse(outer_pad, sizeof outer_pad);
  return mac;
}

std::string ToHex(const std::uint8_t* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    hex[2 * i] = kHex[data[i] >> 4];
    hex[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return hex;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out((bytes.size() / 3) * 4, '\0');
  const auto* in = reinterpret_cast<const std::uint8_t*>(bytes.data());
  char* cursor = out.data();
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t triple = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    cursor[0] = kBase64Url[(triple >> 18) & 63];
    cursor[1] = kBase64Url[(triple >> 12) & 63];
    cursor[2] = kBase64Url[(triple >> 6) & 63];
    cursor[3] = kBase64Url[triple & 63];
    cursor += 4;
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t triple = in[i] << 16;
    out.push_back(kBase64Url[(triple >> 18) & 63]);
    out.push_back(kBase64Url[(triple >> 12) & 63]);
  } else if (rest == 2) {
    const std::uint32_t triple = (in[i] << 16) | (in[i + 1] << 8);
    out.push_back(kBase64Url[(triple >> 18) & 63]);
    out.push_back(kBase64Url[(triple >> 12) & 63]);
    out.push_back(kBase64Url[(triple >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    const int value = Base64Value(c);
    if (value < 0) return std::nullopt;
    accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xff));
    }
  }
  // Canonical: the bits left over must be zero (otherwise two texts decode alike).
  if (bits > 0 && (accumulator & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace codezero
