// The standard VAT rates of the EU member states, each valid from a date until the next entry
// for its country (catalog/vat-rates.json, compiled into the binary). A rate change is a new
// line in that file, not a code change.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace codezero::domain {

class VatRates {
 public:
  [[nodiscard]] static Result<VatRates> Parse(std::string_view json);

  // The standard rate (basis points) in `country` on `day`; nullopt for a country the table
  // does not list or a day before its first entry.
  [[nodiscard]] std::optional<int> StandardRate(std::string_view country,
                                                std::chrono::sys_days day) const;

 private:
  struct Entry {
    std::string country;
    int rate_bps = 0;
    std::chrono::sys_days from;
  };
  std::vector<Entry> entries_;  // sorted by country, then date
};

// The table compiled into this binary. Throws std::logic_error if it is malformed (a build
// defect, caught by the unit tests).
[[nodiscard]] const VatRates& EmbeddedVatRates();

// "2026-11-26" -> a day; nullopt when malformed.
[[nodiscard]] std::optional<std::chrono::sys_days> ParseIsoDate(std::string_view text);

}  // namespace codezero::domain
