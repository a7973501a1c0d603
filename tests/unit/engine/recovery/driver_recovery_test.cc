// Tests of driver recovery (engine/recovery/driver_recovery.cc): a stateful word count crashed at
// every batch recovers the same final state from its checkpoint, re-running batches (at-least-once
// output); without supervise the application stays down; without a checkpoint directory the new
// driver starts from scratch; and received blocks without a WAL are lost with the executors.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "engine/streaming/stream_operations.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::I;
using testing::Op;
using testing::P;
using testing::Parse;
using testing::RecordingListener;
using testing::S;

using testing::Timed;
using testing::TimedBatches;

std::vector<int64_t> Times(const TimedBatches& batches) {
  std::vector<int64_t> times;
  for (const auto& [time, records] : batches) times.push_back(time);
  return times;
}

Values Words(std::initializer_list<const char*> words) {
  Values values;
  for (const char* word : words) values.push_back(S(word));
  return values;
}

// Eight batches of words, then two empty ones: the run stops after batch 10, so that a crash in
// any of the first eight batches still has batches after it.
std::vector<Values> WordBatches() {
  return {Words({"a", "b", "a"}),
          Words({"c"}),
          Words({"a"}),
          Words({"b", "d"}),
          {},
          Words({"a", "c"}),
          Words({"e"}),
          Words({"a", "b"}),
          {},
          {}};
}

// The running counts after each batch, worked out from WordBatches.
TimedBatches ExpectedCounts() {
  const Value a = S("a"), b = S("b"), c = S("c"), d = S("d"), e = S("e");
  return {{1000, {P(a, I(2)), P(b, I(1))}},
          {2000, {P(a, I(2)), P(b, I(1)), P(c, I(1))}},
          {3000, {P(a, I(3)), P(b, I(1)), P(c, I(1))}},
          {4000, {P(a, I(3)), P(b, I(2)), P(c, I(1)), P(d, I(1))}},
          {5000, {P(a, I(3)), P(b, I(2)), P(c, I(1)), P(d, I(1))}},
          {6000, {P(a, I(4)), P(b, I(2)), P(c, I(2)), P(d, I(1))}},
          {7000, {P(a, I(4)), P(b, I(2)), P(c, I(2)), P(d, I(1)), P(e, I(1))}},
          {8000, {P(a, I(5)), P(b, I(3)), P(c, I(2)), P(d, I(1)), P(e, I(1))}},
          {9000, {P(a, I(5)), P(b, I(3)), P(c, I(2)), P(d, I(1)), P(e, I(1))}},
          {10000, {P(a, I(5)), P(b, I(3)), P(c, I(2)), P(d, I(1)), P(e, I(1))}}};
}

struct WordCountOptions {
  std::optional<int64_t> crash_ms;  // when the driver crashes; it restarts 1 s later
  bool supervise = true;
  // Called 1 ms after the restart, once the recovered batches have been generated.
  std::function<void(const StreamingContext&)> after_restart;
};

WordCountOptions CrashAt(int64_t crash_ms, bool supervise = true) {
  WordCountOptions options;
  options.crash_ms = crash_ms;
  options.supervise = supervise;
  return options;
}

// queueStream -> map((x, 1)) -> updateStateByKey(running count) on one partition, collected as
// "counts"; checkpoint directory set, checkpoint interval 2 s.
std::unique_ptr<Harness> RunWordCount(const WordCountOptions& options) {
  StreamingConfig config = Batches(10);
  config.checkpoint_dir = "checkpoints/app";
  config.checkpoint_interval = sim::Duration::Seconds(2);
  config.supervise = options.supervise;
  auto harness = std::make_unique<Harness>(config);
  StreamingContext& context = *harness->context;
  DStream* input = context.QueueStream("words", WordBatches(), 2, true);
  DStream* pairs = context.Transform("pairs", {input}, {Op(OperatorKind::kMap, "(x, 1)")});
  harness->Collect(UpdateStateByKey(context, "counts", pairs,
                                    Parse("if(state == null, 0, state) + sum(values)"), 1, {}),
                   "counts");
  if (options.crash_ms) {
    harness->world->ScheduleGlobal(sim::Duration::Millis(*options.crash_ms), [&context]() {
      context.CrashDriver(sim::Duration::Seconds(1));
    });
    if (options.after_restart) {
      harness->world->ScheduleGlobal(
          sim::Duration::Millis(*options.crash_ms + 1001),
          [&context, probe = options.after_restart]() { probe(context); });
    }
  }
  harness->Run();
  return harness;
}

// Batch times (ms) the second driver generated during its recovery.
std::vector<int64_t> RecoveredTimes(const StreamingContext& context) {
  std::vector<int64_t> times;
  for (const BatchInfo& batch : context.batches()) {
    if (batch.driver_life == 2 && batch.recovered) times.push_back(batch.batch_time.millis());
  }
  return times;
}

TEST(RecoveryTest, TheRunWithoutACrashCountsEveryWord) {
  std::unique_ptr<Harness> harness = RunWordCount(WordCountOptions());
  EXPECT_EQ(Timed(*harness, "counts"), ExpectedCounts());
  EXPECT_EQ(harness->context->driver_life(), 1);
  EXPECT_EQ(harness->context->stop_reason(), "stopped after 10 batches");
}

TEST(RecoveryTest, ACrashInAnyBatchRecoversTheSameFinalState) {
  const TimedBatches expected = ExpectedCounts();
  for (int64_t k = 1; k <= 8; ++k) {
    SCOPED_TRACE("driver crash at " + std::to_string(k * 1000 + 500) + " ms");
    // Right after the restart: the state RDD of the newest data checkpoint (the last even second
    // up to k, if any) is back from its files, and the recovered state at k + 1 is computed from
    // it: state(c) has depth 1 and each later batch adds a cogroup with pairs (depth 2), so
    // depth(k + 1) = k + 1 - c + 2; with no data checkpoint yet, from the start, depth k + 3.
    const int64_t c = k / 2 * 2;
    bool restored = false;
    int depth = 0;
    WordCountOptions options = CrashAt(k * 1000 + 500);
    options.after_restart = [&](const StreamingContext& recovered) {
      const auto& generated = recovered.FindStream("counts")->generated();
      auto checkpointed = generated.find(sim::Instant{c * 1'000'000});
      restored = checkpointed != generated.end() && checkpointed->second->checkpointed();
      auto next = generated.find(sim::Instant{(k + 1) * 1'000'000});
      if (next != generated.end()) depth = next->second->LineageDepth();
    };
    std::unique_ptr<Harness> harness = RunWordCount(options);
    EXPECT_EQ(restored, c > 0);
    EXPECT_EQ(depth, c > 0 ? static_cast<int>(k + 1 - c + 2) : static_cast<int>(k + 3));
    const StreamingContext& context = *harness->context;
    EXPECT_EQ(context.driver_life(), 2);
    EXPECT_EQ(context.stop_reason(), "stopped after 10 batches");
    const TimedBatches out = Timed(*harness, "counts");
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back(), expected.back());
    // The newest checkpoint is the one written when batch k completed. The driver restarts at
    // k + 1.5 s and generates the checkpoint's batch k (again) and batch k + 1 (missed while it was
    // down) at once; the timer resumes at k + 2 s.
    EXPECT_EQ(RecoveredTimes(context), (std::vector<int64_t>{k * 1000, (k + 1) * 1000}));
    // Every output, the re-run one included, is the count the run without a crash had then.
    std::vector<int64_t> expected_times;
    for (int64_t t = 1; t <= 10; ++t) {
      expected_times.push_back(t * 1000);
      if (t == k) expected_times.push_back(t * 1000);
    }
    EXPECT_EQ(Times(out), expected_times);
    for (const auto& [time, records] : out) {
      EXPECT_EQ(records, expected[static_cast<size_t>(time / 1000 - 1)].second) << time << " ms";
    }
  }
}

TEST(RecoveryTest, TheBatchOfTheCheckpointIsReRunAndItsOutputRepeated) {
  std::unique_ptr<Harness> harness = RunWordCount(CrashAt(3500));
  const TimedBatches out = Timed(*harness, "counts");
  // At-least-once output: batch 3 is written by the first driver and again by the second.
  EXPECT_EQ(Times(out), (std::vector<int64_t>{1000, 2000, 3000, 3000, 4000, 5000, 6000, 7000, 8000,
                                              9000, 10000}));
  EXPECT_EQ(out[2], out[3]);
  const std::vector<BatchInfo> batches = harness->context->batches();
  std::vector<std::pair<int, int64_t>> lives;
  for (const BatchInfo& batch : batches) {
    lives.emplace_back(batch.driver_life, batch.batch_time.millis());
    EXPECT_TRUE(batch.completed()) << batch.driver_life << "/" << batch.batch_time.millis();
  }
  // Batch 4 (due at 4 s, while the driver was down) only ever ran in the second life.
  EXPECT_EQ(lives, (std::vector<std::pair<int, int64_t>>{{1, 1000},
                                                         {1, 2000},
                                                         {1, 3000},
                                                         {2, 3000},
                                                         {2, 4000},
                                                         {2, 5000},
                                                         {2, 6000},
                                                         {2, 7000},
                                                         {2, 8000},
                                                         {2, 9000},
                                                         {2, 10000}}));
  // Both recovered batches are submitted at the restart (4.5 s), all at once.
  EXPECT_EQ(batches[3].submission_time, sim::Instant{4'500'000});
  EXPECT_EQ(batches[4].submission_time, sim::Instant{4'500'000});
  EXPECT_TRUE(batches[3].recovered);
  EXPECT_TRUE(batches[4].recovered);
  EXPECT_FALSE(batches[5].recovered);
  bool warned = false;
  for (const std::string& warning : harness->context->warnings()) {
    warned |= warning ==
              "driver restarted at 4500 ms and recovered from the checkpoint of 3000 ms: "
              "re-running 2 batch(es) (0 pending, the rest from the down time)";
  }
  EXPECT_TRUE(warned);
}

TEST(RecoveryTest, WithoutSuperviseTheApplicationStaysDown) {
  std::unique_ptr<Harness> harness = RunWordCount(CrashAt(3500, /*supervise=*/false));
  const StreamingContext& context = *harness->context;
  EXPECT_EQ(context.stop_reason().rfind("application down", 0), 0u) << context.stop_reason();
  EXPECT_EQ(context.stop_reason(),
            "application down: the driver crashed at 3500 ms and supervise is off, so nothing "
            "restarted it");
  EXPECT_EQ(context.driver_life(), 1);
  const TimedBatches expected = ExpectedCounts();
  EXPECT_EQ(Timed(*harness, "counts"), (TimedBatches(expected.begin(), expected.begin() + 3)));
  EXPECT_EQ(context.batches().size(), 3u);
}

// queueStream (one record per batch) -> window(3 s) -> count, collected as "count"; the driver
// crashes at 3.5 s and restarts at 4.5 s.
std::unique_ptr<Harness> RunWindowCount(bool checkpoint) {
  StreamingConfig config = Batches(8);
  config.supervise = true;
  if (checkpoint) config.checkpoint_dir = "checkpoints/app";
  auto harness = std::make_unique<Harness>(config);
  StreamingContext& context = *harness->context;
  std::vector<Values> queue;
  for (int i = 1; i <= 8; ++i) queue.push_back({S("r" + std::to_string(i))});
  DStream* input = context.QueueStream("records", queue, 1, true);
  DStream* window = Window(context, "window", input,
                           WindowArguments{sim::Duration::Seconds(3), sim::Duration::Seconds(1)});
  harness->TransformAndCollect({window}, {Op(OperatorKind::kCount)}, "count");
  harness->world->ScheduleGlobal(sim::Duration::Millis(3500),
                                 [&context]() { context.CrashDriver(sim::Duration::Seconds(1)); });
  harness->Run();
  return harness;
}

TEST(RecoveryTest, WithoutACheckpointDirectoryTheRestartedDriverStartsFromScratch) {
  std::unique_ptr<Harness> harness = RunWindowCount(/*checkpoint=*/false);
  const std::vector<std::string>& warnings = harness->context->warnings();
  EXPECT_NE(std::find(warnings.begin(), warnings.end(),
                      "driver restarted at 4500 ms without a checkpoint directory: starting from "
                      "scratch, earlier state is lost"),
            warnings.end());
  // The new driver's batches count from its own start (4.5 s): its first window holds one batch
  // where the first driver's last window held three. (The queue is replayed from its start, as
  // the application would rebuild it.) It stops once a batch at or after 8 s completed.
  EXPECT_EQ(Timed(*harness, "count"), (TimedBatches{{1000, {I(1)}},
                                                    {2000, {I(2)}},
                                                    {3000, {I(3)}},
                                                    {5500, {I(1)}},
                                                    {6500, {I(2)}},
                                                    {7500, {I(3)}},
                                                    {8500, {I(3)}}}));
}

TEST(RecoveryTest, WithACheckpointDirectoryTheWindowContinues) {
  std::unique_ptr<Harness> harness = RunWindowCount(/*checkpoint=*/true);
  // Batch 3 is re-run and batch 4 generated at the restart; the windows are whole.
  EXPECT_EQ(Timed(*harness, "count"), (TimedBatches{{1000, {I(1)}},
                                                    {2000, {I(2)}},
                                                    {3000, {I(3)}},
                                                    {3000, {I(3)}},
                                                    {4000, {I(3)}},
                                                    {5000, {I(3)}},
                                                    {6000, {I(3)}},
                                                    {7000, {I(3)}},
                                                    {8000, {I(3)}}}));
}

// A harness with its own cost model (Harness always uses the default one).
struct CostedHarness {
  CostedHarness(StreamingConfig config, CostModel cost)
      : world(std::make_unique<sim::World>(1)),
        context(std::make_unique<StreamingContext>(world.get(), config, cost, &listener)) {}
  RecordingListener listener;
  std::unique_ptr<sim::World> world;
  testing::TestExternals externals;
  std::unique_ptr<StreamingContext> context;
  DStream* SocketTextStream(externals::SocketServerConfig config) {
    return externals.SocketTextStream(world.get(), *context, std::move(config));
  }
};

externals::SocketServerConfig Lines() {
  externals::SocketServerConfig config;
  config.name = "lines";
  config.port = 7777;
  config.rate_per_second = 100;
  config.generator.kind = "lines";
  config.generator.lines = {"a", "b", "c"};
  return config;
}

struct SocketRun {
  std::vector<std::string> warnings;
  std::vector<BatchInfo> batches;
  TimedBatches counts;
};

// A socket stream counted per batch, with a checkpoint directory and supervise, the driver
// crashing at 3.5 s and restarting at 4.5 s; every task launch costs `task_launch`.
SocketRun RunSocketCrash(sim::Duration task_launch) {
  StreamingConfig config = Batches(6);
  config.checkpoint_dir = "checkpoints/app";
  config.supervise = true;
  CostModel cost;
  cost.task_launch = task_launch;
  CostedHarness harness(config, cost);
  StreamingContext& context = *harness.context;
  DStream* lines = harness.SocketTextStream(Lines());
  OutputOperation output;
  output.kind = OutputOperation::Kind::kCollect;
  output.stream = context.Transform("count", {lines}, {Op(OperatorKind::kCount)});
  output.name = "count";
  context.AddOutput(output);
  harness.world->ScheduleGlobal(sim::Duration::Millis(3500),
                                [&context]() { context.CrashDriver(sim::Duration::Seconds(1)); });
  EXPECT_TRUE(context.Start().ok());
  testing::RunToTermination(*harness.world, context);
  SocketRun run;
  run.warnings = context.warnings();
  run.batches = context.batches();
  for (const auto& batch : harness.listener.collected["count"]) {
    run.counts.emplace_back(batch.batch_time_ms, batch.records);
  }
  return run;
}

std::vector<std::string> LostBlockWarnings(const SocketRun& run) {
  std::vector<std::string> lost;
  for (const std::string& warning : run.warnings) {
    if (warning.find("could not be recovered as they were not found in memory") !=
        std::string::npos) {
      lost.push_back(warning);
    }
  }
  return lost;
}

using testing::LostBlocks;

TEST(RecoveryTest, ReceivedBlocksOfPendingBatchesAreLostWithTheDriver) {
  // Each task launch takes 400 ms and 3 cores are free (one holds the receiver): a batch of 5
  // blocks runs two waves of map tasks and one result task, 1.2 s, longer than the batch interval.
  // Batch 1 (4 blocks) runs 1.0-2.2 s, batch 2 runs 2.2-3.4 s, batch 3 from 3.4 s when the driver
  // crashes at 3.5 s. The newest checkpoint, written when batch 3 was generated (3.0 s), lists
  // batches 2 and 3 as pending; their blocks were on the executors that died with the driver.
  // The block tracker's log (kept whenever a checkpoint directory is set) also knows the 3 blocks
  // received after batch 3 was allocated (cut at 3.0, 3.2 and 3.4 s); the restarted driver
  // allocates them to batch 4, generated for the down time, and they are gone too.
  const SocketRun run = RunSocketCrash(sim::Duration::Millis(400));
  EXPECT_EQ(
      LostBlockWarnings(run),
      (std::vector<std::string>{LostBlocks(2000, 5), LostBlocks(3000, 5), LostBlocks(4000, 3)}));
  // Batch 2 was counted by the first driver; re-run, it and batches 3 and 4 count the blocks that
  // were found: none.
  EXPECT_EQ(
      std::vector(run.counts.begin(), run.counts.begin() + 5),
      (TimedBatches{
          {1000, {I(79)}}, {2000, {I(100)}}, {2000, {I(0)}}, {3000, {I(0)}}, {4000, {I(0)}}}));
  bool pending_recovered = false;
  for (const std::string& warning : run.warnings) {
    pending_recovered |= warning ==
                         "driver restarted at 4500 ms and recovered from the checkpoint of 3000 "
                         "ms: re-running 3 batch(es) (2 pending, the rest from the down time)";
  }
  EXPECT_TRUE(pending_recovered);
}

}  // namespace
}  // namespace streamsim::engine
