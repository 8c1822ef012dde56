#include "domain/quote_token.h"

#include <sodium.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "common/digest.h"
#include "common/json_writer.h"

namespace codezero::domain {
namespace {

constexpr int kPayloadFormat = 1;
constexpr std::string_view kSealedPrefix = "q2.";
constexpr std::string_view kInvalid = "This quote does not exist or was altered.";

using AeadKey = std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>;

// The AEAD key of a secret: BLAKE2b of the secret, keyed with this purpose, so the same setting
// can never yield the same key for anything else.
AeadKey DeriveKey(std::string_view secret) {
  static constexpr std::string_view kPurpose = "codezero quote token q2";
  AeadKey key;
  crypto_generichash(key.data(), key.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), reinterpret_cast<const unsigned char*>(kPurpose.data()),
                     kPurpose.size());
  return key;
}

// The key of the secret this thread used last: quotes are sealed with one secret all day, and
// BLAKE2b per quote would be a measurable share of the quote path.
const AeadKey& KeyOf(std::string_view secret) {
  thread_local std::string last_secret;
  thread_local AeadKey last_key{};
  if (last_secret != secret) {
    last_key = DeriveKey(secret);
    last_secret = std::string(secret);
  }
  return last_key;
}

// A nonce no other token gets: 16 random bytes drawn once per thread, then a counter. XChaCha20
// needs nonces that never repeat under a key, not unpredictable ones, and this costs no system
// call per quote (randombytes_buf would make one each time).
void NextNonce(unsigned char* nonce) {
  static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == 24);
  thread_local std::array<unsigned char, 16> prefix = [] {
    std::array<unsigned char, 16> random{};
    randombytes_buf(random.data(), random.size());
    return random;
  }();
  thread_local std::uint64_t counter = 0;
  ++counter;
  std::memcpy(nonce, prefix.data(), prefix.size());
  std::memcpy(nonce + prefix.size(), &counter, sizeof counter);
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string Mac(std::string_view key, std::string_view data) {
  const Sha256Digest mac = HmacSha256(key, data);
  return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
}

void OptionalString(JsonWriter& json, const std::optional<std::string>& value) {
  if (value) {
    json.String(*value);
  } else {
    json.Null();
  }
}

std::string Payload(const QuoteToken& token) {
  const QuoteRequest& request = token.request;
  JsonWriter json(256);
  json.BeginObject();
  json.Member("f", kPayloadFormat);
  json.Member("cv", token.catalog_version);
  json.Member("p", request.plan);
  json.Member("i", ToString(request.interval));
  json.Key("a");
  json.BeginArray();
  for (const AddonSelection& addon : request.addons) {
    json.BeginArray();
    json.String(addon.code);
    json.Int(addon.quantity);
    json.EndArray();
  }
  json.EndArray();
  json.Member("cur", request.currency);
  json.Key("c");
  json.BeginArray();
  json.String(request.customer.country);
  json.String(ToString(request.customer.type));
  OptionalString(json, request.customer.vat_id);
  json.EndArray();
  json.Key("cp");
  OptionalString(json, request.coupon);
  json.Key("rc");
  OptionalString(json, request.referral_code);
  json.Member("l", ToString(request.locale));
  json.Key("d");
  if (token.discount) {
    json.BeginArray();
    json.String(ToString(token.discount->kind));
    json.String(token.discount->code);
    json.Int(token.discount->percent_off_bps);
    json.EndArray();
  } else {
    json.Null();
  }
  json.Key("t");
  json.BeginArray();
  json.String(ToString(token.tax.treatment));
  json.String(token.tax.country);
  json.Int(token.tax.rate_bps);
  json.Bool(token.tax.vat_id_unconfirmed);
  if (token.tax.vat_id_not_asked) json.Bool(true);  // absent in tokens written before it
  json.EndArray();
  // Later additions are members that are left out when empty, so older tokens still read.
  if (!token.tax.territory.empty()) json.Member("tt", token.tax.territory);
  if (request.customer.postal_code) json.Member("pc", *request.customer.postal_code);
  json.Member("iat", token.issued_at);
  json.Member("exp", token.expires_at);
  json.EndObject();
  return std::move(json).Take();
}

// Reads a payload this code wrote; nullopt when anything is off.
std::optional<QuoteToken> ReadPayload(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  try {
    const boost::json::object& p = value.get_object();
    if (p.at("f").as_int64() != kPayloadFormat) return std::nullopt;
    QuoteToken token;
    QuoteRequest& request = token.request;
    token.catalog_version = static_cast<int>(p.at("cv").as_int64());
    request.plan = std::string(p.at("p").as_string());
    const auto interval = ParseInterval(p.at("i").as_string());
    const auto locale = ParseLocale(p.at("l").as_string());
    if (!interval || !locale) return std::nullopt;
    request.interval = *interval;
    request.locale = *locale;
    for (const auto& addon : p.at("a").as_array()) {
      const auto& pair = addon.as_array();
      request.addons.push_back({std::string(pair.at(0).as_string()), pair.at(1).as_int64()});
    }
    request.currency = std::string(p.at("cur").as_string());
    const auto& customer = p.at("c").as_array();
    request.customer.country = std::string(customer.at(0).as_string());
    const auto type = ParseCustomerType(customer.at(1).as_string());
    if (!type) return std::nullopt;
    request.customer.type = *type;
    if (!customer.at(2).is_null())
      request.customer.vat_id = std::string(customer.at(2).as_string());
    if (!p.at("cp").is_null()) request.coupon = std::string(p.at("cp").as_string());
    if (!p.at("rc").is_null()) request.referral_code = std::string(p.at("rc").as_string());
    if (!p.at("d").is_null()) {
      const auto& d = p.at("d").as_array();
      const auto kind = ParseDiscountKind(d.at(0).as_string());
      if (!kind) return std::nullopt;
      token.discount =
          Discount{*kind, std::string(d.at(1).as_string()), static_cast<int>(d.at(2).as_int64())};
    }
    const auto& tax = p.at("t").as_array();
    const auto treatment = ParseTaxTreatment(tax.at(0).as_string());
    if (!treatment) return std::nullopt;
    token.tax = TaxDecision{*treatment, std::string(tax.at(1).as_string()),
                            static_cast<int>(tax.at(2).as_int64()), tax.at(3).as_bool(),
                            tax.size() > 4 && tax.at(4).as_bool()};
    if (const auto* territory = p.if_contains("tt")) {
      token.tax.territory = std::string(territory->as_string());
    }
    if (const auto* postal_code = p.if_contains("pc")) {
      request.customer.postal_code = std::string(postal_code->as_string());
    }
    token.issued_at = p.at("iat").as_int64();
    token.expires_at = p.at("exp").as_int64();
    return token;
  } catch (const std::exception&) {
    return std::nullopt;  // a well-signed payload of another shape: treat as invalid
  }
}

// The payload of a sealed token ("q2." + base64url(nonce, ciphertext and tag)) if one of the
// keys opens it.
std::optional<std::string> OpenSealed(std::string_view token, std::span<const std::string> keys) {
  const auto sealed = Base64UrlDecode(token.substr(kSealedPrefix.size()));
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (!sealed || sealed->size() < kNonce + kTag) return std::nullopt;
  const std::string_view nonce = std::string_view(*sealed).substr(0, kNonce);
  const std::string_view ciphertext = std::string_view(*sealed).substr(kNonce);
  std::string payload(ciphertext.size() - kTag, '\0');
  for (const std::string& secret : keys) {
    const AeadKey& key = KeyOf(secret);
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(payload.data()), &length, nullptr, Bytes(ciphertext),
            ciphertext.size(), Bytes(kSealedPrefix), kSealedPrefix.size(), Bytes(nonce),
            key.data()) == 0) {
      payload.resize(length);
      return payload;
    }
  }
  return std::nullopt;
}

// The payload of a token in the first format (readable, HMAC-signed), if one of the keys signed
// it. Accepted only so that quotes issued before the sealed format stay valid for their seven
// days; nothing issues this format any more.
std::optional<std::string> OpenSigned(std::string_view token, std::span<const std::string> keys) {
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view encoded_payload = token.substr(0, dot);
  const auto mac = Base64UrlDecode(token.substr(dot + 1));
  auto payload = Base64UrlDecode(encoded_payload);
  if (!mac || !payload) return std::nullopt;
  for (const std::string& key : keys) {
    if (ConstantTimeEquals(Mac(key, encoded_payload), *mac)) return payload;
  }
  return std::nullopt;
}

}  // namespace

SealedQuote SealQuote(const QuoteToken& token, std::string_view key) {
  static const bool initialised = sodium_init() >= 0;  // once: sodium_init takes a lock
  if (!initialised) throw std::runtime_error("libsodium failed to initialise");
  const std::string payload = Payload(token);
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  std::string sealed(kNonce + payload.size() + kTag, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  NextNonce(out);
  const AeadKey& aead_key = KeyOf(key);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonce, &length, Bytes(payload), payload.size(),
                                             Bytes(kSealedPrefix), kSealedPrefix.size(), nullptr,
                                             out, aead_key.data());
  sealed.resize(kNonce + length);
  // The id QuoteIdOf reads back from the token's tail: the first 12 bytes of the tag.
  SealedQuote result;
  result.id = "qt_" + ToHex(out + kNonce + length - kTag, 12);
  result.token = std::string(kSealedPrefix) + Base64UrlEncode(sealed);
  return result;
}

std::string SealQuoteToken(const QuoteToken& token, std::string_view key) {
  return SealQuote(token, key).token;
}

Result<QuoteToken> OpenQuoteToken(std::string_view token, std::span<const std::string> keys,
                                  std::int64_t now) {
  if (token.size() > 4096) return Fail(ErrorCode::kNotFound, std::string(kInvalid));
  const std::optional<std::string> payload =
      token.starts_with(kSealedPrefix) ? OpenSealed(token, keys) : OpenSigned(token, keys);
  if (!payload) return Fail(ErrorCode::kNotFound, std::string(kInvalid));
  auto parsed = ReadPayload(*payload);
  if (!parsed) return Fail(ErrorCode::kNotFound, std::string(kInvalid));
  if (parsed->expires_at <= now) {
    return Fail(ErrorCode::kGone, "This quote has expired; please configure your plan again.");
  }
  return std::move(*parsed);
}

std::string QuoteIdOf(std::string_view token) {
  // A sealed token ends in its authentication tag, and a signed one in its signature: both are
  // keyed hashes of the whole quote, whose first 12 bytes name it.
  std::optional<std::string> keyed_hash;
  if (token.starts_with(kSealedPrefix)) {
    // Only the tag is needed: decode from the 4-character group that holds its first byte
    // (decoding the whole token was a tenth of a quote's time, bench/http).
    const std::string_view text = token.substr(kSealedPrefix.size());
    const std::size_t rest = text.size() % 4;
    const std::size_t bytes = text.size() / 4 * 3 + (rest == 0 ? 0 : rest - 1);
    constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (rest != 1 && bytes >= kTag) {
      const std::size_t group = (bytes - kTag) / 3;
      const auto tail = Base64UrlDecode(text.substr(group * 4));
      if (tail && tail->size() >= kTag) keyed_hash = tail->substr(tail->size() - kTag);
    }
  } else if (const std::size_t dot = token.find('.'); dot != std::string_view::npos) {
    keyed_hash = Base64UrlDecode(token.substr(dot + 1));
  }
  if (keyed_hash && keyed_hash->size() >= 12) {
    return "qt_" + ToHex(reinterpret_cast<const std::uint8_t*>(keyed_hash->data()), 12);
  }
  const Sha256Digest digest = Sha256(token);
  return "qt_" + ToHex(digest.data(), 12);
}

}  // namespace codezero::domain
