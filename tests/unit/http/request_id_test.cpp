#include "http/request_id.h"

#include <gtest/gtest.h>

#include <set>

#include "http/access_log.h"

namespace codezero::http {
namespace {

TEST(RequestId, KeepsACallersSafeId) { EXPECT_EQ(RequestIdFor("abc-123_x.y:z"), "abc-123_x.y:z"); }

TEST(RequestId, ReplacesIdsThatCouldForgeLogLines) {
  for (std::string_view bad : std::initializer_list<std::string_view>{
           "", "has space", "new\nline", "quote\"", std::string_view("x\0y", 3)}) {
    const std::string id = RequestIdFor(bad);
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.size(), 32u);
  }
  EXPECT_EQ(RequestIdFor(std::string(129, 'a')).size(), 32u);
}

TEST(RequestId, GeneratesDistinctIds) {
  std::set<std::string> ids;
  for (int i = 0; i < 10'000; ++i) ids.insert(RequestIdFor(""));
  EXPECT_EQ(ids.size(), 10'000u);
}

TEST(AccessLog, TruncatesClientAddresses) {
  EXPECT_EQ(TruncatedAddress(boost::asio::ip::make_address("203.0.113.77")), "203.0.113.0");
  EXPECT_EQ(TruncatedAddress(boost::asio::ip::make_address("2001:db8:abcd:12::1")),
            "2001:db8:abcd::");
  EXPECT_EQ(TruncatedAddress(boost::asio::ip::make_address("::ffff:198.51.100.9")), "198.51.100.0");
}

}  // namespace
}  // namespace codezero::http
