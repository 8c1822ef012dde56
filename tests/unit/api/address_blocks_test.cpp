#include "api/address_blocks.h"

#include <gtest/gtest.h>

namespace codezero::api {
namespace {

using std::chrono::milliseconds;

TEST(AddressBlocks, RefuseUntilTheirEndAndThenForget) {
  AddressBlocks blocks;
  const auto now = AddressBlocks::Clock::now();
  blocks.Block("198.51.100.7", now + milliseconds(1500));
  EXPECT_EQ(blocks.RemainingFor("198.51.100.7", now), milliseconds(1500));
  EXPECT_EQ(blocks.RemainingFor("198.51.100.8", now), milliseconds(0));
  blocks.Block("198.51.100.7", now + milliseconds(500));  // a shorter block never shortens one
  EXPECT_EQ(blocks.RemainingFor("198.51.100.7", now + milliseconds(1000)), milliseconds(500));
  EXPECT_EQ(blocks.RemainingFor("198.51.100.7", now + milliseconds(1500)), milliseconds(0));
}

TEST(AddressBlocks, StayWithinTheirCapacity) {
  AddressBlocks blocks(2);
  const auto now = AddressBlocks::Clock::now();
  blocks.Block("a", now - milliseconds(1));  // already over: the first to go
  blocks.Block("b", now + milliseconds(60'000));
  blocks.Block("c", now + milliseconds(60'000));
  EXPECT_GT(blocks.RemainingFor("b", now).count(), 0);
  EXPECT_GT(blocks.RemainingFor("c", now).count(), 0);
  blocks.Block("d", now + milliseconds(60'000));  // full of live blocks: start over
  EXPECT_GT(blocks.RemainingFor("d", now).count(), 0);
  EXPECT_EQ(blocks.RemainingFor("b", now).count(), 0);
}

}  // namespace
}  // namespace codezero::api
