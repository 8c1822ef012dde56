#include "stripe/webhook_signature.h"

#include <charconv>
#include <vector>

#include "common/digest.h"

namespace codezero::stripe {
namespace {

std::string Sign(std::string_view secret, std::string_view timestamp, std::string_view payload) {
  std::string signed_payload;
  signed_payload.reserve(timestamp.size() + 1 + payload.size());
  signed_payload.append(timestamp).append(".").append(payload);
  const Sha256Digest mac = HmacSha256(secret, signed_payload);
  return ToHex(mac.data(), mac.size());
}

}  // namespace

std::string SignatureHeader(std::string_view secret, std::int64_t timestamp,
                            std::string_view payload) {
  const std::string t = std::to_string(timestamp);
  return "t=" + t + ",v1=" + Sign(secret, t, payload);
}

SignatureCheck VerifySignature(std::string_view header, std::string_view payload,
                               std::span<const std::string> secrets, std::int64_t now,
                               std::int64_t tolerance_seconds) {
  std::string_view timestamp;
  std::vector<std::string_view> v1;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const auto equals = item.find('=');
    if (equals == std::string_view::npos || equals == 0) return SignatureCheck::kMalformed;
    const std::string_view key = item.substr(0, equals);
    const std::string_view value = item.substr(equals + 1);
    if (key == "t") {
      timestamp = value;
    } else if (key == "v1") {
      v1.push_back(value);
    }
  }
  std::int64_t signed_at = 0;
  const auto [end, error] =
      std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), signed_at);
  if (timestamp.empty() || error != std::errc() || end != timestamp.data() + timestamp.size()) {
    return SignatureCheck::kMalformed;
  }
  if (v1.empty()) return SignatureCheck::kNoV1Signature;

  bool matched = false;
  for (const std::string& secret : secrets) {
    const std::string expected = Sign(secret, timestamp, payload);
    for (const std::string_view candidate : v1) {
      // Every pair is compared (no early exit), so timing tells nothing about which matched.
      matched = ConstantTimeEquals(expected, candidate) || matched;
    }
  }
  if (!matched) return SignatureCheck::kMismatch;
  const std::int64_t skew = now > signed_at ? now - signed_at : signed_at - now;
  if (skew > tolerance_seconds) return SignatureCheck::kOutsideTolerance;
  return SignatureCheck::kValid;
}

std::string_view ToString(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::kValid:
      return "valid";
    case SignatureCheck::kMalformed:
      return "malformed";
    case SignatureCheck::kNoV1Signature:
      return "no_v1_signature";
    case SignatureCheck::kMismatch:
      return "mismatch";
    case SignatureCheck::kOutsideTolerance:
      return "outside_tolerance";
  }
  return "unknown";
}

}  // namespace codezero::stripe
