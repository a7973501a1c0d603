// Tests of every stateless operator (engine/core/operators.cc) through QueueStream + Transform +
// collect, with each batch's output worked out by hand from Spark's semantics.
#include "engine/core/operators.h"

#include <gtest/gtest.h>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Chain;
using testing::Harness;
using testing::I;
using testing::L;
using testing::Null;
using testing::Op;
using testing::P;
using testing::S;
using testing::Sorted;

// Runs `chain` over one queue stream (one queued batch per streaming batch) and returns what
// collect saw, one Values per batch.
std::vector<Values> RunChain(std::vector<Values> batches, int partitions,
                             std::vector<Operator> chain) {
  Harness harness(Batches(static_cast<int64_t>(batches.size())));
  DStream* input = harness.context->QueueStream("input", std::move(batches), partitions, true);
  harness.TransformAndCollect({input}, std::move(chain), "out");
  harness.Run();
  return harness.Batches("out");
}

// Runs a binary operator: `main` and `other` queue streams, `chain` over [main, other].
std::vector<Values> RunBinary(std::vector<Values> main, int main_partitions,
                              std::vector<Values> other, int other_partitions,
                              std::vector<Operator> chain) {
  Harness harness(Batches(static_cast<int64_t>(main.size())));
  DStream* left = harness.context->QueueStream("main", std::move(main), main_partitions, true);
  DStream* right = harness.context->QueueStream("other", std::move(other), other_partitions, true);
  harness.TransformAndCollect({left, right}, std::move(chain), "out");
  harness.Run();
  return harness.Batches("out");
}

Values Words(std::initializer_list<const char*> words) {
  Values values;
  for (const char* word : words) values.push_back(S(word));
  return values;
}

TEST(OperatorsTest, MapAppliesTheFunctionToEveryRecordInOrder) {
  const auto out =
      RunChain({{I(1), I(2), I(3)}, {I(4)}, {}}, 2, {Op(OperatorKind::kMap, "x * 10")});
  EXPECT_EQ(out, (std::vector<Values>{{I(10), I(20), I(30)}, {I(40)}, {}}));
}

TEST(OperatorsTest, MapToPairs) {
  const auto out = RunChain({Words({"a", "b"})}, 1, {Op(OperatorKind::kMap, "(x, len(x))")});
  EXPECT_EQ(out, (std::vector<Values>{{P(S("a"), I(1)), P(S("b"), I(1))}}));
}

TEST(OperatorsTest, FilterKeepsRecordsWhereThePredicateHolds) {
  const auto out = RunChain({{I(1), I(2), I(3), I(4)}, {I(5)}, {I(6)}}, 2,
                            {Op(OperatorKind::kFilter, "x % 2 == 0")});
  EXPECT_EQ(out, (std::vector<Values>{{I(2), I(4)}, {}, {I(6)}}));
}

TEST(OperatorsTest, FlatMapWithListResults) {
  const auto out = RunChain({{I(1), I(2)}, {I(3)}}, 2, {Op(OperatorKind::kFlatMap, "[x, x * 10]")});
  EXPECT_EQ(out, (std::vector<Values>{{I(1), I(10), I(2), I(20)}, {I(3), I(30)}}));
}

TEST(OperatorsTest, FlatMapWithTupleResults) {
  const auto out = RunChain({{I(1), I(2)}}, 1, {Op(OperatorKind::kFlatMap, "(x, -x)")});
  EXPECT_EQ(out, (std::vector<Values>{{I(1), I(-1), I(2), I(-2)}}));
}

TEST(OperatorsTest, FlatMapSplitsLinesIntoWordsAndDropsEmptyResults) {
  const auto out = RunChain({Words({"to be", "", "or"})}, 2,
                            {Op(OperatorKind::kFlatMap, "if(x == \"\", [], split(x, \" \"))")});
  EXPECT_EQ(out, (std::vector<Values>{Words({"to", "be", "or"})}));
}

TEST(OperatorsTest, MapPartitionsSeesEachPartitionSeparately) {
  // sc.parallelize slices 5 records into [0, 2) and [2, 5).
  const auto counts = RunChain({{I(1), I(2), I(3), I(4), I(5)}, {I(6)}}, 2,
                               {Op(OperatorKind::kMapPartitions, "[len(xs)]")});
  EXPECT_EQ(counts, (std::vector<Values>{{I(2), I(3)}, {I(0), I(1)}}));
  const auto sums = RunChain({{I(1), I(2), I(3), I(4), I(5)}}, 2,
                             {Op(OperatorKind::kMapPartitions, "[sum(xs)]")});
  EXPECT_EQ(sums, (std::vector<Values>{{I(3), I(12)}}));
  const auto appended =
      RunChain({{I(1), I(2), I(3)}}, 3, {Op(OperatorKind::kMapPartitions, "xs + [0]")});
  EXPECT_EQ(appended, (std::vector<Values>{{I(1), I(0), I(2), I(0), I(3), I(0)}}));
}

TEST(OperatorsTest, QueuePartitionsAreContiguousSlices) {
  // 7 records into 3 slices: [0, 2), [2, 4), [4, 7).
  const auto out = RunChain({{I(1), I(2), I(3), I(4), I(5), I(6), I(7)}}, 3,
                            {Op(OperatorKind::kMapPartitions, "[xs]")});
  EXPECT_EQ(out, (std::vector<Values>{{L({I(1), I(2)}), L({I(3), I(4)}), L({I(5), I(6), I(7)})}}));
}

TEST(OperatorsTest, RepartitionChangesThePartitionCountAndKeepsTheRecords) {
  Values records;
  for (int i = 1; i <= 10; ++i) records.push_back(I(i));
  // One input partition: record i goes to (0 + i) % 3, so partitions hold 4, 3 and 3 records.
  const auto counts = RunChain(
      {records}, 1,
      {Op(OperatorKind::kRepartition, "", 3), Op(OperatorKind::kMapPartitions, "[len(xs)]")});
  EXPECT_EQ(counts, (std::vector<Values>{{I(4), I(3), I(3)}}));
  const auto moved = RunChain({records}, 1, {Op(OperatorKind::kRepartition, "", 3)});
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0], (Values{I(1), I(4), I(7), I(10), I(2), I(5), I(8), I(3), I(6), I(9)}));
  EXPECT_EQ(Sorted(moved[0]), records);
}

TEST(OperatorsTest, RepartitionFromTwoPartitionsGathersBucketsInMapOrder) {
  Values records;
  for (int i = 1; i <= 10; ++i) records.push_back(I(i));
  // Map 0 holds 1..5 and sends its i-th record to i % 3; map 1 holds 6..10 and sends its i-th
  // record to (1 + i) % 3. Reduce p gathers map 0's bucket then map 1's.
  const auto moved = RunChain({records}, 2, {Op(OperatorKind::kRepartition, "", 3)});
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0], (Values{I(1), I(4), I(8), I(2), I(5), I(6), I(9), I(3), I(7), I(10)}));
  const auto counts = RunChain(
      {records}, 2,
      {Op(OperatorKind::kRepartition, "", 3), Op(OperatorKind::kMapPartitions, "[len(xs)]")});
  EXPECT_EQ(counts, (std::vector<Values>{{I(3), I(4), I(3)}}));
  const auto down = RunChain(
      {records}, 5,
      {Op(OperatorKind::kRepartition, "", 1), Op(OperatorKind::kMapPartitions, "[len(xs)]")});
  EXPECT_EQ(down, (std::vector<Values>{{I(10)}}));
}

TEST(OperatorsTest, RepartitionWithoutACountUsesTheDefaultParallelism) {
  // 2 workers x 2 cores: default parallelism 4.
  const auto counts =
      RunChain({{I(1), I(2), I(3), I(4), I(5)}}, 1,
               {Op(OperatorKind::kRepartition), Op(OperatorKind::kMapPartitions, "[len(xs)]")});
  EXPECT_EQ(counts, (std::vector<Values>{{I(2), I(1), I(1), I(1)}}));
}

const Values kWordStream = {S("b"), S("a"), S("c"), S("a"), S("b"), S("a")};

TEST(OperatorsTest, ReduceByKeyWithOneReducePartitionSortsKeys) {
  const auto out =
      RunChain({kWordStream, {S("z")}, {}}, 2,
               {Op(OperatorKind::kMap, "(x, 1)"), Op(OperatorKind::kReduceByKey, "a + b", 1)});
  EXPECT_EQ(out, (std::vector<Values>{
                     {P(S("a"), I(3)), P(S("b"), I(2)), P(S("c"), I(1))}, {P(S("z"), I(1))}, {}}));
}

// Checks that `records` (pairs) are partition 0's keys in order, then partition 1's, ..., where a
// key's partition is its hash modulo `partitions`.
void ExpectHashPartitionedAndSorted(const Values& records, int partitions) {
  for (size_t i = 1; i < records.size(); ++i) {
    const Value& previous = records[i - 1].Items()[0];
    const Value& key = records[i].Items()[0];
    const uint64_t previous_partition = previous.Hash() % static_cast<uint64_t>(partitions);
    const uint64_t partition = key.Hash() % static_cast<uint64_t>(partitions);
    EXPECT_LE(previous_partition, partition) << "record " << i;
    if (previous_partition == partition) {
      EXPECT_LT(previous, key) << "record " << i;
    }
  }
}

TEST(OperatorsTest, ReduceByKeyWithThreeReducePartitionsGivesTheSameMultiset) {
  Values words;
  const char* vocabulary[] = {"spark", "stream", "batch", "window", "state", "driver", "worker"};
  for (int i = 0; i < 40; ++i) words.push_back(S(vocabulary[(i * i) % 7]));
  const auto one = RunChain(
      {words}, 3, {Op(OperatorKind::kMap, "(x, 1)"), Op(OperatorKind::kReduceByKey, "a + b", 1)});
  const auto three = RunChain(
      {words}, 3, {Op(OperatorKind::kMap, "(x, 1)"), Op(OperatorKind::kReduceByKey, "a + b", 3)});
  // i % 7 over i = 0..39 is 0..4 six times each and 5, 6 five times each. (i * i) % 7 is 0 for
  // residue 0 (6 words "spark"), 1 for residues 1 and 6 (11 "stream"), 2 for residues 3 and 4
  // (12 "batch") and 4 for residues 2 and 5 (11 "state").
  const Values expected = {P(S("batch"), I(12)), P(S("spark"), I(6)), P(S("state"), I(11)),
                           P(S("stream"), I(11))};
  ASSERT_EQ(one.size(), 1u);
  ASSERT_EQ(three.size(), 1u);
  EXPECT_EQ(one[0], expected);
  EXPECT_EQ(Sorted(three[0]), expected);
  ExpectHashPartitionedAndSorted(three[0], 3);
}

TEST(OperatorsTest, ReduceByKeyCombinesValuesInArrivalOrder) {
  // String concatenation is not commutative: the map-side combine of each partition, then the
  // reduce side over the map outputs in partition order, keep the arrival order of the values.
  const auto out = RunChain({{P(S("k"), S("1")), P(S("j"), S("x")), P(S("k"), S("2")),
                              P(S("k"), S("3")), P(S("j"), S("y"))}},
                            2, {Op(OperatorKind::kReduceByKey, "a + b", 1)});
  EXPECT_EQ(out, (std::vector<Values>{{P(S("j"), S("xy")), P(S("k"), S("123"))}}));
}

TEST(OperatorsTest, GroupByKeyKeepsValuesInArrivalOrder) {
  const auto out = RunChain({{P(S("a"), I(1)), P(S("b"), I(2)), P(S("a"), I(3)), P(S("a"), I(4))},
                             {P(I(2), S("x")), P(I(1), S("y"))}},
                            2, {Op(OperatorKind::kGroupByKey, "", 1)});
  EXPECT_EQ(out, (std::vector<Values>{{P(S("a"), L({I(1), I(3), I(4)})), P(S("b"), L({I(2)}))},
                                      {P(I(1), L({S("y")})), P(I(2), L({S("x")}))}}));
}

TEST(OperatorsTest, GroupByKeyWithSeveralPartitionsGivesTheSameGroups) {
  Values pairs;
  for (int i = 0; i < 12; ++i) pairs.push_back(P(I(i % 4), I(i)));
  const auto out = RunChain({pairs}, 3, {Op(OperatorKind::kGroupByKey, "", 2)});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(Sorted(out[0]),
            (Values{P(I(0), L({I(0), I(4), I(8)})), P(I(1), L({I(1), I(5), I(9)})),
                    P(I(2), L({I(2), I(6), I(10)})), P(I(3), L({I(3), I(7), I(11)}))}));
  ExpectHashPartitionedAndSorted(out[0], 2);
}

TEST(OperatorsTest, CountByValueCountsEachDistinctRecord) {
  const auto out = RunChain({{S("x"), S("y"), S("x"), I(1), S("x")}, {}}, 2,
                            {Op(OperatorKind::kCountByValue, "", 1)});
  EXPECT_EQ(out, (std::vector<Values>{{P(I(1), I(1)), P(S("x"), I(3)), P(S("y"), I(1))}, {}}));
}

TEST(OperatorsTest, CountGivesOneNumberPerBatchAndZeroForAnEmptyBatch) {
  const auto out = RunChain({{I(1), I(2), I(3)}, {}, {I(7)}}, 2, {Op(OperatorKind::kCount)});
  EXPECT_EQ(out, (std::vector<Values>{{I(3)}, {I(0)}, {I(1)}}));
}

TEST(OperatorsTest, ReduceFoldsTheBatchAndAnEmptyBatchEmitsNothing) {
  const auto out =
      RunChain({{I(1), I(2), I(3), I(4)}, {}, {I(9)}}, 3, {Op(OperatorKind::kReduce, "a + b")});
  EXPECT_EQ(out, (std::vector<Values>{{I(10)}, {}, {I(9)}}));
  const auto maximum = RunChain({{I(3), I(8), I(-2)}}, 2, {Op(OperatorKind::kReduce, "max(a, b)")});
  EXPECT_EQ(maximum, (std::vector<Values>{{I(8)}}));
}

TEST(OperatorsTest, MapValuesBindsKeyAndValue) {
  const auto doubled =
      RunChain({{P(S("a"), I(1)), P(S("b"), I(2))}}, 2, {Op(OperatorKind::kMapValues, "v * 10")});
  EXPECT_EQ(doubled, (std::vector<Values>{{P(S("a"), I(10)), P(S("b"), I(20))}}));
  const auto with_key = RunChain({{P(S("a"), I(1)), P(S("b"), I(2))}}, 1,
                                 {Op(OperatorKind::kMapValues, "(k, v + 1)")});
  EXPECT_EQ(with_key,
            (std::vector<Values>{{P(S("a"), P(S("a"), I(2))), P(S("b"), P(S("b"), I(3)))}}));
}

TEST(OperatorsTest, FlatMapValuesPairsTheKeyWithEveryResult) {
  const auto out = RunChain({{P(S("a"), I(1)), P(S("b"), I(2)), P(S("c"), I(0))}}, 2,
                            {Op(OperatorKind::kFlatMapValues, "range(0, v)")});
  EXPECT_EQ(out, (std::vector<Values>{{P(S("a"), I(0)), P(S("b"), I(0)), P(S("b"), I(1))}}));
  const auto tuple =
      RunChain({{P(S("a"), I(5))}}, 1, {Op(OperatorKind::kFlatMapValues, "(v, v + 1)")});
  EXPECT_EQ(tuple, (std::vector<Values>{{P(S("a"), I(5)), P(S("a"), I(6))}}));
}

// Join inputs: main has a twice and b; other has a twice and c.
const Values kLeft = {P(S("a"), I(1)), P(S("b"), I(2)), P(S("a"), I(3))};
const Values kRight = {P(S("a"), S("x")), P(S("c"), S("y")), P(S("a"), S("z"))};
const Values kJoinedA = {P(S("a"), P(I(1), S("x"))), P(S("a"), P(I(1), S("z"))),
                         P(S("a"), P(I(3), S("x"))), P(S("a"), P(I(3), S("z")))};

Values Plus(Values values, const Values& more) {
  values.insert(values.end(), more.begin(), more.end());
  return values;
}

TEST(OperatorsTest, JoinPairsEveryValueOfAKeyOnBothSides) {
  const auto out = RunBinary({kLeft, {P(S("q"), I(0))}}, 2, {kRight, {}}, 2,
                             {Op(OperatorKind::kJoin, "", 1, 0)});
  EXPECT_EQ(out, (std::vector<Values>{kJoinedA, {}}));
}

TEST(OperatorsTest, LeftOuterJoinKeepsLeftKeysWithNull) {
  const auto out = RunBinary({kLeft}, 2, {kRight}, 1, {Op(OperatorKind::kLeftOuterJoin, "", 1, 0)});
  EXPECT_EQ(out, (std::vector<Values>{Plus(kJoinedA, {P(S("b"), P(I(2), Null()))})}));
}

TEST(OperatorsTest, RightOuterJoinKeepsRightKeysWithNull) {
  const auto out =
      RunBinary({kLeft}, 1, {kRight}, 2, {Op(OperatorKind::kRightOuterJoin, "", 1, 0)});
  EXPECT_EQ(out, (std::vector<Values>{Plus(kJoinedA, {P(S("c"), P(Null(), S("y")))})}));
}

TEST(OperatorsTest, FullOuterJoinKeepsKeysOfBothSides) {
  const auto out = RunBinary({kLeft, {}}, 2, {kRight, {P(I(1), I(2))}}, 2,
                             {Op(OperatorKind::kFullOuterJoin, "", 1, 0)});
  EXPECT_EQ(out, (std::vector<Values>{
                     Plus(kJoinedA, {P(S("b"), P(I(2), Null())), P(S("c"), P(Null(), S("y")))}),
                     {P(I(1), P(Null(), I(2)))}}));
}

TEST(OperatorsTest, JoinWithSeveralReducePartitionsGivesTheSamePairs) {
  const auto out = RunBinary({kLeft}, 2, {kRight}, 2, {Op(OperatorKind::kFullOuterJoin, "", 3, 0)});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(Sorted(out[0]),
            Sorted(Plus(kJoinedA, {P(S("b"), P(I(2), Null())), P(S("c"), P(Null(), S("y")))})));
}

TEST(OperatorsTest, CogroupListsBothSidesValuesPerKey) {
  const auto out = RunBinary({kLeft}, 2, {kRight}, 2, {Op(OperatorKind::kCogroup, "", 1, 0)});
  EXPECT_EQ(out, (std::vector<Values>{{P(S("a"), P(L({I(1), I(3)}), L({S("x"), S("z")}))),
                                       P(S("b"), P(L({I(2)}), L({}))),
                                       P(S("c"), P(L({}), L({S("y")})))}}));
}

TEST(OperatorsTest, UnionIsTheFirstStreamsPartitionsThenTheSeconds) {
  const auto out = RunBinary({{I(1), I(2)}, {}}, 2, {{I(10), I(20), I(30)}, {I(40)}}, 1,
                             {Op(OperatorKind::kUnion, "", 0, 0)});
  EXPECT_EQ(out, (std::vector<Values>{{I(1), I(2), I(10), I(20), I(30)}, {I(40)}}));
  const auto counts = RunBinary(
      {{I(1), I(2)}}, 2, {{I(10), I(20), I(30)}}, 1,
      {Op(OperatorKind::kUnion, "", 0, 0), Op(OperatorKind::kMapPartitions, "[len(xs)]")});
  EXPECT_EQ(counts, (std::vector<Values>{{I(1), I(1), I(3)}}));
}

TEST(OperatorsTest, TransformAppliesItsWholeChain) {
  // [1..5] -> doubled [2, 4, 6, 8, 10] -> above 2 [4, 6, 8, 10] -> (x % 3, x) -> summed by key.
  const auto out = RunChain(
      {{I(1), I(2), I(3), I(4), I(5)}, {I(3)}}, 2,
      {Chain(OperatorKind::kTransform,
             {Op(OperatorKind::kMap, "x * 2"), Op(OperatorKind::kFilter, "x > 2"),
              Op(OperatorKind::kMap, "(x % 3, x)"), Op(OperatorKind::kReduceByKey, "a + b", 1)})});
  EXPECT_EQ(out,
            (std::vector<Values>{{P(I(0), I(6)), P(I(1), I(14)), P(I(2), I(8))}, {P(I(0), I(6))}}));
}

TEST(OperatorsTest, TransformWithJoinsAnotherStream) {
  const auto out = RunBinary(
      {{S("a"), S("b"), S("a")}, {S("c")}}, 2, {{P(S("a"), I(100)), P(S("c"), I(7))}, {}}, 1,
      {Chain(OperatorKind::kTransformWith,
             {Op(OperatorKind::kMap, "(x, 1)"), Op(OperatorKind::kReduceByKey, "a + b", 1),
              Op(OperatorKind::kJoin, "", 1, 0), Op(OperatorKind::kMapValues, "v[0] * v[1]")})});
  EXPECT_EQ(out, (std::vector<Values>{{P(S("a"), I(200))}, {}}));
}

TEST(OperatorsTest, AnOtherStreamWhoseQueueIsDrainedContributesNothing) {
  // The other queue holds one batch: at 2 s its RDD is empty, so the union is the main stream's.
  Harness harness(Batches(2));
  DStream* main = harness.context->QueueStream("main", {{P(I(1), I(1))}, {P(I(1), I(2))}}, 1, true);
  DStream* other = harness.context->QueueStream("other", {{P(I(1), I(5))}}, 1, true);
  harness.TransformAndCollect({main, other}, {Op(OperatorKind::kUnion, "", 0, 0)}, "union");
  harness.Run();
  EXPECT_EQ(harness.Batches("union"),
            (std::vector<Values>{{P(I(1), I(1)), P(I(1), I(5))}, {P(I(1), I(2))}}));
}

TEST(OperatorsTest, APoisonRecordFailsTheBatchAfterFourAttemptsAndLaterBatchesRun) {
  Harness harness(Batches(3));
  DStream* input =
      harness.context->QueueStream("input", {{I(1), I(2), I(3)}, {I(4)}, {I(5), I(6)}}, 1, true);
  harness.TransformAndCollect({input}, {Op(OperatorKind::kMap, "if(x == 3, fail(\"poison\"), x)")},
                              "out");
  harness.Run();
  const auto& batches = harness.context->batches();
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_NE(batches[0].failure.find("failed 4 times"), std::string::npos) << batches[0].failure;
  EXPECT_NE(batches[0].failure.find("poison"), std::string::npos) << batches[0].failure;
  EXPECT_EQ(batches[0].failure,
            "Job aborted due to stage failure: Task 0 in stage 0.0 failed 4 times, most recent "
            "failure: user function failed: poison");
  EXPECT_TRUE(batches[0].completed());
  EXPECT_EQ(batches[1].failure, "");
  EXPECT_EQ(batches[2].failure, "");
  const SchedulerCounters& counters = harness.context->scheduler().counters();
  EXPECT_EQ(counters.tasks_failed, 4);
  EXPECT_EQ(counters.jobs_failed, 1);
  EXPECT_EQ(counters.tasks_launched, 4 + 1 + 1);
  // The failed batch delivers nothing; the next ones deliver their records.
  const auto& collected = harness.listener.collected["out"];
  ASSERT_EQ(collected.size(), 2u);
  EXPECT_EQ(collected[0].batch_time_ms, 2000);
  EXPECT_EQ(collected[0].records, (Values{I(4)}));
  EXPECT_EQ(collected[1].batch_time_ms, 3000);
  EXPECT_EQ(collected[1].records, (Values{I(5), I(6)}));
  ASSERT_EQ(harness.listener.warnings.size(), 1u);
  EXPECT_EQ(harness.listener.warnings[0], "batch 1000 ms: " + batches[0].failure);
  EXPECT_EQ(harness.context->stop_reason(), "stopped after 3 batches");
}

TEST(OperatorsTest, OnlyThePoisonedPartitionIsRetried) {
  Harness harness(Batches(1));
  DStream* input = harness.context->QueueStream("input", {{I(1), I(2), I(3), I(4)}}, 2, true);
  harness.TransformAndCollect({input}, {Op(OperatorKind::kMap, "if(x == 3, fail(\"poison\"), x)")},
                              "out");
  harness.Run();
  // Partition 0 ([1, 2]) succeeds once; partition 1 ([3, 4]) fails four times.
  const SchedulerCounters& counters = harness.context->scheduler().counters();
  EXPECT_EQ(counters.tasks_launched, 5);
  EXPECT_EQ(counters.tasks_failed, 4);
  EXPECT_NE(harness.context->batches()[0].failure.find("Task 1 in stage 0.0 failed 4 times"),
            std::string::npos)
      << harness.context->batches()[0].failure;
}

TEST(OperatorsTest, WrongShapesFailTheTaskWithTheOperatorsName) {
  Harness harness(Batches(3));
  DStream* input = harness.context->QueueStream("input", {{I(1)}, {I(2)}, {I(3)}}, 1, true);
  harness.TransformAndCollect({input}, {Op(OperatorKind::kFlatMap, "x")}, "flat");
  harness.TransformAndCollect({input}, {Op(OperatorKind::kFilter, "x")}, "filter");
  harness.TransformAndCollect({input}, {Op(OperatorKind::kMapValues, "v")}, "values");
  harness.Run();
  const BatchInfo first = harness.context->batches()[0];  // batches() returns a copy
  // The batch keeps the message of its last failed job; every job of it failed.
  EXPECT_NE(first.failure.find("mapValues needs (key, value) pairs, got 1"), std::string::npos)
      << first.failure;
  ASSERT_EQ(harness.listener.warnings.size(), 9u);
  EXPECT_NE(harness.listener.warnings[0].find("flatMap must return a list or tuple, got int"),
            std::string::npos)
      << harness.listener.warnings[0];
  EXPECT_NE(harness.listener.warnings[1].find("filter must return a bool, got int"),
            std::string::npos)
      << harness.listener.warnings[1];
  EXPECT_EQ(harness.context->scheduler().counters().jobs_failed, 9);
  EXPECT_EQ(harness.context->scheduler().counters().tasks_failed, 9 * 4);
}

}  // namespace
}  // namespace streamsim::engine
