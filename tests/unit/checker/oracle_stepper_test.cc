// The Oracle stepped one batch time at a time (checker/oracle.h): it gives the batches RunOracle
// gives, holds a bounded number of batches whatever the run's length, follows mapWithState with
// stateSnapshots, and resolves streams named before they are defined. Every expectation is an
// exact batch or an exact count.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "checker/oracle.h"
#include "tests/unit/checker/oracle_test_support.h"

namespace streamsim::checker {
namespace {

using testing::At;
using testing::Expected;

std::string Yaml(const std::string& sources, const std::string& streams,
                 const std::string& checkpoint = "{dir: ck}") {
  return "name: stepper\nstop: {batches: 10}\nstreaming: {batch_interval: 1s, checkpoint: " +
         checkpoint + "}\nsources:\n" + sources + "streams:\n" + streams +
         "outputs:\n  - {stream: out, collect: out}\n";
}

PipelineModel PipelineOf(const std::string& yaml) {
  return harness::OraclePipeline(testing::LoadOrDie(yaml));
}

// The batch of `stream` at the oracle's latest step, as testing::BatchText renders it.
std::string StepText(const Oracle& oracle, const std::string& stream) {
  const OracleBatch* batch = oracle.Find(stream);
  if (batch == nullptr) return "no batch";
  if (batch->failed()) return "failed: " + *batch->failure;
  return testing::SortedText(batch->records);
}

const char kPairs[] =
    "  pairs: {kind: queue, batches: [[[a, 1], [b, 2]], [[a, 3]], [], [[b, 4], [c, 5]], "
    "[[a, 6]], []]}\n";

TEST(OracleStepperTest, SteppingGivesRunOraclesBatchesForEveryStreamAtEveryTime) {
  const std::string yaml =
      Yaml(kPairs,
           "  out: {from: pairs, ops: [{window: {window: 3s, slide: 2s}}]}\n"
           "  sums: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', inverse: 'a - b', "
           "window: 2s}}]}\n"
           "  totals: {from: pairs, ops: [{updateStateByKey: 'sum(values) + if(state == null, 0, "
           "state)'}]}\n"
           "  counts: {from: pairs, ops: [{countByWindow: {window: 2s}}]}\n");
  const scenarios::Scenario scenario = testing::LoadOrDie(yaml);
  const std::map<sim::Instant, BatchInput> inputs = testing::QueueInputs(scenario, 7);
  const OracleResult whole = RunOracle(harness::OraclePipeline(scenario), inputs);
  Oracle oracle(harness::OraclePipeline(scenario), sim::Instant::Zero());
  std::map<std::string, std::map<int64_t, std::string>> stepped;
  for (const auto& [t, input] : inputs) {
    oracle.Step(t, input);
    for (const char* stream : {"pairs", "out", "sums", "totals", "counts"}) {
      stepped[stream][t.us / 1000000] = StepText(oracle, stream);
      EXPECT_EQ(stepped[stream][t.us / 1000000], testing::BatchText(whole, stream, t.us / 1000000))
          << stream << " at " << t.us << " us";
    }
  }
  EXPECT_EQ(stepped["out"][3], "no batch");
  EXPECT_EQ(stepped["out"][4], Expected("[(\"a\", 3), (\"b\", 4), (\"c\", 5)]"));
  EXPECT_EQ(stepped["sums"][5], Expected("[(\"a\", 6), (\"b\", 4), (\"c\", 5)]"));
  EXPECT_EQ(stepped["sums"][6], Expected("[(\"a\", 6), (\"b\", 0), (\"c\", 0)]"));
  EXPECT_EQ(stepped["totals"][6], Expected("[(\"a\", 10), (\"b\", 6), (\"c\", 5)]"));
  EXPECT_EQ(stepped["counts"][4], Expected("[2]"));
  EXPECT_EQ(stepped["counts"][7], Expected("[0]"));
}

TEST(OracleStepperTest, RetainedBatchesStayBoundedOverAThousandSteps) {
  Oracle oracle(
      PipelineOf(Yaml(
          "  words: {kind: queue, batches: [[a]]}\n",
          "  out: {from: words, ops: [{window: {window: 30s, slide: 10s}}]}\n"
          "  counts: {from: words, ops: [{map: '(x, 1)'}, {reduceByKeyAndWindow: {func: 'a + b', "
          "inverse: 'a - b', window: 30s, slide: 10s}}]}\n"
          "  totals: {from: words, ops: [{map: '(x, 1)'}, {updateStateByKey: "
          "'sum(values) + if(state == null, 0, state)'}]}\n")),
      sim::Instant::Zero());
  auto step = [&oracle](int64_t k) {
    BatchInput input;
    input["words"] = k % 2 == 0 ? testing::Records("[\"a\", \"b\"]") : testing::Records("[\"a\"]");
    oracle.Step(At(k), input);
  };
  for (int64_t k = 1; k <= 1000; ++k) step(k);
  // In step order: words (read back 30 s by the window), the window, map, reduceByKey per batch
  // (read back 30 + 10 s by the incremental window), the incremental window, map, updateStateByKey.
  EXPECT_EQ(oracle.TEST_RetainedBatches(), (std::vector<size_t>{30, 1, 1, 40, 1, 1, 1}));
  EXPECT_EQ(StepText(oracle, "counts"), Expected("[(\"a\", 30), (\"b\", 15)]"));
  EXPECT_EQ(StepText(oracle, "totals"), Expected("[(\"a\", 1000), (\"b\", 500)]"));
  ASSERT_NE(oracle.Find("out"), nullptr);
  EXPECT_EQ(oracle.Find("out")->records.size(), 45u);
  step(1001);  // not a time of the windows: they hold nothing
  EXPECT_EQ(oracle.TEST_RetainedBatches(), (std::vector<size_t>{30, 0, 1, 40, 0, 1, 1}));
  EXPECT_EQ(oracle.Find("out"), nullptr);
  EXPECT_EQ(oracle.latest_time(), At(1001));
}

// Emits (k, running total) per record; on timeout emits (k, "timeout") and drops the key.
const char kRunningTotal[] =
    "'if(timing_out, ((k, \"timeout\"), null), "
    "((k, if(state == null, 0, state) + v), if(state == null, 0, state) + v))'";

TEST(OracleStepperTest, StateSnapshotsFollowMapWithStateThroughAStreamWithoutOperators) {
  Oracle oracle(PipelineOf(Yaml("  pairs: {kind: queue, batches: [[[a, 1]]]}\n",
                                std::string("  out: {from: pairs, ops: [{mapWithState: {func: ") +
                                    kRunningTotal +
                                    ", timeout: 1s, initial: [[z, 5]]}}]}\n"
                                    "  alias: {from: out}\n"
                                    "  snapshots: {from: alias, ops: [stateSnapshots]}\n",
                                "{dir: ck, interval: 2s}")),
                sim::Instant::Zero());
  oracle.Step(At(1), {{"pairs", testing::Records("[(\"a\", 1), (\"b\", 2), (\"a\", 1)]")}});
  EXPECT_EQ(StepText(oracle, "out"), Expected("[(\"a\", 1), (\"a\", 2), (\"b\", 2)]"));
  EXPECT_EQ(StepText(oracle, "snapshots"), Expected("[(\"a\", 2), (\"b\", 2), (\"z\", 5)]"));
  oracle.Step(At(2), {{"pairs", testing::Records("[(\"a\", 3)]")}});
  EXPECT_EQ(StepText(oracle, "alias"), Expected("[(\"a\", 5), (\"z\", \"timeout\")]"));
  EXPECT_EQ(StepText(oracle, "snapshots"), Expected("[(\"a\", 5), (\"b\", 2)]"));
  oracle.Step(At(3), {});
  EXPECT_EQ(StepText(oracle, "snapshots"), Expected("[(\"a\", 5), (\"b\", 2)]"));  // no scan
  oracle.Step(At(4), {});
  EXPECT_EQ(StepText(oracle, "out"), Expected("[(\"a\", \"timeout\"), (\"b\", \"timeout\")]"));
  EXPECT_EQ(StepText(oracle, "snapshots"), Expected("[]"));
  // pairs, mapWithState, stateSnapshots: the latest batch each.
  EXPECT_EQ(oracle.TEST_RetainedBatches(), (std::vector<size_t>{1, 1, 1}));
}

TEST(OracleStepperTest, OperatorsMayNameStreamsDefinedLaterInTheFile) {
  Oracle oracle(
      PipelineOf(Yaml("  left: {kind: queue, batches: [[1]]}\n"
                      "  right: {kind: queue, batches: [[2]]}\n",
                      "  out: {from: left, ops: [{union: later}]}\n"
                      "  joined: {from: keyed, ops: [{transformWith: {other: laterKeyed, ops: "
                      "[{join: laterKeyed}, {map: 'x[1]'}]}}]}\n"
                      "  keyed: {from: left, ops: [{map: '(x % 2, x)'}]}\n"
                      "  later: {from: right, ops: [{map: 'x * 10'}]}\n"
                      "  laterKeyed: {from: later, ops: [{map: '(x % 2, x)'}]}\n")),
      sim::Instant::Zero());
  EXPECT_TRUE(oracle.HasStream("later"));
  EXPECT_TRUE(oracle.HasStream("right"));
  EXPECT_FALSE(oracle.HasStream("missing"));
  EXPECT_EQ(oracle.Find("out"), nullptr);  // no step yet
  oracle.Step(At(1), {{"left", testing::Records("[1, 2, 3]")}, {"right", testing::Records("[4]")}});
  EXPECT_EQ(StepText(oracle, "out"), Expected("[1, 2, 3, 40]"));
  EXPECT_EQ(StepText(oracle, "joined"), Expected("[(2, 40)]"));
  oracle.Step(At(2), {{"left", testing::Records("[5]")}});
  EXPECT_EQ(StepText(oracle, "out"), Expected("[5]"));
  EXPECT_EQ(StepText(oracle, "joined"), Expected("[]"));
  EXPECT_EQ(oracle.Find("missing"), nullptr);
}

TEST(OracleStepperDeathTest, AStepOutOfTurnAborts) {
  Oracle oracle(PipelineOf(Yaml("  nums: {kind: queue, batches: [[1]]}\n",
                                "  out: {from: nums, ops: [{map: 'x'}]}\n")),
                sim::Instant::Zero());
  oracle.Step(At(1), {});
  EXPECT_DEATH(oracle.Step(At(3), {}), "expected 2000000 us, got 3000000 us");
  EXPECT_DEATH(oracle.Step(At(1), {}), "expected 2000000 us, got 1000000 us");
}

}  // namespace
}  // namespace streamsim::checker
