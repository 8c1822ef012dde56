// Cron expressions for periodic jobs, always in UTC: five fields (minute, hour, day of month,
// month, day of week 0-7 with 0 and 7 Sunday), each `*`, a number, a range `a-b`, a step `*/n`
// or `a-b/n`, or a comma list of those. As in Vixie cron, when both day fields are restricted
// a day matching either runs. "@hourly", "@daily", "@weekly", "@monthly" are shorthands.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace codezero::worker {

class CronSchedule {
 public:
  // kBadRequest with what is wrong.
  [[nodiscard]] static Result<CronSchedule> Parse(std::string_view expression);

  // The first minute strictly after `after` that matches (within the next five years), else
  // nullopt (e.g. "0 0 30 2 *").
  [[nodiscard]] std::optional<std::chrono::sys_seconds> Next(std::chrono::sys_seconds after) const;

 private:
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1-31
  std::bitset<13> months_;   // 1-12
  std::bitset<7> weekdays_;  // 0-6, Sunday 0
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

}  // namespace codezero::worker
