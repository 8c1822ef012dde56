#include "worker/cron.h"

#include <charconv>
#include <vector>

namespace codezero::worker {
namespace {

Result<int> Number(std::string_view text, int min, int max, std::string_view field) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return Fail(ErrorCode::kBadRequest, "cron " + std::string(field) + ": \"" + std::string(text) +
                                            "\" is not a number from " + std::to_string(min) +
                                            " to " + std::to_string(max));
  }
  return value;
}

// Sets the bits a field selects; `restricted` tells whether it was anything but `*`.
template <std::size_t N>
Result<void> ParseField(std::string_view text, int min, int max, std::string_view name,
                        std::bitset<N>& bits, bool& restricted) {
  restricted = text != "*";
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
      auto parsed = Number(item.substr(slash + 1), 1, max, name);
      if (!parsed) return tl::unexpected(parsed.error());
      step = *parsed;
      item = item.substr(0, slash);
    }
    int low = min;
    int high = max;
    if (item != "*") {
      const auto dash = item.find('-');
      auto first = Number(item.substr(0, dash), min, max, name);
      if (!first) return tl::unexpected(first.error());
      low = high = *first;
      if (dash != std::string_view::npos) {
        auto last = Number(item.substr(dash + 1), min, max, name);
        if (!last) return tl::unexpected(last.error());
        high = *last;
      } else if (step != 1) {
        high = max;  // "5/15": from 5 on, every 15
      }
      if (low > high)
        return Fail(ErrorCode::kBadRequest, "cron " + std::string(name) + ": empty range");
    }
    for (int value = low; value <= high; value += step) bits.set(static_cast<std::size_t>(value));
  }
  return {};
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view expression) {
  if (expression == "@hourly") expression = "0 * * * *";
  if (expression == "@daily") expression = "0 0 * * *";
  if (expression == "@weekly") expression = "0 0 * * 0";
  if (expression == "@monthly") expression = "0 0 1 * *";
  std::vector<std::string_view> fields;
  while (!expression.empty()) {
    while (!expression.empty() && expression.front() == ' ') expression.remove_prefix(1);
    const auto space = expression.find(' ');
    if (!expression.empty()) fields.push_back(expression.substr(0, space));
    expression = space == std::string_view::npos ? std::string_view() : expression.substr(space);
  }
  if (fields.size() != 5) {
    return Fail(ErrorCode::kBadRequest, "a cron expression has five fields");
  }
  CronSchedule schedule;
  bool ignored = false;
  std::bitset<8> weekdays;
  if (auto r = ParseField(fields[0], 0, 59, "minute", schedule.minutes_, ignored); !r)
    return tl::unexpected(r.error());
  if (auto r = ParseField(fields[1], 0, 23, "hour", schedule.hours_, ignored); !r)
    return tl::unexpected(r.error());
  if (auto r =
          ParseField(fields[2], 1, 31, "day of month", schedule.days_, schedule.days_restricted_);
      !r)
    return tl::unexpected(r.error());
  if (auto r = ParseField(fields[3], 1, 12, "month", schedule.months_, ignored); !r)
    return tl::unexpected(r.error());
  if (auto r = ParseField(fields[4], 0, 7, "day of week", weekdays, schedule.weekdays_restricted_);
      !r)
    return tl::unexpected(r.error());
  for (std::size_t day = 0; day < 7; ++day) schedule.weekdays_[day] = weekdays[day];
  if (weekdays[7]) schedule.weekdays_.set(0);
  return schedule;
}

std::optional<std::chrono::sys_seconds> CronSchedule::Next(std::chrono::sys_seconds after) const {
  using namespace std::chrono;
  using sys_minutes = time_point<system_clock, minutes>;
  sys_minutes minute = floor<minutes>(after) + minutes(1);
  const sys_minutes limit = minute + days(5 * 366);
  while (minute < limit) {
    const sys_days day = floor<days>(minute);
    const year_month_day date(day);
    const unsigned month = static_cast<unsigned>(date.month());
    const unsigned month_day = static_cast<unsigned>(date.day());
    const unsigned day_of_week = std::chrono::weekday(day).c_encoding();
    const bool day_ok = (days_restricted_ && weekdays_restricted_)
                            ? (days_[month_day] || weekdays_[day_of_week])
                            : (days_[month_day] && weekdays_[day_of_week]);
    if (!months_[month] || !day_ok) {
      minute = day + days(1);
      continue;
    }
    const hh_mm_ss time(minute - day);
    const auto hour = static_cast<std::size_t>(time.hours().count());
    if (!hours_[hour]) {
      minute = day + hours(hour + 1);
      continue;
    }
    if (!minutes_[static_cast<std::size_t>(time.minutes().count())]) {
      minute += minutes(1);
      continue;
    }
    return sys_seconds(minute);
  }
  return std::nullopt;
}

}  // namespace codezero::worker
