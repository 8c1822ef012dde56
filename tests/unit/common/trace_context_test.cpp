#include "common/trace_context.h"

#include <gtest/gtest.h>

namespace codezero {
namespace {

constexpr std::string_view kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContext, ReadsTheTraceIdOfAValidTraceparent) {
  EXPECT_EQ(TraceIdOf(kValid), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(TraceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(TraceContext, RefusesWhatTheSpecificationRefuses) {
  for (const std::string_view invalid : {
           "",
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // unknown version
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero parent id
           "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",    // short trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // trailing data
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",   // separators
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",   // flags not hex
       }) {
    EXPECT_FALSE(TraceIdOf(invalid).has_value()) << invalid;
  }
}

TEST(TraceContext, NewSpansKeepTheTraceAndGetTheirOwnParentId) {
  const std::string span = NewTraceparent("4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(TraceIdOf(span), "4bf92f3577b34da6a3ce929d0e0e4736") << span;
  EXPECT_TRUE(span.ends_with("-01"));

  const std::string child = ChildTraceparent(kValid);
  EXPECT_EQ(TraceIdOf(child), TraceIdOf(kValid));
  EXPECT_NE(child.substr(36, 16), kValid.substr(36, 16));
  EXPECT_NE(ChildTraceparent(kValid), ChildTraceparent(kValid));
}

TEST(TraceContext, AMissingOrInvalidParentStartsANewTrace) {
  const std::string fresh = ChildTraceparent("");
  ASSERT_TRUE(TraceIdOf(fresh).has_value()) << fresh;
  EXPECT_NE(TraceIdOf(fresh), TraceIdOf(ChildTraceparent("")));
  EXPECT_TRUE(TraceIdOf(NewTraceparent("support-ticket-42")).has_value());
  EXPECT_TRUE(TraceIdOf(ChildTraceparent("garbage")).has_value());
}

}  // namespace
}  // namespace codezero
