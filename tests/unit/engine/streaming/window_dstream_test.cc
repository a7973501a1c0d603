// Tests of the windowed operations (engine/streaming/stream_operations.h,
// engine/streaming/window_dstream.cc) through queueStream + collect, each batch's output worked out
// by hand from Spark's window semantics.
#include "engine/streaming/window_dstream.h"

#include <gtest/gtest.h>

#include <utility>

#include "engine/streaming/stream_operations.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::I;
using testing::L;
using testing::Numbered;
using testing::P;
using testing::Parse;
using testing::S;
using testing::Sorted;

using testing::Timed;
using testing::TimedBatches;

sim::Duration Seconds(int64_t n) { return sim::Duration::Seconds(n); }

WindowArguments Args(int64_t window_seconds, int64_t slide_seconds, int partitions = 1) {
  return WindowArguments{Seconds(window_seconds), Seconds(slide_seconds), partitions};
}

// Batch i (1-based) holds the single record i.
std::vector<Values> Numbered(int batches) {
  std::vector<Values> queue;
  for (int i = 1; i <= batches; ++i) queue.push_back({I(i)});
  return queue;
}

StreamingConfig Checkpointed(int64_t batches) {
  StreamingConfig config = Batches(batches);
  config.checkpoint_dir = "checkpoints/app";
  return config;
}

// window(w, s) over a queue of `batches` numbered batches, collected as "window".
TimedBatches RunWindow(int batches, int64_t window_seconds, int64_t slide_seconds) {
  Harness harness(Batches(batches));
  DStream* input = harness.context->QueueStream("input", Numbered(batches), 1, true);
  harness.Collect(Window(*harness.context, "window", input, Args(window_seconds, slide_seconds)),
                  "window");
  harness.Run();
  return Timed(harness, "window");
}

TEST(WindowTest, WindowLargerThanTheSlideOverlapsAndStartsWithPartialWindows) {
  // Batch i holds [10i + 1, 10i + 2] in two partitions; the union keeps the parent's batches
  // oldest first and each batch's partitions in order.
  std::vector<Values> queue;
  for (int i = 1; i <= 5; ++i) queue.push_back({I(10 * i + 1), I(10 * i + 2)});
  Harness harness(Batches(5));
  DStream* input = harness.context->QueueStream("input", queue, 2, true);
  harness.Collect(Window(*harness.context, "window", input, Args(3, 1)), "window");
  harness.Run();
  EXPECT_EQ(Timed(harness, "window"),
            (TimedBatches{{1000, {I(11), I(12)}},
                          {2000, {I(11), I(12), I(21), I(22)}},
                          {3000, {I(11), I(12), I(21), I(22), I(31), I(32)}},
                          {4000, {I(21), I(22), I(31), I(32), I(41), I(42)}},
                          {5000, {I(31), I(32), I(41), I(42), I(51), I(52)}}}));
}

TEST(WindowTest, WindowEqualToTheSlideTumblesAndSkipsTheBatchesInBetween) {
  // Outputs only at multiples of the 2 s slide: batches 1, 3 and 5 have no window RDD, so collect
  // writes no line for them, though the batches themselves run (with no job).
  Harness harness(Batches(6));
  DStream* input = harness.context->QueueStream("input", Numbered(6), 1, true);
  harness.Collect(Window(*harness.context, "window", input, Args(2, 2)), "window");
  harness.Run();
  EXPECT_EQ(Timed(harness, "window"),
            (TimedBatches{{2000, {I(1), I(2)}}, {4000, {I(3), I(4)}}, {6000, {I(5), I(6)}}}));
  const std::vector<BatchInfo> batches = harness.context->batches();
  ASSERT_EQ(batches.size(), 6u);
  for (const BatchInfo& batch : batches) EXPECT_TRUE(batch.completed()) << batch.batch_time.us;
}

TEST(WindowTest, WindowAMultipleOfTheSlide) {
  EXPECT_EQ(RunWindow(8, 4, 2), (TimedBatches{{2000, {I(1), I(2)}},
                                              {4000, {I(1), I(2), I(3), I(4)}},
                                              {6000, {I(3), I(4), I(5), I(6)}},
                                              {8000, {I(5), I(6), I(7), I(8)}}}));
}

TEST(WindowTest, SlideLargerThanTheBatchInterval) {
  // window(6 s, 3 s): outputs at 3, 6 and 9 s only; the first window is partial.
  EXPECT_EQ(RunWindow(9, 6, 3), (TimedBatches{{3000, {I(1), I(2), I(3)}},
                                              {6000, {I(1), I(2), I(3), I(4), I(5), I(6)}},
                                              {9000, {I(4), I(5), I(6), I(7), I(8), I(9)}}}));
  // A window shorter than its slide skips batches: (t - 2 s, t] at t = 3, 6, 9 s.
  EXPECT_EQ(RunWindow(9, 2, 3),
            (TimedBatches{{3000, {I(2), I(3)}}, {6000, {I(5), I(6)}}, {9000, {I(8), I(9)}}}));
}

TEST(WindowTest, AWindowOfOnlyEmptyBatchesIsAnEmptyRdd) {
  Harness harness(Batches(4));
  DStream* input = harness.context->QueueStream("input", {{I(1)}}, 1, true);
  harness.Collect(Window(*harness.context, "window", input, Args(2, 1)), "window");
  harness.Run();
  EXPECT_EQ(Timed(harness, "window"),
            (TimedBatches{{1000, {I(1)}}, {2000, {I(1)}}, {3000, {}}, {4000, {}}}));
}

// The per-batch pairs of the keyed tests: a, a, b | b | c | (empty) | (empty).
std::vector<Values> KeyedBatches() {
  return {{P(S("a"), I(1)), P(S("a"), I(1)), P(S("b"), I(1))},
          {P(S("b"), I(1))},
          {P(S("c"), I(1))},
          {},
          {}};
}

TEST(WindowTest, KeysLeaveTheWindowOfAPlainReduceByKeyAndWindow) {
  Harness harness(Batches(5));
  DStream* input = harness.context->QueueStream("input", KeyedBatches(), 1, true);
  harness.Collect(ReduceByKeyAndWindow(*harness.context, "counts", input, Parse("a + b"),
                                       std::nullopt, std::nullopt, Args(2, 1)),
                  "counts");
  harness.Run();
  EXPECT_EQ(Timed(harness, "counts"), (TimedBatches{{1000, {P(S("a"), I(2)), P(S("b"), I(1))}},
                                                    {2000, {P(S("a"), I(2)), P(S("b"), I(2))}},
                                                    {3000, {P(S("b"), I(1)), P(S("c"), I(1))}},
                                                    {4000, {P(S("c"), I(1))}},
                                                    {5000, {}}}));
}

TEST(WindowTest, InverseReduceKeepsKeysThatReturnedToZeroUnlessFiltered) {
  Harness harness(Checkpointed(5));
  DStream* input = harness.context->QueueStream("input", KeyedBatches(), 1, true);
  harness.Collect(ReduceByKeyAndWindow(*harness.context, "inverse", input, Parse("a + b"),
                                       Parse("a - b"), std::nullopt, Args(2, 1)),
                  "inverse");
  harness.Collect(ReduceByKeyAndWindow(*harness.context, "filtered", input, Parse("a + b"),
                                       Parse("a - b"), Parse("v != 0"), Args(2, 1)),
                  "filtered");
  harness.Run();
  // Each window is the previous one, minus the batch that left, plus the batch that entered: at
  // 3 s a leaves (2 - 2 = 0), at 4 s b (1 - 1), at 5 s c. Zeroes stay for good without a filter.
  EXPECT_EQ(Timed(harness, "inverse"),
            (TimedBatches{{1000, {P(S("a"), I(2)), P(S("b"), I(1))}},
                          {2000, {P(S("a"), I(2)), P(S("b"), I(2))}},
                          {3000, {P(S("a"), I(0)), P(S("b"), I(1)), P(S("c"), I(1))}},
                          {4000, {P(S("a"), I(0)), P(S("b"), I(0)), P(S("c"), I(1))}},
                          {5000, {P(S("a"), I(0)), P(S("b"), I(0)), P(S("c"), I(0))}}}));
  // With the filter the result is the plain form's.
  EXPECT_EQ(Timed(harness, "filtered"), (TimedBatches{{1000, {P(S("a"), I(2)), P(S("b"), I(1))}},
                                                      {2000, {P(S("a"), I(2)), P(S("b"), I(2))}},
                                                      {3000, {P(S("b"), I(1)), P(S("c"), I(1))}},
                                                      {4000, {P(S("c"), I(1))}},
                                                      {5000, {}}}));
}

// Drops the (k, 0) pairs an unfiltered inverse reduce keeps.
Values WithoutZeroes(const Values& pairs) {
  Values kept;
  for (const Value& pair : pairs) {
    if (pair.Items()[1] != I(0)) kept.push_back(pair);
  }
  return kept;
}

TEST(WindowTest, PlainAndInverseReduceByKeyAndWindowAgreeOnALongerInput) {
  // 24 batches of keys k0..k4 drawn by a fixed formula, with gaps; window 4 s, slide 2 s, three
  // reduce partitions (results sorted, since the order across partitions is not the point).
  std::vector<Values> queue;
  for (int batch = 0; batch < 24; ++batch) {
    Values records;
    const int count = (batch * 7) % 5 == 0 ? 0 : (batch * 3) % 4 + 1;
    for (int i = 0; i < count; ++i) {
      records.push_back(P(S(Numbered("k", (batch * batch + i) % 5)), I(i + 1)));
    }
    queue.push_back(records);
  }
  Harness harness(Checkpointed(24));
  DStream* input = harness.context->QueueStream("input", queue, 2, true);
  const WindowArguments args = Args(4, 2, 3);
  harness.Collect(ReduceByKeyAndWindow(*harness.context, "plain", input, Parse("a + b"),
                                       std::nullopt, std::nullopt, args),
                  "plain");
  harness.Collect(ReduceByKeyAndWindow(*harness.context, "inverse", input, Parse("a + b"),
                                       Parse("a - b"), std::nullopt, args),
                  "inverse");
  harness.Collect(ReduceByKeyAndWindow(*harness.context, "filtered", input, Parse("a + b"),
                                       Parse("a - b"), Parse("v != 0"), args),
                  "filtered");
  harness.Run();
  const TimedBatches plain = Timed(harness, "plain");
  const TimedBatches inverse = Timed(harness, "inverse");
  const TimedBatches filtered = Timed(harness, "filtered");
  ASSERT_EQ(plain.size(), 12u);
  ASSERT_EQ(inverse.size(), 12u);
  ASSERT_EQ(filtered.size(), 12u);
  size_t zeroes = 0;
  for (size_t i = 0; i < plain.size(); ++i) {
    EXPECT_EQ(plain[i].first, static_cast<int64_t>(2000 * (i + 1)));
    EXPECT_EQ(inverse[i].first, plain[i].first);
    EXPECT_EQ(filtered[i].first, plain[i].first);
    EXPECT_EQ(Sorted(filtered[i].second), Sorted(plain[i].second)) << "batch " << i;
    EXPECT_EQ(Sorted(WithoutZeroes(inverse[i].second)), Sorted(plain[i].second)) << "batch " << i;
    zeroes += inverse[i].second.size() - WithoutZeroes(inverse[i].second).size();
  }
  // The batches at 1, 6, 11, 16 and 21 s are empty and keys come and go, so the comparison above
  // did meet keys whose value returned to 0.
  EXPECT_GT(zeroes, 0u);
}

// The per-batch integers of the reduceByWindow tests: [1, 2] | [3] | [] | [4] | [] | [].
std::vector<Values> IntegerBatches() { return {{I(1), I(2)}, {I(3)}, {}, {I(4)}, {}, {}}; }

TEST(WindowTest, ReduceByWindowWithoutAnInverse) {
  Harness harness(Batches(6));
  DStream* input = harness.context->QueueStream("input", IntegerBatches(), 1, true);
  harness.Collect(
      ReduceByWindow(*harness.context, "sum", input, Parse("a + b"), std::nullopt, Args(2, 1)),
      "sum");
  harness.Run();
  // reduce(f).window(2 s).reduce(f): the window at 6 s holds two empty reductions, and reduce of
  // nothing emits nothing.
  EXPECT_EQ(Timed(harness, "sum"), (TimedBatches{{1000, {I(3)}},
                                                 {2000, {I(6)}},
                                                 {3000, {I(3)}},
                                                 {4000, {I(4)}},
                                                 {5000, {I(4)}},
                                                 {6000, {}}}));
}

TEST(WindowTest, ReduceByWindowWithAnInverseEmitsTheZeroOnceDataLeft) {
  Harness harness(Checkpointed(6));
  DStream* input = harness.context->QueueStream("input", IntegerBatches(), 1, true);
  harness.Collect(
      ReduceByWindow(*harness.context, "sum", input, Parse("a + b"), Parse("a - b"), Args(2, 1)),
      "sum");
  harness.Run();
  // map((1, x)).reduceByKeyAndWindow(+, -): key 1 stays once seen, so at 6 s the window of two
  // empty batches is 4 - 4 = 0 where the plain form emits nothing.
  EXPECT_EQ(Timed(harness, "sum"), (TimedBatches{{1000, {I(3)}},
                                                 {2000, {I(6)}},
                                                 {3000, {I(3)}},
                                                 {4000, {I(4)}},
                                                 {5000, {I(4)}},
                                                 {6000, {I(0)}}}));
}

TEST(WindowTest, CountByWindowEmitsNothingBeforeDataAndZeroAfterIt) {
  Harness harness(Checkpointed(7));
  DStream* input = harness.context->QueueStream(
      "input", {{}, {}, {S("x"), S("y")}, {S("z")}, {}, {}, {}}, 1, true);
  harness.Collect(CountByWindow(*harness.context, "count", input, Args(2, 1)), "count");
  harness.Run();
  // Before any data the window has no key 1, so the RDD is empty; once the data has left the
  // window the count is 0 (key 1 at 0), as Spark's map(1).reduceByWindow(+, -) gives.
  EXPECT_EQ(Timed(harness, "count"), (TimedBatches{{1000, {}},
                                                   {2000, {}},
                                                   {3000, {I(2)}},
                                                   {4000, {I(3)}},
                                                   {5000, {I(1)}},
                                                   {6000, {I(0)}},
                                                   {7000, {I(0)}}}));
}

TEST(WindowTest, CountByValueAndWindowFiltersZeroCounts) {
  Harness harness(Checkpointed(5));
  DStream* input = harness.context->QueueStream(
      "input", {{S("a"), S("b"), S("a")}, {S("b")}, {S("c")}, {}, {}}, 1, true);
  harness.Collect(CountByValueAndWindow(*harness.context, "counts", input, Args(2, 1)), "counts");
  harness.Run();
  EXPECT_EQ(Timed(harness, "counts"), (TimedBatches{{1000, {P(S("a"), I(2)), P(S("b"), I(1))}},
                                                    {2000, {P(S("a"), I(2)), P(S("b"), I(2))}},
                                                    {3000, {P(S("b"), I(1)), P(S("c"), I(1))}},
                                                    {4000, {P(S("c"), I(1))}},
                                                    {5000, {}}}));
}

TEST(WindowTest, GroupByKeyAndWindowConcatenatesValuesInBatchOrder) {
  Harness harness(Batches(5));
  DStream* input =
      harness.context->QueueStream("input",
                                   {{P(S("a"), I(1)), P(S("b"), I(2)), P(S("a"), I(3))},
                                    {P(S("a"), I(4))},
                                    {P(S("b"), I(5))},
                                    {},
                                    {}},
                                   1, true);
  harness.Collect(GroupByKeyAndWindow(*harness.context, "groups", input, Args(2, 1)), "groups");
  harness.Run();
  EXPECT_EQ(Timed(harness, "groups"),
            (TimedBatches{{1000, {P(S("a"), L({I(1), I(3)})), P(S("b"), L({I(2)}))}},
                          {2000, {P(S("a"), L({I(1), I(3), I(4)})), P(S("b"), L({I(2)}))}},
                          {3000, {P(S("a"), L({I(4)})), P(S("b"), L({I(5)}))}},
                          {4000, {P(S("b"), L({I(5)}))}},
                          {5000, {}}}));
}

// Tasks launched by each batch 1..batches of a reduceByKeyAndWindow over a queue of one pair per
// batch (one input partition, two reduce partitions): counters sampled 900 ms into each batch,
// when the batch's jobs are long done, and once more after the last batch ends the run.
std::vector<int64_t> TasksPerBatch(int64_t window_seconds, bool inverse, int batches) {
  Harness harness(Checkpointed(batches));
  std::vector<Values> queue;
  for (int i = 1; i <= batches; ++i) queue.push_back({P(S(Numbered("k", i % 3)), I(i))});
  DStream* input = harness.context->QueueStream("input", queue, 1, true);
  harness.Collect(ReduceByKeyAndWindow(*harness.context, "sums", input, Parse("a + b"),
                                       inverse ? std::optional(Parse("a - b")) : std::nullopt,
                                       std::nullopt, Args(window_seconds, 1, 2)),
                  "sums");
  std::vector<int64_t> launched;
  for (int t = 1; t < batches; ++t) {
    harness.world->ScheduleGlobal(sim::Duration::Millis(1000 * t + 900), [&]() {
      launched.push_back(harness.context->scheduler().counters().tasks_launched);
    });
  }
  // The run ends as the last batch completes.
  harness.Run();
  launched.push_back(harness.context->scheduler().counters().tasks_launched);
  std::vector<int64_t> per_batch;
  for (size_t i = 0; i < launched.size(); ++i) {
    per_batch.push_back(launched[i] - (i == 0 ? 0 : launched[i - 1]));
  }
  return per_batch;
}

TEST(WindowTest, TheInverseFormDoesWorkProportionalToTheSlicesThatMove) {
  // Once the window has filled, a batch of the inverse form runs five stages, whatever the window:
  //   the queue batch's reduceByKey map stage      1 task
  //   the cogroup's map stage over the previous window (2 partitions, cached)   2 tasks
  //   ... over the reduced batch that leaves (cached)                          2 tasks
  //   ... over the reduced batch that enters                                   2 tasks
  //   the cogroup itself (2 reduce partitions)                                 2 tasks
  // = 9 tasks; on the data-checkpoint batches (every 10 s) a checkpoint job adds 2 more.
  const std::vector<int64_t> three = TasksPerBatch(3, /*inverse=*/true, 39);
  const std::vector<int64_t> thirty = TasksPerBatch(30, /*inverse=*/true, 39);
  ASSERT_EQ(three.size(), 39u);
  ASSERT_EQ(thirty.size(), 39u);
  for (int t = 31; t <= 39; ++t) {
    EXPECT_EQ(three[t - 1], 9) << "3 s window, batch " << t;
    EXPECT_EQ(thirty[t - 1], 9) << "30 s window, batch " << t;
  }
  // Before the window fills nothing leaves (7 tasks); the first window has no previous window (its
  // map stage has no partitions: 5 tasks); batches 10, 20 and 30 add the checkpoint job.
  EXPECT_EQ(thirty[0], 5);
  for (int t = 2; t <= 30; ++t) EXPECT_EQ(thirty[t - 1], t % 10 == 0 ? 9 : 7) << "batch " << t;
  for (int t = 4; t <= 30; ++t) EXPECT_EQ(three[t - 1], t % 10 == 0 ? 11 : 9) << "batch " << t;
  // The plain form re-reduces the whole window: its map stage reads every cached per-batch
  // reduction in the window (2 partitions each), so 1 + 2 x 30 + 2 = 63 tasks for 30 s.
  const std::vector<int64_t> plain_three = TasksPerBatch(3, /*inverse=*/false, 39);
  const std::vector<int64_t> plain_thirty = TasksPerBatch(30, /*inverse=*/false, 39);
  for (int t = 31; t <= 39; ++t) {
    EXPECT_EQ(plain_three[t - 1], 1 + 2 * 3 + 2) << "batch " << t;
    EXPECT_EQ(plain_thirty[t - 1], 1 + 2 * 30 + 2) << "batch " << t;
  }
}

TEST(WindowTest, TheWindowedStreamRemembersItsParentForTheWindow) {
  Harness harness(Batches(1));
  DStream* input = harness.context->QueueStream("input", Numbered(1), 1, true);
  DStream* window = Window(*harness.context, "window", input, Args(5, 1));
  harness.Collect(window, "window");
  ASSERT_TRUE(harness.context->Start().ok());
  // The output remembers one slide; its parent that plus the window length.
  EXPECT_EQ(window->remember(), Seconds(1));
  EXPECT_EQ(input->remember(), Seconds(6));
  EXPECT_TRUE(input->persist());
  testing::RunToTermination(*harness.world, *harness.context);
}

}  // namespace
}  // namespace streamsim::engine
