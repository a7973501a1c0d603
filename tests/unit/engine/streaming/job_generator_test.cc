// The job generator's invariants, each shown to fire (engine/streaming/job_generator.cc): batch
// times on the batch interval's grid and in order, and every batch of the live driver completed,
// failed or pending when the run stops.
#include <gtest/gtest.h>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::I;
using testing::RecordingListener;

// A harness with a queue stream collected, started and run to `until_ms`.
void StartAndRunUntil(Harness& harness, int64_t until_ms) {
  harness.Collect(harness.context->QueueStream("numbers", {{I(1)}, {I(2)}, {I(3)}}, 1, true),
                  "numbers");
  ASSERT_TRUE(harness.context->Start().ok());
  harness.world->loop().RunUntil(sim::Instant{until_ms * 1000});
}

TEST(JobGeneratorDeathTest, ABatchOffTheGridIsABug) {
  Harness harness(Batches(5));
  StartAndRunUntil(harness, 1200);
  EXPECT_DEATH(harness.context->TEST_GenerateBatch(sim::Instant{2'500'000}),
               "assertion failed: OnBatchGrid\\(t\\).*\n.*\n  a batch time off the batch "
               "interval's grid");
}

TEST(JobGeneratorDeathTest, ABatchGeneratedAgainOrOutOfOrderIsABug) {
  Harness harness(Batches(5));
  StartAndRunUntil(harness, 2500);  // batches 1000 and 2000 ms generated
  EXPECT_DEATH(harness.context->TEST_GenerateBatch(sim::Instant{2'000'000}),
               "a batch generated out of order");
}

TEST(JobGeneratorDeathTest, ACheckpointAheadOfTheNewestBatchIsABug) {
  StreamingConfig config = Batches(5);
  config.checkpoint_dir = "checkpoints/app";
  Harness harness(config);
  StartAndRunUntil(harness, 1500);  // newest generated: 1000 ms
  EXPECT_DEATH(harness.context->TEST_WriteMetadataCheckpoint(sim::Instant{3'000'000}),
               "a checkpoint ahead of the newest generated batch");
}

// A queue stream whose batches take about 2.5 s on a 1 s interval, so that they queue up;
// stopped at 6 s without waiting.
struct SlowRun {
  SlowRun() : world(1), context(&world, Config(), Cost(), &listener) {
    OutputOperation output;
    output.kind = OutputOperation::Kind::kCollect;
    output.name = "numbers";
    output.stream = context.QueueStream("numbers", {{I(1)}, {I(2)}, {I(3)}, {I(4)}}, 1, true);
    context.AddOutput(output);
  }
  static StreamingConfig Config() {
    StreamingConfig config;
    config.stop_at = sim::Duration::Seconds(6);
    config.graceful_stop = false;
    return config;
  }
  static CostModel Cost() {
    CostModel cost;
    cost.task_launch = sim::Duration::Millis(2500);
    return cost;
  }
  RecordingListener listener;
  sim::World world;
  StreamingContext context;
};

// Forgetting the queued batches before the stop leaves generated batches neither completed,
// failed nor pending.
TEST(JobGeneratorDeathTest, ABatchDroppedBeforeTheStopIsABug) {
  SlowRun run;
  ASSERT_TRUE(run.context.Start().ok());
  run.world.loop().RunUntil(sim::Instant{4'500'000});
  run.context.TEST_ForgetQueuedJobSets();
  EXPECT_DEATH(testing::RunToTermination(run.world, run.context),
               "is neither completed, failed nor pending");
}

TEST(JobGeneratorTest, TheSameRunWithoutTheDropStopsWithEveryBatchAccountedFor) {
  SlowRun run;
  ASSERT_TRUE(run.context.Start().ok());
  testing::RunToTermination(run.world, run.context);
  EXPECT_TRUE(run.context.terminated());
  const std::vector<BatchInfo> batches = run.context.batches();
  // Batches 1000-5000 ms were generated before the stop at 6 s; at about 2.5 s each, batch 1000
  // ran from 1 s to 3.505413 s, batch 2000 was running from 3.505913 s and the last three
  // waited.
  ASSERT_EQ(batches.size(), 5u);
  EXPECT_EQ(batches[0].processing_end, sim::Instant{3'505'413});
  EXPECT_EQ(batches[1].processing_start, sim::Instant{3'505'913});
  EXPECT_FALSE(batches[1].completed());
  for (size_t i = 2; i < 5; ++i) EXPECT_FALSE(batches[i].processing_start.has_value()) << i;
}

}  // namespace
}  // namespace streamsim::engine
