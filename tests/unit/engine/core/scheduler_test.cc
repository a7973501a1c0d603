// Tests of the DAG and task scheduler (engine/core/scheduler.cc), driven directly over a small
// cluster and through the StreamingContext: tasks per partition, stages at shuffles, retries,
// locality, core limits, and run-to-run determinism of the trace fingerprint.
#include "engine/core/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::I;
using testing::Op;
using testing::P;
using testing::S;
using testing::Sorted;

// An RDD of one partition per slice whose partitions fail with a user error the first
// `failures` times they are computed (shared by all partitions).
class FlakyRdd : public Rdd {
 public:
  FlakyRdd(std::vector<Values> slices, std::shared_ptr<int> failures)
      : Rdd("flaky", static_cast<int>(slices.size()), {}),
        slices_(std::move(slices)),
        failures_(std::move(failures)) {}
  TaskResult<Values> Compute(int partition, TaskContext&) const override {
    if (*failures_ > 0) {
      --*failures_;
      return TaskError{TaskError::Kind::kUser, "flaky", -1};
    }
    return slices_.at(partition);
  }

 private:
  std::vector<Values> slices_;
  std::shared_ptr<int> failures_;
};

class SchedulerTest : public ::testing::Test {
 protected:
  void MakeCluster(int workers, int cores, int task_max_failures = 4) {
    cluster_.driver = world_.AddNode("driver");
    for (int i = 0; i < workers; ++i) {
      Executor executor;
      executor.index = i;
      executor.name = "worker/" + std::to_string(i);
      executor.node = world_.AddNode(executor.name);
      executor.cores = cores;
      cluster_.executors.push_back(std::move(executor));
    }
    for (size_t node = 0; node < world_.node_count(); ++node) {
      world_.Start(sim::NodeId{static_cast<int32_t>(node)});
    }
    scheduler_ = std::make_unique<DagScheduler>(&world_, &cluster_, &cost_, task_max_failures);
  }

  // Runs one job to its end; records the most tasks that ran at once.
  JobOutcome RunJob(const RddPtr& rdd, ResultFunction result = Identity()) {
    std::optional<JobOutcome> outcome;
    scheduler_->RunJob(rdd, "job", std::move(result),
                       [&outcome](JobOutcome done) { outcome = std::move(done); });
    while (!outcome && world_.loop().RunNext()) {
      most_running_ = std::max(most_running_, scheduler_->running_tasks());
    }
    EXPECT_TRUE(outcome.has_value());
    return outcome.value_or(JobOutcome{});
  }

  static ResultFunction Identity() {
    return [](Values records, int, TaskContext&) { return records; };
  }

  OperatorEnvironment Environment() const {
    return OperatorEnvironment{&cost_, cluster_.default_parallelism()};
  }

  RddPtr Apply(const Operator& op, const RddPtr& input, const std::vector<RddPtr>& others = {}) {
    return ApplyOperator(op, input, others, Environment());
  }

  sim::World world_{1};
  Cluster cluster_;
  CostModel cost_;
  std::unique_ptr<DagScheduler> scheduler_;
  int most_running_ = 0;
};

RddPtr Parallel(std::vector<Values> slices) {
  return std::make_shared<ParallelRdd>("parallel", std::move(slices));
}

TEST_F(SchedulerTest, OneTaskPerPartitionAndOneResultPerPartition) {
  MakeCluster(2, 2);
  const std::vector<Values> slices = {{I(1)}, {I(2), I(3)}, {}};
  const JobOutcome outcome =
      RunJob(Parallel(slices), [](Values records, int partition, TaskContext&) {
        return Values{I(partition), I(static_cast<int64_t>(records.size()))};
      });
  ASSERT_TRUE(outcome.ok) << outcome.failure;
  EXPECT_EQ(outcome.partition_results,
            (std::vector<Values>{{I(0), I(1)}, {I(1), I(2)}, {I(2), I(0)}}));
  EXPECT_EQ(scheduler_->counters().tasks_launched, 3);
  EXPECT_EQ(scheduler_->counters().stages_run, 1);
  EXPECT_EQ(scheduler_->counters().tasks_failed, 0);
  EXPECT_EQ(scheduler_->running_tasks(), 0);
  EXPECT_EQ(scheduler_->pending_tasks(), 0u);
  for (const Executor& executor : cluster_.executors) EXPECT_EQ(executor.busy_cores, 0);
}

TEST_F(SchedulerTest, TasksNeverRunOnMoreCoresThanThereAre) {
  MakeCluster(1, 2);
  std::vector<Values> slices;
  for (int i = 0; i < 7; ++i) slices.push_back({I(i)});
  const JobOutcome outcome = RunJob(Parallel(slices));
  ASSERT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.partition_results, slices);
  EXPECT_EQ(most_running_, 2);
  EXPECT_EQ(scheduler_->counters().tasks_launched, 7);
}

TEST_F(SchedulerTest, AShuffleSplitsTheJobIntoTwoStages) {
  MakeCluster(2, 2);
  RddPtr pairs =
      Parallel({{P(S("a"), I(1)), P(S("b"), I(1))}, {P(S("a"), I(1))}, {P(S("c"), I(1))}});
  RddPtr reduced = Apply(Op(OperatorKind::kReduceByKey, "a + b", 2), pairs);
  const JobOutcome outcome = RunJob(reduced);
  ASSERT_TRUE(outcome.ok) << outcome.failure;
  EXPECT_EQ(scheduler_->counters().stages_run, 2);
  EXPECT_EQ(scheduler_->counters().tasks_launched, 3 + 2);  // map tasks, then reduce tasks
  ASSERT_EQ(outcome.partition_results.size(), 2u);
  EXPECT_EQ(Sorted(testing::Concatenate(outcome.partition_results)),
            (Values{P(S("a"), I(2)), P(S("b"), I(1)), P(S("c"), I(1))}));
}

TEST_F(SchedulerTest, NarrowOperatorsStayInTheirStage) {
  MakeCluster(2, 2);
  RddPtr input = Parallel({{I(1), I(2)}, {I(3)}});
  RddPtr mapped =
      Apply(Op(OperatorKind::kFilter, "x > 1"), Apply(Op(OperatorKind::kMap, "x * 2"), input));
  const JobOutcome outcome = RunJob(mapped);
  ASSERT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.partition_results, (std::vector<Values>{{I(2), I(4)}, {I(6)}}));
  EXPECT_EQ(scheduler_->counters().stages_run, 1);
  EXPECT_EQ(scheduler_->counters().tasks_launched, 2);
}

TEST_F(SchedulerTest, TwoShufflesInARowMakeThreeStages) {
  MakeCluster(2, 2);
  RddPtr words = Parallel({{S("x"), S("y")}, {S("x")}});
  RddPtr counts = Apply(Op(OperatorKind::kCountByValue, "", 2), words);  // (word, count)
  RddPtr swapped = Apply(Op(OperatorKind::kMap, "(x[1], x[0])"), counts);
  RddPtr grouped = Apply(Op(OperatorKind::kGroupByKey, "", 1), swapped);
  const JobOutcome outcome = RunJob(grouped);
  ASSERT_TRUE(outcome.ok) << outcome.failure;
  EXPECT_EQ(scheduler_->counters().stages_run, 3);
  EXPECT_EQ(scheduler_->counters().tasks_launched, 2 + 2 + 1);
  EXPECT_EQ(outcome.partition_results,
            (std::vector<Values>{{P(I(1), testing::L({S("y")})), P(I(2), testing::L({S("x")}))}}));
}

TEST_F(SchedulerTest, AJoinRunsAMapStagePerSide) {
  MakeCluster(2, 2);
  RddPtr left = Parallel({{P(I(1), S("a"))}, {P(I(2), S("b"))}, {}});
  RddPtr right = Parallel({{P(I(1), S("x")), P(I(3), S("z"))}});
  RddPtr joined = Apply(Op(OperatorKind::kJoin, "", 1, 0), left, {right});
  const JobOutcome outcome = RunJob(joined);
  ASSERT_TRUE(outcome.ok) << outcome.failure;
  EXPECT_EQ(scheduler_->counters().stages_run, 3);
  EXPECT_EQ(scheduler_->counters().tasks_launched, 3 + 1 + 1);
  EXPECT_EQ(outcome.partition_results, (std::vector<Values>{{P(I(1), P(S("a"), S("x")))}}));
}

TEST_F(SchedulerTest, ASecondJobSkipsTheStageWhoseShuffleOutputExists) {
  MakeCluster(2, 2);
  RddPtr pairs = Parallel({{P(I(1), I(1))}, {P(I(1), I(2))}, {P(I(2), I(5))}});
  RddPtr reduced = Apply(Op(OperatorKind::kReduceByKey, "a + b", 2), pairs);
  const JobOutcome first = RunJob(reduced);
  ASSERT_TRUE(first.ok);
  EXPECT_EQ(scheduler_->counters().stages_run, 2);
  const JobOutcome second = RunJob(reduced);
  ASSERT_TRUE(second.ok);
  // Spark's "skipped" stage: only the result stage runs again.
  EXPECT_EQ(scheduler_->counters().stages_run, 3);
  EXPECT_EQ(scheduler_->counters().tasks_launched, 3 + 2 + 2);
  EXPECT_EQ(second.partition_results, first.partition_results);
}

TEST_F(SchedulerTest, AJobOverZeroPartitionsCompletesAtOnce) {
  MakeCluster(2, 2);
  bool done = false;
  JobOutcome outcome;
  scheduler_->RunJob(Parallel({}), "empty", Identity(), [&](JobOutcome result) {
    done = true;
    outcome = std::move(result);
  });
  EXPECT_TRUE(done);
  EXPECT_TRUE(outcome.ok);
  EXPECT_TRUE(outcome.partition_results.empty());
  EXPECT_EQ(scheduler_->counters().tasks_launched, 0);
  EXPECT_EQ(scheduler_->counters().stages_run, 1);
}

TEST_F(SchedulerTest, CountOverZeroPartitionsRunsOnlyTheReduceTask) {
  MakeCluster(2, 2);
  const JobOutcome outcome = RunJob(Apply(Op(OperatorKind::kCount), Parallel({})));
  ASSERT_TRUE(outcome.ok) << outcome.failure;
  EXPECT_EQ(outcome.partition_results, (std::vector<Values>{{I(0)}}));
  EXPECT_EQ(scheduler_->counters().stages_run, 2);  // the empty map stage, then the reduce
  EXPECT_EQ(scheduler_->counters().tasks_launched, 1);
}

TEST_F(SchedulerTest, AFailedTaskIsRetriedAndTheJobSucceeds) {
  MakeCluster(2, 2);
  auto failures = std::make_shared<int>(2);
  const JobOutcome outcome =
      RunJob(std::make_shared<FlakyRdd>(std::vector<Values>{{I(1), I(2)}}, failures));
  ASSERT_TRUE(outcome.ok) << outcome.failure;
  EXPECT_EQ(outcome.partition_results, (std::vector<Values>{{I(1), I(2)}}));
  EXPECT_EQ(scheduler_->counters().tasks_failed, 2);
  EXPECT_EQ(scheduler_->counters().tasks_launched, 3);
  EXPECT_EQ(scheduler_->counters().jobs_failed, 0);
}

TEST_F(SchedulerTest, ATaskFailingMaxFailuresTimesFailsTheJob) {
  MakeCluster(2, 2, /*task_max_failures=*/2);
  auto failures = std::make_shared<int>(100);
  const JobOutcome outcome =
      RunJob(std::make_shared<FlakyRdd>(std::vector<Values>{{I(1)}}, failures));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.failure,
            "Job aborted due to stage failure: Task 0 in stage 0.0 failed 2 times, most recent "
            "failure: flaky");
  EXPECT_EQ(scheduler_->counters().tasks_failed, 2);
  EXPECT_EQ(scheduler_->counters().tasks_launched, 2);
  EXPECT_EQ(scheduler_->counters().jobs_failed, 1);
  EXPECT_EQ(*failures, 98);
}

TEST_F(SchedulerTest, AMissingBlockFailsTheTaskWithSparksMessage) {
  MakeCluster(2, 2);
  RddPtr blocks =
      std::make_shared<BlockRdd>("blocks", std::vector<BlockRdd::BlockInfo>{{"input-0-9", 1, {0}}});
  const JobOutcome outcome = RunJob(blocks);
  EXPECT_FALSE(outcome.ok);
  EXPECT_NE(outcome.failure.find("failed 4 times, most recent failure: Could not compute split, "
                                 "block input-0-9 not found"),
            std::string::npos)
      << outcome.failure;
}

TEST_F(SchedulerTest, ABlockPartitionRunsWhereItsBlockIs) {
  MakeCluster(3, 2);
  for (int executor : {2, 0, 1}) {
    auto block = std::make_shared<Block>();
    block->id = "input-0-" + std::to_string(executor);
    block->records = {I(executor)};
    block->bytes = 8;
    cluster_.executors[executor].blocks.Put(block);
  }
  RddPtr blocks = std::make_shared<BlockRdd>(
      "blocks", std::vector<BlockRdd::BlockInfo>{
                    {"input-0-2", 1, {2}}, {"input-0-0", 1, {0}}, {"input-0-1", 1, {1}}});
  const JobOutcome outcome = RunJob(blocks, [](Values records, int, TaskContext& context) {
    records.push_back(I(context.node().value));
    return records;
  });
  ASSERT_TRUE(outcome.ok) << outcome.failure;
  EXPECT_EQ(outcome.partition_results,
            (std::vector<Values>{{I(2), I(cluster_.executors[2].node.value)},
                                 {I(0), I(cluster_.executors[0].node.value)},
                                 {I(1), I(cluster_.executors[1].node.value)}}));
}

TEST(SchedulerContextTest, EveryBatchRunsAStagePerShuffle) {
  Harness harness(Batches(3));
  DStream* input = harness.context->QueueStream("input", {{S("a"), S("b")}, {S("a")}, {}}, 2, true);
  harness.TransformAndCollect(
      {input}, {Op(OperatorKind::kMap, "(x, 1)"), Op(OperatorKind::kReduceByKey, "a + b", 3)},
      "counts");
  harness.Run();
  const SchedulerCounters& counters = harness.context->scheduler().counters();
  EXPECT_EQ(counters.stages_run, 3 * 2);
  EXPECT_EQ(counters.tasks_launched, 3 * (2 + 3));
  EXPECT_EQ(counters.tasks_failed, 0);
}

// A socket-fed word count with print and collect: blocks, shuffles, network latency draws.
std::string RunWordCount(uint64_t seed, uint64_t* trace_lines) {
  Harness harness(Batches(4), seed);
  externals::SocketServerConfig socket;
  socket.name = "words";
  socket.port = 9999;
  socket.rate_per_second = 250;
  socket.generator.kind = "words";
  socket.generator.words_per_line = 3;
  DStream* lines = harness.SocketTextStream(socket);
  DStream* counts = harness.context->Transform(
      "counts", {lines},
      {Op(OperatorKind::kFlatMap, "split(x, \" \")"), Op(OperatorKind::kMap, "(x, 1)"),
       Op(OperatorKind::kReduceByKey, "a + b")});
  harness.Print(counts, 5);
  harness.Collect(counts, "counts");
  harness.Run();
  *trace_lines = harness.world->trace().lines();
  return harness.world->trace().FingerprintHex() + "\n" + harness.listener.printed;
}

TEST(SchedulerContextTest, TwoIdenticalRunsHaveTheSameFingerprint) {
  uint64_t first_lines = 0;
  uint64_t second_lines = 0;
  const std::string first = RunWordCount(7, &first_lines);
  const std::string second = RunWordCount(7, &second_lines);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first_lines, second_lines);
  EXPECT_EQ(first.find('\n'), 16u);  // 16 hex digits
  // The runs did work: four batches printed, each with words counted.
  size_t headers = 0;
  for (size_t at = first.find("Time: "); at != std::string::npos;
       at = first.find("Time: ", at + 1)) {
    ++headers;
  }
  EXPECT_EQ(headers, 4u);
  EXPECT_NE(first.find("Time: 4000 ms\n-------------------------------------------\n("),
            std::string::npos)
      << first;
  // Another seed draws other words and latencies, and leaves another fingerprint.
  uint64_t other_lines = 0;
  const std::string other = RunWordCount(8, &other_lines);
  EXPECT_NE(first.substr(0, 16), other.substr(0, 16));
}

}  // namespace
}  // namespace streamsim::engine
