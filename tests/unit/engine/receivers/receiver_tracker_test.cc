// The receiver tracker's invariants, shown to fire: a block is held once, waiting or allocated to
// a batch the tracker remembers; a batch is allocated once (engine/receivers/receiver_tracker.cc).
#include "engine/receivers/receiver_tracker.h"

#include <gtest/gtest.h>

namespace streamsim::engine {
namespace {

ReceivedBlock Block(int stream_id, const std::string& id) {
  ReceivedBlock block;
  block.stream_id = stream_id;
  block.info.id = id;
  block.info.records = 3;
  return block;
}

TEST(ReceiverTrackerTest, QueuesBlocksUntilABatchTakesThem) {
  ReceiverTracker tracker;
  ASSERT_TRUE(tracker.AddBlock(Block(0, "input-0-0")));
  ASSERT_TRUE(tracker.AddBlock(Block(0, "input-0-1")));
  tracker.AllocateBlocksToBatch(sim::Instant{1'000'000});
  const std::vector<BlockRdd::BlockInfo> blocks = tracker.BlocksOfBatch(sim::Instant{1'000'000}, 0);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].id, "input-0-0");
  EXPECT_EQ(blocks[1].id, "input-0-1");
}

TEST(ReceiverTrackerDeathTest, ABlockReportedTwiceIsABug) {
  ReceiverTracker tracker;
  ASSERT_TRUE(tracker.AddBlock(Block(0, "input-0-7")));
  EXPECT_DEATH((void)tracker.AddBlock(Block(0, "input-0-7")), "a block reported twice: input-0-7");
}

TEST(ReceiverTrackerDeathTest, ABlockReportedAgainAfterItsBatchTookItIsABug) {
  ReceiverTracker tracker;
  ASSERT_TRUE(tracker.AddBlock(Block(0, "input-0-7")));
  tracker.AllocateBlocksToBatch(sim::Instant{1'000'000});
  EXPECT_DEATH((void)tracker.AddBlock(Block(0, "input-0-7")), "a block reported twice: input-0-7");
}

TEST(ReceiverTrackerTest, ABlockIdIsFreeAgainOnceItsBatchIsCleanedUp) {
  ReceiverTracker tracker;
  ASSERT_TRUE(tracker.AddBlock(Block(0, "input-0-7")));
  tracker.AllocateBlocksToBatch(sim::Instant{1'000'000});
  const std::vector<BlockRdd::BlockInfo> removed =
      tracker.CleanupBatchesUpTo(sim::Instant{1'000'000});
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].id, "input-0-7");
  EXPECT_TRUE(tracker.AddBlock(Block(0, "input-0-7")));
}

TEST(ReceiverTrackerDeathTest, ABlockRestoredTwiceFromACheckpointIsABug) {
  ReceiverTracker tracker;
  BlockRdd::BlockInfo block = Block(0, "input-0-7").info;
  tracker.RestoreAllocation(sim::Instant{1'000'000}, 0, {block});
  EXPECT_DEATH(tracker.RestoreAllocation(sim::Instant{2'000'000}, 0, {block}),
               "a block reported twice: input-0-7");
}

TEST(ReceiverTrackerDeathTest, ABatchAllocatedTwiceIsABug) {
  ReceiverTracker tracker;
  tracker.AllocateBlocksToBatch(sim::Instant{1'000'000});
  EXPECT_DEATH(tracker.AllocateBlocksToBatch(sim::Instant{1'000'000}),
               "blocks allocated twice to one batch");
}

}  // namespace
}  // namespace streamsim::engine
