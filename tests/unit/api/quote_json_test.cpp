#include "api/quote_json.h"

#include <gtest/gtest.h>

#include <ctime>
#include <random>

namespace codezero::api {
namespace {

std::string WithStrftime(std::int64_t seconds) {
  const auto time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

TEST(Rfc3339, WritesUtcTimesAsTheCLibraryDoes) {
  EXPECT_EQ(Rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Rfc3339(1827792000), "2027-12-03T00:00:00Z");
  EXPECT_EQ(Rfc3339(1835395199), "2028-02-28T23:59:59Z");
  EXPECT_EQ(Rfc3339(1835395200), "2028-02-29T00:00:00Z");
  std::mt19937_64 random(20261129);
  std::uniform_int_distribution<std::int64_t> seconds(0, 4'102'444'799);  // to 2099-12-31
  for (int i = 0; i < 10'000; ++i) {
    const std::int64_t at = seconds(random);
    ASSERT_EQ(Rfc3339(at), WithStrftime(at)) << at;
  }
}

}  // namespace
}  // namespace codezero::api
