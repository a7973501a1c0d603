// Tests of the stateful operations (engine/streaming/state_dstream.cc): updateStateByKey and
// mapWithState over queue streams, mapWithState timeouts swept on checkpoint batches, the default
// data- checkpoint intervals and the validation messages of stateful graphs.
#include "engine/streaming/state_dstream.h"

#include <gtest/gtest.h>

#include <utility>

#include "engine/streaming/stream_operations.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::I;
using testing::Null;
using testing::Op;
using testing::P;
using testing::Parse;
using testing::S;
using testing::Sorted;

using testing::Timed;
using testing::TimedBatches;

sim::Duration Seconds(int64_t n) { return sim::Duration::Seconds(n); }

StreamingConfig Checkpointed(int64_t batches) {
  StreamingConfig config = Batches(batches);
  config.checkpoint_dir = "checkpoints/app";
  return config;
}

Values Words(std::initializer_list<const char*> words) {
  Values values;
  for (const char* word : words) values.push_back(S(word));
  return values;
}

// Queue batches of words mapped to (word, 1), with updateStateByKey(update) on one partition (so
// keys come out sorted), collected as "state".
TimedBatches RunUpdate(const std::vector<Values>& words, const std::string& update,
                       Values initial = {}) {
  Harness harness(Checkpointed(static_cast<int64_t>(words.size())));
  DStream* input = harness.context->QueueStream("input", words, 2, true);
  DStream* pairs = harness.context->Transform("pairs", {input}, {Op(OperatorKind::kMap, "(x, 1)")});
  harness.Collect(
      UpdateStateByKey(*harness.context, "state", pairs, Parse(update), 1, std::move(initial)),
      "state");
  harness.Run();
  return Timed(harness, "state");
}

const char* const kRunningCount = "if(state == null, 0, state) + sum(values)";

TEST(StateTest, UpdateStateByKeyKeepsRunningCounts) {
  // Batch 3 is empty: every key is still updated (with no values) and keeps its count.
  const TimedBatches out =
      RunUpdate({Words({"a", "b", "a"}), Words({"b"}), {}, Words({"c", "a"})}, kRunningCount);
  EXPECT_EQ(out, (TimedBatches{{1000, {P(S("a"), I(2)), P(S("b"), I(1))}},
                               {2000, {P(S("a"), I(2)), P(S("b"), I(2))}},
                               {3000, {P(S("a"), I(2)), P(S("b"), I(2))}},
                               {4000, {P(S("a"), I(3)), P(S("b"), I(2)), P(S("c"), I(1))}}}));
}

TEST(StateTest, ReturningNullRemovesTheKey) {
  // A key without new values is dropped; when it comes back it starts again from no state.
  const TimedBatches out =
      RunUpdate({Words({"a", "b"}), Words({"a"}), Words({"b"}), {}},
                "if(len(values) == 0, null, if(state == null, 0, state) + len(values))");
  EXPECT_EQ(out, (TimedBatches{{1000, {P(S("a"), I(1)), P(S("b"), I(1))}},
                               {2000, {P(S("a"), I(2))}},
                               {3000, {P(S("b"), I(1))}},
                               {4000, {}}}));
}

TEST(StateTest, KeysWithoutNewValuesGetAnEmptyList) {
  // State (count, batches idle since the last value): the update sees values == [] for a key that
  // had nothing in the batch.
  const TimedBatches out = RunUpdate(
      {Words({"a", "b"}), Words({"a"}), {}, Words({"b"})},
      "if(values == [], (state[0], state[1] + 1), (if(state == null, 0, state[0]) + len(values), "
      "0))");
  EXPECT_EQ(out, (TimedBatches{{1000, {P(S("a"), P(I(1), I(0))), P(S("b"), P(I(1), I(0)))}},
                               {2000, {P(S("a"), P(I(2), I(0))), P(S("b"), P(I(1), I(1)))}},
                               {3000, {P(S("a"), P(I(2), I(1))), P(S("b"), P(I(1), I(2)))}},
                               {4000, {P(S("a"), P(I(2), I(2))), P(S("b"), P(I(2), I(0)))}}}));
}

TEST(StateTest, InitialStateIsThePreviousStateOfTheFirstBatch) {
  // z has no values ever: it is updated with [] from the initial state on, and keeps 5.
  const TimedBatches out =
      RunUpdate({Words({"a"}), Words({"b"})}, kRunningCount, {P(S("a"), I(10)), P(S("z"), I(5))});
  EXPECT_EQ(out, (TimedBatches{{1000, {P(S("a"), I(11)), P(S("z"), I(5))}},
                               {2000, {P(S("a"), I(11)), P(S("b"), I(1)), P(S("z"), I(5))}}}));
}

TEST(StateTest, UpdateStateByKeyOnSeveralPartitionsGivesTheSameState) {
  Harness harness(Checkpointed(3));
  DStream* input = harness.context->QueueStream(
      "input", {Words({"a", "b", "c", "d", "a"}), Words({"e", "a"}), Words({"b"})}, 2, true);
  DStream* pairs = harness.context->Transform("pairs", {input}, {Op(OperatorKind::kMap, "(x, 1)")});
  harness.Collect(UpdateStateByKey(*harness.context, "state", pairs, Parse(kRunningCount), 0, {}),
                  "state");
  harness.Run();
  EXPECT_EQ(
      Timed(harness, "state", /*sort=*/true),
      (TimedBatches{
          {1000, {P(S("a"), I(2)), P(S("b"), I(1)), P(S("c"), I(1)), P(S("d"), I(1))}},
          {2000,
           {P(S("a"), I(3)), P(S("b"), I(1)), P(S("c"), I(1)), P(S("d"), I(1)), P(S("e"), I(1))}},
          {3000,
           {P(S("a"), I(3)), P(S("b"), I(2)), P(S("c"), I(1)), P(S("d"), I(1)),
            P(S("e"), I(1))}}}));
}

// mapWithState keeping a running sum per key, emitting (k, sum so far) per record.
const char* const kRunningSum =
    "((k, if(state == null, 0, state) + v), if(state == null, 0, state) + v)";

TEST(StateTest, MapWithStateEmitsOncePerRecordAndSnapshotsHoldEveryKey) {
  Harness harness(Checkpointed(3));
  DStream* input = harness.context->QueueStream(
      "input", {{P(S("a"), I(1)), P(S("b"), I(5)), P(S("a"), I(2))}, {P(S("b"), I(1))}, {}}, 2,
      true);
  DStream* mapped =
      MapWithState(*harness.context, "sums", input, Parse(kRunningSum), std::nullopt, 0, {});
  harness.Collect(mapped, "sums");
  harness.Collect(StateSnapshots(*harness.context, "snapshots", mapped), "snapshots");
  harness.Run();
  // One emitted value per record (a's two in arrival order); nothing for a batch with no records.
  EXPECT_EQ(Timed(harness, "sums", /*sort=*/true),
            (TimedBatches{{1000, {P(S("a"), I(1)), P(S("a"), I(3)), P(S("b"), I(5))}},
                          {2000, {P(S("b"), I(6))}},
                          {3000, {}}}));
  // The snapshots hold every key's state, also the keys without records in the batch.
  EXPECT_EQ(Timed(harness, "snapshots", /*sort=*/true),
            (TimedBatches{{1000, {P(S("a"), I(3)), P(S("b"), I(5))}},
                          {2000, {P(S("a"), I(3)), P(S("b"), I(6))}},
                          {3000, {P(S("a"), I(3)), P(S("b"), I(6))}}}));
}

TEST(StateTest, MapWithStateWithANullStateRemovesTheKey) {
  Harness harness(Checkpointed(3));
  DStream* input = harness.context->QueueStream(
      "input", {{P(S("a"), I(1)), P(S("b"), I(2))}, {P(S("a"), I(0))}, {P(S("a"), I(4))}}, 1, true);
  // v == 0 removes the key and emits nothing.
  DStream* mapped =
      MapWithState(*harness.context, "sums", input,
                   Parse("if(v == 0, (null, null), ((k, if(state == null, 0, state) + v), "
                         "if(state == null, 0, state) + v))"),
                   std::nullopt, 1, {});
  harness.Collect(mapped, "sums");
  harness.Collect(StateSnapshots(*harness.context, "snapshots", mapped), "snapshots");
  harness.Run();
  EXPECT_EQ(Timed(harness, "sums"), (TimedBatches{{1000, {P(S("a"), I(1)), P(S("b"), I(2))}},
                                                  {2000, {}},
                                                  {3000, {P(S("a"), I(4))}}}));
  EXPECT_EQ(Timed(harness, "snapshots"),
            (TimedBatches{{1000, {P(S("a"), I(1)), P(S("b"), I(2))}},
                          {2000, {P(S("b"), I(2))}},
                          {3000, {P(S("a"), I(4)), P(S("b"), I(2))}}}));
}

TEST(StateTest, MapWithStateInitialState) {
  Harness harness(Checkpointed(2));
  DStream* input =
      harness.context->QueueStream("input", {{P(S("a"), I(1))}, {P(S("z"), I(1))}}, 1, true);
  DStream* mapped = MapWithState(*harness.context, "sums", input, Parse(kRunningSum), std::nullopt,
                                 2, {P(S("a"), I(10)), P(S("z"), I(20))});
  harness.Collect(mapped, "sums");
  harness.Collect(StateSnapshots(*harness.context, "snapshots", mapped), "snapshots");
  harness.Run();
  EXPECT_EQ(Timed(harness, "sums"),
            (TimedBatches{{1000, {P(S("a"), I(11))}}, {2000, {P(S("z"), I(21))}}}));
  EXPECT_EQ(Timed(harness, "snapshots", /*sort=*/true),
            (TimedBatches{{1000, {P(S("a"), I(11)), P(S("z"), I(20))}},
                          {2000, {P(S("a"), I(11)), P(S("z"), I(21))}}}));
}

// Emits (k, v) for a record and ("timeout", k) for a key timing out; the state is the last value.
const char* const kTimeoutMarker = "if(timing_out, ((\"timeout\", k), null), ((k, v), v))";

// A queue with a at 1 s, c at 8 s and b at 9 s, then nothing, for `batches` batches.
std::vector<Values> TimeoutQueue(int batches) {
  std::vector<Values> queue(static_cast<size_t>(batches));
  queue[0] = {P(S("a"), I(1))};
  queue[7] = {P(S("c"), I(8))};
  queue[8] = {P(S("b"), I(9))};
  return queue;
}

TEST(StateTest, MapWithStateTimeoutsAreSweptOnlyOnCheckpointBatches) {
  // Timeout 2 s, batch 1 s: the state is checkpointed every 10 batches (10 s), and only those
  // batches scan for idle keys. a (last seen at 1 s) is idle for more than 2 s from 4 s on, but
  // times out at 10 s; there the threshold is 8 s, so c (8 s, not older than the threshold) and b
  // (9 s) stay until the scan at 20 s.
  Harness harness(Checkpointed(21));
  DStream* input = harness.context->QueueStream("input", TimeoutQueue(21), 1, true);
  DStream* mapped =
      MapWithState(*harness.context, "m", input, Parse(kTimeoutMarker), Seconds(2), 1, {});
  harness.Collect(mapped, "m");
  harness.Collect(StateSnapshots(*harness.context, "snapshots", mapped), "snapshots");
  harness.Run();
  EXPECT_EQ(harness.context->FindStream("m/state")->checkpoint_interval(), Seconds(10));
  TimedBatches expected;
  for (int64_t t = 1; t <= 21; ++t) expected.emplace_back(t * 1000, Values{});
  expected[0].second = {P(S("a"), I(1))};
  expected[7].second = {P(S("c"), I(8))};
  expected[8].second = {P(S("b"), I(9))};
  expected[9].second = {P(S("timeout"), S("a"))};
  expected[19].second = {P(S("timeout"), S("b")), P(S("timeout"), S("c"))};
  EXPECT_EQ(Timed(harness, "m"), expected);
  const TimedBatches snapshots = Timed(harness, "snapshots");
  ASSERT_EQ(snapshots.size(), 21u);
  EXPECT_EQ(snapshots[8].second, (Values{P(S("a"), I(1)), P(S("b"), I(9)), P(S("c"), I(8))}));
  EXPECT_EQ(snapshots[9].second, (Values{P(S("b"), I(9)), P(S("c"), I(8))}));
  EXPECT_EQ(snapshots[18].second, (Values{P(S("b"), I(9)), P(S("c"), I(8))}));
  EXPECT_EQ(snapshots[19].second, Values{});
}

TEST(StateTest, AShorterCheckpointIntervalSweepsTimeoutsSooner) {
  // Checkpoint interval 3 s: scans at 3 s (threshold 1 s: a, last seen at 1 s, is not older), 6 s
  // (threshold 4 s: a times out), 9 s (threshold 7 s: c at 8 s and b at 9 s stay) and 12 s
  // (threshold 10 s: b and c time out).
  StreamingConfig config = Checkpointed(12);
  config.checkpoint_interval = Seconds(3);
  Harness harness(config);
  DStream* input = harness.context->QueueStream("input", TimeoutQueue(12), 1, true);
  harness.Collect(
      MapWithState(*harness.context, "m", input, Parse(kTimeoutMarker), Seconds(2), 1, {}), "m");
  harness.Run();
  TimedBatches expected;
  for (int64_t t = 1; t <= 12; ++t) expected.emplace_back(t * 1000, Values{});
  expected[0].second = {P(S("a"), I(1))};
  expected[5].second = {P(S("timeout"), S("a"))};
  expected[7].second = {P(S("c"), I(8))};
  expected[8].second = {P(S("b"), I(9))};
  expected[11].second = {P(S("timeout"), S("b")), P(S("timeout"), S("c"))};
  EXPECT_EQ(Timed(harness, "m"), expected);
}

TEST(StateTest, ATimingOutKeyCanEmitItsState) {
  // The timing-out call sees the key's last state and v = null.
  StreamingConfig config = Checkpointed(4);
  config.checkpoint_interval = Seconds(2);
  Harness harness(config);
  DStream* input = harness.context->QueueStream(
      "input", {{P(S("a"), I(1)), P(S("a"), I(2))}, {}, {}, {}}, 1, true);
  harness.Collect(MapWithState(*harness.context, "m", input,
                               Parse("if(timing_out, ((k, state, v), null), "
                                     "(null, if(state == null, 0, state) + v))"),
                               Seconds(1), 1, {}),
                  "m");
  harness.Run();
  // Scans at 2 s (threshold 1 s: a, updated at 1 s, stays) and 4 s (threshold 3 s).
  EXPECT_EQ(
      Timed(harness, "m"),
      (TimedBatches{
          {1000, {}}, {2000, {}}, {3000, {}}, {4000, {Value::Tuple({S("a"), I(3), Null()})}}}));
}

// The trace lines of the data checkpoints of `stream`, as "<ms>" strings in order.
std::vector<std::string> DataCheckpointTimes(const Harness& harness, const std::string& stream) {
  std::vector<std::string> times;
  const std::string marker = " checkpoint data " + stream + " ";
  for (const std::string& line : harness.trace) {
    const size_t at = line.find(marker);
    if (at == std::string::npos) continue;
    const size_t begin = at + marker.size();
    times.push_back(line.substr(begin, line.find(' ', begin) - begin));
  }
  return times;
}

struct DefaultIntervalCase {
  int64_t batch_seconds;
  int64_t batches;
  int64_t expected_seconds;
  std::vector<std::string> expected_times;
};

TEST(StateTest, DefaultDataCheckpointIntervalIsTheSmallestSlideMultipleOfAtLeastTenSeconds) {
  const DefaultIntervalCase cases[] = {
      {1, 25, 10, {"10000", "20000"}},
      {3, 9, 12, {"12000", "24000"}},
      {15, 3, 15, {"15000", "30000", "45000"}},
  };
  for (const DefaultIntervalCase& c : cases) {
    SCOPED_TRACE("batch interval " + std::to_string(c.batch_seconds) + " s");
    StreamingConfig config = Checkpointed(c.batches);
    config.batch_interval = Seconds(c.batch_seconds);
    Harness harness(config);
    harness.KeepTrace();
    DStream* input = harness.context->QueueStream("input", {Words({"a"})}, 1, true);
    DStream* pairs =
        harness.context->Transform("pairs", {input}, {Op(OperatorKind::kMap, "(x, 1)")});
    DStream* state =
        UpdateStateByKey(*harness.context, "state", pairs, Parse(kRunningCount), 1, {});
    harness.Collect(state, "state");
    ASSERT_TRUE(harness.context->Start().ok());
    EXPECT_EQ(state->checkpoint_interval(), Seconds(c.expected_seconds));
    // Spark keeps at least twice the checkpoint interval of RDDs of a checkpointed stream.
    EXPECT_EQ(state->remember(), Seconds(2 * c.expected_seconds));
    testing::RunToTermination(*harness.world, *harness.context);
    EXPECT_EQ(DataCheckpointTimes(harness, "state"), c.expected_times);
    // The state survived the checkpoints: a is still counted once.
    EXPECT_EQ(Timed(harness, "state").back().second, (Values{P(S("a"), I(1))}));
  }
}

TEST(StateTest, MapWithStateCheckpointsEveryTenSlidesByDefault) {
  StreamingConfig config = Checkpointed(10);
  config.batch_interval = Seconds(3);
  Harness harness(config);
  harness.KeepTrace();
  DStream* input = harness.context->QueueStream("input", {{P(S("a"), I(1))}}, 1, true);
  harness.Collect(
      MapWithState(*harness.context, "m", input, Parse(kRunningSum), std::nullopt, 1, {}), "m");
  ASSERT_TRUE(harness.context->Start().ok());
  EXPECT_EQ(harness.context->FindStream("m/state")->checkpoint_interval(), Seconds(30));
  testing::RunToTermination(*harness.world, *harness.context);
  EXPECT_EQ(DataCheckpointTimes(harness, "m/state"), (std::vector<std::string>{"30000"}));
}

TEST(StateTest, AnInverseWindowWithA3SecondSlideCheckpointsEvery12Seconds) {
  Harness harness(Checkpointed(24));
  harness.KeepTrace();
  DStream* input = harness.context->QueueStream("input", {{P(S("a"), I(1))}}, 1, true);
  DStream* sums =
      ReduceByKeyAndWindow(*harness.context, "sums", input, Parse("a + b"), Parse("a - b"),
                           std::nullopt, WindowArguments{Seconds(6), Seconds(3), 1});
  harness.Collect(sums, "sums");
  ASSERT_TRUE(harness.context->Start().ok());
  EXPECT_EQ(sums->checkpoint_interval(), Seconds(12));
  testing::RunToTermination(*harness.world, *harness.context);
  EXPECT_EQ(DataCheckpointTimes(harness, "sums"), (std::vector<std::string>{"12000", "24000"}));
  // The key stays at 0 once its only value left the window (no filter).
  EXPECT_EQ(Timed(harness, "sums"), (TimedBatches{{3000, {P(S("a"), I(1))}},
                                                  {6000, {P(S("a"), I(1))}},
                                                  {9000, {P(S("a"), I(0))}},
                                                  {12000, {P(S("a"), I(0))}},
                                                  {15000, {P(S("a"), I(0))}},
                                                  {18000, {P(S("a"), I(0))}},
                                                  {21000, {P(S("a"), I(0))}},
                                                  {24000, {P(S("a"), I(0))}}}));
}

// Starts a graph with updateStateByKey under `config` and returns Start's message ("" when ok).
std::string StartMessage(StreamingConfig config) {
  Harness harness(config);
  DStream* input = harness.context->QueueStream("input", {{P(S("a"), I(1))}}, 1, true);
  harness.Collect(UpdateStateByKey(*harness.context, "state", input, Parse(kRunningCount), 1, {}),
                  "state");
  Status status = harness.context->Start();
  return status.ok() ? "" : status.message();
}

TEST(StateTest, StatefulStreamsNeedACheckpointDirectory) {
  EXPECT_EQ(StartMessage(Batches(1)),
            "The checkpoint directory has not been set. Please set it by "
            "StreamingContext.checkpoint().");
  EXPECT_EQ(StartMessage(Checkpointed(1)), "");
}

TEST(StateTest, TheCheckpointIntervalMustBeAMultipleOfTheSlideAndAtLeastIt) {
  StreamingConfig below = Checkpointed(1);
  below.checkpoint_interval = sim::Duration::Millis(500);
  EXPECT_EQ(StartMessage(below),
            "The checkpoint interval for state has been set to 500 ms which is lower than its "
            "slide time (1000 ms). Please set it to at least 1000 ms.");
  StreamingConfig not_multiple = Checkpointed(1);
  not_multiple.checkpoint_interval = sim::Duration::Millis(1500);
  EXPECT_EQ(StartMessage(not_multiple),
            "The checkpoint interval for state has been set to 1500 ms which not a multiple of "
            "its slide time (1000 ms). Please set it to a multiple of 1000 ms.");
  StreamingConfig multiple = Checkpointed(1);
  multiple.checkpoint_interval = Seconds(2);
  EXPECT_EQ(StartMessage(multiple), "");
}

TEST(StateTest, AStatelessWindowNeedsNoCheckpointDirectoryButAnInverseOneDoes) {
  {
    Harness harness(Batches(1));
    DStream* input = harness.context->QueueStream("input", {{P(S("a"), I(1))}}, 1, true);
    harness.Collect(
        ReduceByKeyAndWindow(*harness.context, "sums", input, Parse("a + b"), std::nullopt,
                             std::nullopt, WindowArguments{Seconds(2), Seconds(1), 1}),
        "sums");
    EXPECT_TRUE(harness.context->Start().ok());
  }
  Harness harness(Batches(1));
  DStream* input = harness.context->QueueStream("input", {{P(S("a"), I(1))}}, 1, true);
  harness.Collect(
      ReduceByKeyAndWindow(*harness.context, "sums", input, Parse("a + b"), Parse("a - b"),
                           std::nullopt, WindowArguments{Seconds(2), Seconds(1), 1}),
      "sums");
  const Status status = harness.context->Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(),
            "The checkpoint directory has not been set. Please set it by "
            "StreamingContext.checkpoint().");
}

}  // namespace
}  // namespace streamsim::engine
