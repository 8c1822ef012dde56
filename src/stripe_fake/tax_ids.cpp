#include "stripe_fake/tax_ids.h"

#include <algorithm>
#include <array>
#include <string>

#include "stripe_fake/ids.h"

namespace codezero::stripe_fake {
namespace {

// A selection of Stripe's types: the European ones and the larger markets. Enough to tell a
// known type from a typo; the real list is longer.
constexpr std::array<std::string_view, 24> kKnownTypes = {
    "eu_vat", "gb_vat", "ch_vat",     "ch_uid", "no_vat", "no_voec",    "is_vat", "li_uid",
    "li_vat", "de_stn", "eu_oss_vat", "us_ein", "ca_bn",  "ca_gst_hst", "au_abn", "au_arn",
    "nz_gst", "jp_cn",  "jp_trn",     "in_gst", "sg_uen", "za_vat",     "ae_trn", "tr_tin"};

// eu_vat: a member state's VAT prefix (Greece EL, Northern Ireland XI), then its number.
constexpr std::array<std::string_view, 28> kEuVatPrefixes = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpperAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z'); }

bool Digits(std::string_view text, std::size_t count) {
  return text.size() == count && std::all_of(text.begin(), text.end(), IsDigit);
}

bool WellFormed(std::string_view type, std::string_view value) {
  if (type == "eu_vat") {
    if (value.size() < 4 || value.size() > 15) return false;
    const std::string_view prefix = value.substr(0, 2);
    return std::find(kEuVatPrefixes.begin(), kEuVatPrefixes.end(), prefix) !=
               kEuVatPrefixes.end() &&
           std::all_of(value.begin() + 2, value.end(), IsUpperAlnum);
  }
  if (type == "gb_vat") {
    if (!value.starts_with("GB")) return false;
    const std::string_view rest = value.substr(2);
    return Digits(rest, 9) || Digits(rest, 12) ||
           ((rest.starts_with("GD") || rest.starts_with("HA")) && Digits(rest.substr(2), 3));
  }
  if (type == "ch_vat") {
    // CHE-123.456.789 MWST (or TVA, IVA, TPV)
    if (value.size() < 19 || !value.starts_with("CHE-")) return false;
    const std::string_view number = value.substr(4, 11);
    const bool grouped = Digits(number.substr(0, 3), 3) && number[3] == '.' &&
                         Digits(number.substr(4, 3), 3) && number[7] == '.' &&
                         Digits(number.substr(8, 3), 3);
    const std::string_view suffix = value.substr(15);
    return grouped &&
           (suffix == " MWST" || suffix == " TVA" || suffix == " IVA" || suffix == " TPV");
  }
  if (type == "no_vat")
    return value.size() == 12 && Digits(value.substr(0, 9), 9) && value.substr(9) == "MVA";
  return !value.empty();
}

}  // namespace

std::optional<StripeError> CheckTaxIdData(std::string_view param_prefix, std::string_view type,
                                          std::string_view value) {
  const std::string prefix(param_prefix);
  if (std::find(kKnownTypes.begin(), kKnownTypes.end(), type) == kKnownTypes.end()) {
    return InvalidParam(prefix + "[type]", "Invalid " + prefix + "[type]: must be one of " +
                                               "the tax ID types Stripe supports, not '" +
                                               std::string(type) + "'");
  }
  if (!WellFormed(type, value)) {
    StripeError error =
        InvalidParam(prefix + "[value]", "Invalid value for " + std::string(type) + ".");
    error.code = "tax_id_invalid";
    return error;
  }
  return std::nullopt;
}

boost::json::object NewTaxIdObject(const std::string& customer, const std::string& type,
                                   const std::string& value, std::int64_t now) {
  boost::json::object tax_id;
  tax_id["id"] = NewId("txi_");
  tax_id["object"] = "tax_id";
  tax_id["country"] =
      type == "eu_vat" || type == "gb_vat" ? boost::json::value(value.substr(0, 2)) : nullptr;
  tax_id["created"] = now;
  tax_id["customer"] =
      customer.empty() ? boost::json::value(nullptr) : boost::json::value(customer);
  tax_id["livemode"] = false;
  boost::json::object owner;
  owner["type"] = customer.empty() ? "self" : "customer";
  owner["account"] = nullptr;
  owner["application"] = nullptr;
  owner["customer"] = customer.empty() ? boost::json::value(nullptr) : boost::json::value(customer);
  tax_id["owner"] = std::move(owner);
  tax_id["type"] = type;
  tax_id["value"] = value;
  boost::json::object verification;
  verification["status"] = "unavailable";
  verification["verified_address"] = nullptr;
  verification["verified_name"] = nullptr;
  tax_id["verification"] = std::move(verification);
  return tax_id;
}

}  // namespace codezero::stripe_fake
