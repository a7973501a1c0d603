// The oracle, operator family by operator family, on pipelines written as scenario YAML with queue
// sources (so the conversion of scenarios::OraclePipeline is exercised too). Every expectation is
// an exact batch: its records as a sorted multiset, or its failure.
#include "checker/oracle.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/checker/oracle_test_support.h"

namespace streamsim::checker {
namespace {

using testing::At;
using testing::BatchText;
using testing::Expected;
using testing::RunYaml;

// A scenario around `sources` and `streams` (YAML mapping bodies, indented two spaces), with a
// checkpoint directory (state needs one) and `streaming_extra` inside `streaming:`.
std::string Yaml(const std::string& sources, const std::string& streams,
                 const std::string& checkpoint = "{dir: ck}") {
  return "name: oracle\nstop: {batches: 10}\nstreaming: {batch_interval: 1s, checkpoint: " +
         checkpoint + "}\nsources:\n" + sources + "streams:\n" + streams +
         "outputs:\n  - {stream: out, collect: out}\n";
}

const char kNumbers[] = "  nums: {kind: queue, batches: [[1, 2, 3], [4], []]}\n";
const char kPairs[] = "  pairs: {kind: queue, batches: [[[a, 1], [b, 2], [a, 3]], [[b, 5]], []]}\n";

TEST(OracleStatelessTest, MapFilterFlatMapApplyInOrderToEveryBatch) {
  const OracleResult result =
      RunYaml(Yaml(kNumbers,
                   "  out: {from: nums, ops: [{map: 'x * 10'}, {filter: 'x > 10'}, "
                   "{flatMap: '[x, x + 1]'}]}\n"),
              4);
  EXPECT_EQ(BatchText(result, "nums", 1), Expected("[1, 2, 3]"));
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[20, 21, 30, 31]"));
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[40, 41]"));
  EXPECT_EQ(BatchText(result, "out", 3), Expected("[]"));
  EXPECT_EQ(BatchText(result, "out", 4), Expected("[]"));  // after the queue: empty batches
  EXPECT_EQ(BatchText(result, "out", 5), "no batch");      // after the run
}

TEST(OracleStatelessTest, ValueFunctionsSeeKeyValueAndPair) {
  const OracleResult result =
      RunYaml(Yaml(kPairs,
                   "  doubled: {from: pairs, ops: [{mapValues: 'v * 2 + len(x[0])'}]}\n"
                   "  out: {from: doubled, ops: [{flatMapValues: '[v, k]'}]}\n"
                   "  sizes: {from: pairs, ops: [{mapPartitions: '[len(xs)]'}]}\n"),
              3);
  EXPECT_EQ(BatchText(result, "doubled", 1), Expected("[(\"a\", 3), (\"b\", 5), (\"a\", 7)]"));
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[(\"b\", 11), (\"b\", \"b\")]"));
  EXPECT_EQ(BatchText(result, "sizes", 1), Expected("[3]"));  // the batch is one partition
  EXPECT_EQ(BatchText(result, "sizes", 3), Expected("[0]"));
}

TEST(OracleStatelessTest, KeyedAggregationsAndCounts) {
  const OracleResult result =
      RunYaml(Yaml(kPairs,
                   "  out: {from: pairs, ops: [{reduceByKey: {func: 'a + b', partitions: 3}}]}\n"
                   "  groups: {from: pairs, ops: [groupByKey, {repartition: 5}]}\n"
                   "  values: {from: pairs, ops: [{map: 'x[1] % 2'}, countByValue]}\n"
                   "  counted: {from: pairs, ops: [count]}\n"
                   "  total: {from: pairs, ops: [{map: 'x[1]'}, {reduce: 'a + b'}]}\n"),
              3);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[(\"a\", 4), (\"b\", 2)]"));
  EXPECT_EQ(BatchText(result, "groups", 1), Expected("[(\"a\", [1, 3]), (\"b\", [2])]"));
  EXPECT_EQ(BatchText(result, "values", 1), Expected("[(0, 1), (1, 2)]"));
  EXPECT_EQ(BatchText(result, "counted", 1), Expected("[3]"));
  EXPECT_EQ(BatchText(result, "counted", 3), Expected("[0]"));  // count of an empty batch
  EXPECT_EQ(BatchText(result, "total", 2), Expected("[5]"));
  EXPECT_EQ(BatchText(result, "total", 3), Expected("[]"));  // reduce of an empty batch
}

const char kJoinSources[] =
    "  left: {kind: queue, batches: [[[a, 1], [a, 2], [b, 3]], [[a, 4]]]}\n"
    "  right: {kind: queue, batches: [[[a, x], [c, y]]]}\n";

TEST(OracleStatelessTest, JoinFlavoursCogroupAndUnion) {
  const OracleResult result = RunYaml(
      Yaml(kJoinSources,
           "  out: {from: left, ops: [{join: right}]}\n"
           "  leftOuter: {from: left, ops: [{leftOuterJoin: right}]}\n"
           "  rightOuter: {from: left, ops: [{rightOuterJoin: {other: right, partitions: 2}}]}\n"
           "  fullOuter: {from: left, ops: [{fullOuterJoin: right}]}\n"
           "  grouped: {from: left, ops: [{cogroup: right}]}\n"
           "  both: {from: left, ops: [{union: right}]}\n"),
      2);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[(\"a\", (1, \"x\")), (\"a\", (2, \"x\"))]"));
  EXPECT_EQ(BatchText(result, "leftOuter", 1),
            Expected("[(\"a\", (1, \"x\")), (\"a\", (2, \"x\")), (\"b\", (3, null))]"));
  EXPECT_EQ(BatchText(result, "rightOuter", 1),
            Expected("[(\"a\", (1, \"x\")), (\"a\", (2, \"x\")), (\"c\", (null, \"y\"))]"));
  EXPECT_EQ(BatchText(result, "fullOuter", 1),
            Expected("[(\"a\", (1, \"x\")), (\"a\", (2, \"x\")), (\"b\", (3, null)), "
                     "(\"c\", (null, \"y\"))]"));
  EXPECT_EQ(BatchText(result, "grouped", 1),
            Expected("[(\"a\", ([1, 2], [\"x\"])), (\"b\", ([3], [])), (\"c\", ([], [\"y\"]))]"));
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[]"));  // right has nothing in batch 2
  EXPECT_EQ(BatchText(result, "leftOuter", 2), Expected("[(\"a\", (4, null))]"));
  EXPECT_EQ(BatchText(result, "both", 1),
            Expected("[(\"a\", 1), (\"a\", 2), (\"b\", 3), (\"a\", \"x\"), (\"c\", \"y\")]"));
}

TEST(OracleStatelessTest, TransformAndTransformWithApplyTheirChainToEachBatch) {
  const OracleResult result = RunYaml(
      Yaml(kJoinSources,
           "  summed: {from: left, ops: [{transform: [{reduceByKey: 'a + b'}, {map: 'x[1]'}]}]}\n"
           "  out: {from: left, ops: [{transformWith: {other: right, ops: "
           "[{join: right}, {map: 'x[1][1]'}, countByValue]}}]}\n"),
      2);
  EXPECT_EQ(BatchText(result, "summed", 1), Expected("[3, 3]"));
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[(\"x\", 2)]"));
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[]"));
}

TEST(OracleStatelessTest, StreamsMayNameLaterStreamsAndStreamsWithoutOperatorsAreTheirInput) {
  const OracleResult result = RunYaml(Yaml(kNumbers,
                                           "  out: {from: alias, ops: [{map: 'x + 1'}]}\n"
                                           "  alias: {from: nums}\n"),
                                      1);
  EXPECT_EQ(BatchText(result, "alias", 1), Expected("[1, 2, 3]"));
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[2, 3, 4]"));
}

const char kSingles[] = "  nums: {kind: queue, batches: [[1], [2], [3], [4], [5], [6]]}\n";

TEST(OracleWindowTest, WindowHasBatchesOnlyAtItsSlideAndCoversTheWindowBefore) {
  const OracleResult result =
      RunYaml(Yaml(kSingles, "  out: {from: nums, ops: [{window: {window: 3s, slide: 2s}}]}\n"), 7);
  EXPECT_EQ(BatchText(result, "out", 1), "no batch");
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[1, 2]"));  // early: what exists so far
  EXPECT_EQ(BatchText(result, "out", 3), "no batch");
  EXPECT_EQ(BatchText(result, "out", 4), Expected("[2, 3, 4]"));
  EXPECT_EQ(BatchText(result, "out", 6), Expected("[4, 5, 6]"));
}

TEST(OracleWindowTest, WindowsAlignToTheZeroTimeNotToAbsoluteTime) {
  const scenarios::Scenario scenario = testing::LoadOrDie(
      Yaml(kSingles, "  out: {from: nums, ops: [{window: {window: 2s, slide: 2s}}]}\n"));
  std::map<sim::Instant, BatchInput> inputs;
  const sim::Instant zero_time{500000};  // a driver started at 0.5 s
  for (int64_t k = 1; k <= 4; ++k) {
    inputs[zero_time + sim::Duration::Seconds(k)]["nums"] = {records::Value::Int(k)};
  }
  const OracleResult result = RunOracle(harness::OraclePipeline(scenario), inputs, zero_time);
  EXPECT_EQ(result.zero_time, zero_time);
  EXPECT_EQ(result.Find("out", At(2)), nullptr);
  ASSERT_NE(result.Find("out", sim::Instant{2500000}), nullptr);
  EXPECT_EQ(testing::SortedText(result.Find("out", sim::Instant{2500000})->records),
            Expected("[1, 2]"));
  EXPECT_EQ(testing::SortedText(result.Find("out", sim::Instant{4500000})->records),
            Expected("[3, 4]"));
  EXPECT_EQ(result.streams.at("out").size(), 2u);
}

TEST(OracleWindowTest, ReduceByWindowWithAndWithoutInverse) {
  const OracleResult result = RunYaml(
      Yaml("  nums: {kind: queue, batches: [[1, 2], [], [], [7]]}\n",
           "  out: {from: nums, ops: [{reduceByWindow: {func: 'a + b', window: 2s}}]}\n"
           "  inverse: {from: nums, ops: [{reduceByWindow: {func: 'a + b', inverse: 'a - b', "
           "window: 2s}}]}\n"),
      5);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[3]"));
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[3]"));
  EXPECT_EQ(BatchText(result, "out", 3), Expected("[]"));  // nothing in the window
  EXPECT_EQ(BatchText(result, "out", 4), Expected("[7]"));
  EXPECT_EQ(BatchText(result, "inverse", 2), Expected("[3]"));
  EXPECT_EQ(BatchText(result, "inverse", 3), Expected("[0]"));  // went back to zero: stays
  EXPECT_EQ(BatchText(result, "inverse", 4), Expected("[7]"));
  EXPECT_EQ(BatchText(result, "inverse", 5), Expected("[7]"));
}

TEST(OracleWindowTest, ReduceByKeyAndWindowWithInverseKeepsZeroKeysUnlessFiltered) {
  const OracleResult result = RunYaml(
      Yaml("  pairs: {kind: queue, batches: [[[a, 1], [b, 2]], [[a, 3]], [], []]}\n",
           "  out: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', inverse: 'a - b', "
           "window: 2s}}]}\n"
           "  filtered: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', inverse: "
           "'a - b', window: 2s, filter: 'v > 0 && k != \"b\"'}}]}\n"
           "  plain: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', window: 2s, "
           "slide: 2s, filter: 'v > 3'}}]}\n"),
      4);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[(\"a\", 1), (\"b\", 2)]"));
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[(\"a\", 4), (\"b\", 2)]"));
  EXPECT_EQ(BatchText(result, "out", 3), Expected("[(\"a\", 3), (\"b\", 0)]"));
  EXPECT_EQ(BatchText(result, "out", 4), Expected("[(\"a\", 0), (\"b\", 0)]"));
  EXPECT_EQ(BatchText(result, "filtered", 2), Expected("[(\"a\", 4)]"));
  EXPECT_EQ(BatchText(result, "filtered", 4), Expected("[]"));
  EXPECT_EQ(BatchText(result, "plain", 1), "no batch");
  EXPECT_EQ(BatchText(result, "plain", 2), Expected("[(\"a\", 4)]"));
  EXPECT_EQ(BatchText(result, "plain", 4), Expected("[]"));
}

TEST(OracleWindowTest, CountsAndGroupsOverWindows) {
  const OracleResult result =
      RunYaml(Yaml("  words: {kind: queue, batches: [[], [a, b, a], [a], [], []]}\n"
                   "  pairs: {kind: queue, batches: [[[a, 1]], [[a, 2], [b, 3]], []]}\n",
                   "  out: {from: words, ops: [{countByWindow: {window: 2s}}]}\n"
                   "  byValue: {from: words, ops: [{countByValueAndWindow: {window: 2s}}]}\n"
                   "  grouped: {from: pairs, ops: [{groupByKeyAndWindow: {window: 2s}}]}\n"),
              5);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[]"));  // no element yet: no count at all
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[3]"));
  EXPECT_EQ(BatchText(result, "out", 3), Expected("[4]"));
  EXPECT_EQ(BatchText(result, "out", 4), Expected("[1]"));
  EXPECT_EQ(BatchText(result, "out", 5), Expected("[0]"));
  EXPECT_EQ(BatchText(result, "byValue", 3), Expected("[(\"a\", 3), (\"b\", 1)]"));
  EXPECT_EQ(BatchText(result, "byValue", 4), Expected("[(\"a\", 1)]"));  // zero counts dropped
  EXPECT_EQ(BatchText(result, "byValue", 5), Expected("[]"));
  EXPECT_EQ(BatchText(result, "grouped", 2), Expected("[(\"a\", [1, 2]), (\"b\", [3])]"));
  EXPECT_EQ(BatchText(result, "grouped", 3), Expected("[(\"a\", [2]), (\"b\", [3])]"));
}

TEST(OracleStateTest, UpdateStateByKeyCallsEveryKeyAndNullRemoves) {
  const OracleResult result = RunYaml(
      Yaml("  pairs: {kind: queue, batches: [[[a, 1], [b, 2]], [[a, 3]], []]}\n",
           "  out: {from: pairs, ops: [{updateStateByKey: {func: "
           "'if(len(values) == 0, null, sum(values) + if(state == null, 0, state))', "
           "initial: [[c, 10]]}}]}\n"
           "  kept: {from: pairs, ops: [{updateStateByKey: {func: "
           "'sum(values) + if(state == null, 0, state)', initial: [[c, 10], [c, 99]]}}]}\n"),
      3);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[(\"a\", 1), (\"b\", 2)]"));  // c: no values
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[(\"a\", 4)]"));
  EXPECT_EQ(BatchText(result, "out", 3), Expected("[]"));
  EXPECT_EQ(BatchText(result, "kept", 1), Expected("[(\"a\", 1), (\"b\", 2), (\"c\", 10)]"));
  EXPECT_EQ(BatchText(result, "kept", 3), Expected("[(\"a\", 4), (\"b\", 2), (\"c\", 10)]"));
}

// Emits (k, running total) per record; on timeout emits (k, "timeout") and drops the key.
const char kRunningTotal[] =
    "'if(timing_out, ((k, \"timeout\"), null), "
    "((k, if(state == null, 0, state) + v), if(state == null, 0, state) + v))'";

TEST(OracleStateTest, MapWithStateTimesOutIdleKeysOnlyAtCheckpointTimes) {
  const std::string streams = std::string("  out: {from: pairs, ops: [{mapWithState: {func: ") +
                              kRunningTotal +
                              ", timeout: 1s, initial: [[z, 5]]}}]}\n"
                              "  snapshots: {from: out, ops: [stateSnapshots]}\n";
  const OracleResult result = RunYaml(
      Yaml("  pairs: {kind: queue, batches: [[[a, 1], [b, 2], [a, 1]], [[a, 3]], [], []]}\n",
           streams, "{dir: ck, interval: 2s}"),
      4);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[(\"a\", 1), (\"a\", 2), (\"b\", 2)]"));
  EXPECT_EQ(BatchText(result, "snapshots", 1), Expected("[(\"a\", 2), (\"b\", 2), (\"z\", 5)]"));
  // 2 s is a checkpoint time: z (initial, stamped 0 ms) is idle for longer than 1 s; b, updated
  // at 1000 ms, is not idle before 2000 - 1000 ms.
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[(\"a\", 5), (\"z\", \"timeout\")]"));
  EXPECT_EQ(BatchText(result, "snapshots", 2), Expected("[(\"a\", 5), (\"b\", 2)]"));
  EXPECT_EQ(BatchText(result, "out", 3), Expected("[]"));  // idle, but no scan at 3 s
  EXPECT_EQ(BatchText(result, "out", 4), Expected("[(\"a\", \"timeout\"), (\"b\", \"timeout\")]"));
  EXPECT_EQ(BatchText(result, "snapshots", 4), Expected("[]"));
}

TEST(OracleStateTest, MapWithStateWithoutTimeoutAndSnapshotsInTheSameChain) {
  const OracleResult result =
      RunYaml(Yaml("  pairs: {kind: queue, batches: [[[a, 1]], [[a, -1], [b, 4]]]}\n",
                   "  out: {from: pairs, ops: [{mapWithState: "
                   "'(if(v > 0, k, null), if(v > 0, v, null))'}, stateSnapshots]}\n"
                   "  emitted: {from: pairs, ops: [{mapWithState: '(if(v > 0, k, null), "
                   "if(v > 0, v, null))'}]}\n"),
              12);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[(\"a\", 1)]"));
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[(\"b\", 4)]"));  // a: null state removes
  EXPECT_EQ(BatchText(result, "out", 12), Expected("[(\"b\", 4)]"));
  EXPECT_EQ(BatchText(result, "emitted", 2), Expected("[\"b\"]"));  // null emitted: nothing
}

TEST(OracleFailureTest, AnEvalErrorFailsItsBatchAndWhatIsBuiltOnIt) {
  const OracleResult result =
      RunYaml(Yaml("  nums: {kind: queue, batches: [[1, 2], [0], [5], [10]]}\n"
                   "  other: {kind: queue, batches: [[7], [8], [9]]}\n",
                   "  out: {from: nums, ops: [{map: '10 / x'}]}\n"
                   "  both: {from: other, ops: [{union: out}]}\n"
                   "  windowed: {from: out, ops: [{window: 2s}]}\n"
                   "  total: {from: out, ops: [{map: '(1, x)'}, {updateStateByKey: "
                   "'sum(values) + if(state == null, 0, state)'}]}\n"
                   "  notBool: {from: nums, ops: [{filter: 'x'}]}\n"),
              4);
  EXPECT_EQ(BatchText(result, "out", 1), Expected("[10, 5]"));
  EXPECT_EQ(BatchText(result, "out", 2), "failed: division by zero");
  EXPECT_EQ(BatchText(result, "out", 3), Expected("[2]"));
  EXPECT_EQ(BatchText(result, "both", 2), "failed: division by zero");
  EXPECT_EQ(BatchText(result, "both", 3), Expected("[9, 2]"));
  EXPECT_EQ(BatchText(result, "windowed", 3), "failed: division by zero");  // still covered
  EXPECT_EQ(BatchText(result, "windowed", 4), Expected("[2, 1]"));
  EXPECT_EQ(BatchText(result, "total", 1), Expected("[(1, 15)]"));
  EXPECT_EQ(BatchText(result, "total", 4), "failed: division by zero");  // state is lost
  EXPECT_EQ(BatchText(result, "notBool", 1), "failed: filter must return a bool, got int");
}

TEST(OracleFailureTest, AFailingInverseWindowFailsEveryLaterWindow) {
  const OracleResult result =
      RunYaml(Yaml("  pairs: {kind: queue, batches: [[[a, 1]], [[a, 2]], [], [], [[a, 1]]]}\n",
                   "  out: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', "
                   "inverse: 'if(a - b == 0, fail(\"inverse\"), a - b)', window: 2s}}]}\n"),
              5);
  EXPECT_EQ(BatchText(result, "out", 2), Expected("[(\"a\", 3)]"));
  EXPECT_EQ(BatchText(result, "out", 3), Expected("[(\"a\", 2)]"));  // 3 - 1
  EXPECT_EQ(BatchText(result, "out", 4), "failed: inverse");         // 2 - 2 fails
  EXPECT_EQ(BatchText(result, "out", 5), "failed: inverse");         // no previous window left
}

TEST(OraclePipelineTest, ConvertsEveryPartOfEveryOperator) {
  const scenarios::Scenario scenario = testing::LoadOrDie(
      Yaml(kPairs,
           "  out: {from: pairs, ops: [{transformWith: {other: pairs, ops: [{join: pairs}]}}, "
           "{reduceByKeyAndWindow: {func: 'a + b', inverse: 'a - b', filter: 'v > 0', window: 4s, "
           "slide: 2s, partitions: 3}}, {mapWithState: {func: '(k, v)', timeout: 5s, "
           "initial: [[a, 1]], partitions: 2}}]}\n",
           "{dir: ck, interval: 4s}"));
  const PipelineModel pipeline = harness::OraclePipeline(scenario);
  EXPECT_EQ(pipeline.batch_interval, sim::Duration::Seconds(1));
  EXPECT_EQ(pipeline.checkpoint_interval, sim::Duration::Seconds(4));
  EXPECT_EQ(pipeline.sources, std::vector<std::string>{"pairs"});
  ASSERT_EQ(pipeline.streams.size(), 1u);
  EXPECT_EQ(pipeline.streams[0].name, "out");
  EXPECT_EQ(pipeline.streams[0].from, "pairs");
  ASSERT_EQ(pipeline.streams[0].ops.size(), 3u);
  const OperatorModel& window = pipeline.streams[0].ops[1];
  EXPECT_EQ(window.name, "reduceByKeyAndWindow");
  EXPECT_EQ(window.func->text(), "a + b");
  EXPECT_EQ(window.inverse->text(), "a - b");
  EXPECT_EQ(window.filter->text(), "v > 0");
  EXPECT_EQ(window.window, sim::Duration::Seconds(4));
  EXPECT_EQ(window.slide, sim::Duration::Seconds(2));
  EXPECT_EQ(window.partitions, 3);
  const OperatorModel& state = pipeline.streams[0].ops[2];
  EXPECT_EQ(state.timeout, sim::Duration::Seconds(5));
  EXPECT_EQ(testing::SortedText(state.initial), Expected("[(\"a\", 1)]"));
  const OperatorModel& transform = pipeline.streams[0].ops[0];
  EXPECT_EQ(transform.other, "pairs");
  ASSERT_EQ(transform.ops.size(), 1u);
  EXPECT_EQ(transform.ops[0].name, "join");
  EXPECT_EQ(transform.ops[0].other, "pairs");
  EXPECT_FALSE(transform.ops[0].func.has_value());
}

}  // namespace
}  // namespace streamsim::checker
