// Tests of worker, executor and receiver crashes: block replicas, resubmitted tasks and stages.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/streaming/stream_operations.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::I;
using testing::Op;
using testing::P;
using testing::Parse;
using testing::RecordingListener;
using testing::Sorted;

// The source: a socket server sends 100 numbered lines a second (log_lines starts each line with
// its 0-based sequence number; the line of sequence k is sent at (k + 1) x 10 ms). The receiver
// runs on worker/0 and cuts a block every 200 ms: block input-0-k, cut at (k + 1) x 200 ms, holds
// the lines sent in [cut - 200 ms, cut - 10 ms]. A batch takes the blocks reported before its time,
// so batch 1 holds sequences 0-78 and batch n > 1 sequences 100n - 121 to 100n - 22.

// A context with its own configuration and cost model, recording every trace line.
struct CrashHarness {
  explicit CrashHarness(StreamingConfig config,
                        sim::Duration task_launch = sim::Duration::Millis(1))
      : world(std::make_unique<sim::World>(1)) {
    CostModel cost;
    cost.task_launch = task_launch;
    context = std::make_unique<StreamingContext>(world.get(), config, cost, &listener);
    world->trace().SetSink([this](std::string_view line) { trace.emplace_back(line); });
  }
  // Runs `action` at `ms` of simulated time.
  void At(int64_t ms, std::function<void()> action) {
    world->ScheduleGlobal(sim::Duration::Millis(ms), std::move(action));
  }
  void Run() {
    ASSERT_TRUE(context->Start().ok());
    testing::RunToTermination(*world, *context);
  }
  bool Traced(const std::string& line) const {
    return std::find(trace.begin(), trace.end(), line + "\n") != trace.end();
  }
  size_t TraceLinesContaining(const std::string& text) const {
    return static_cast<size_t>(std::count_if(trace.begin(), trace.end(), [&](const auto& line) {
      return line.find(text) != std::string::npos;
    }));
  }

  RecordingListener listener;
  std::vector<std::string> trace;
  std::unique_ptr<sim::World> world;
  testing::TestExternals externals;
  std::unique_ptr<StreamingContext> context;

  DStream* SocketTextStream(externals::SocketServerConfig config) {
    return externals.SocketTextStream(world.get(), *context, std::move(config));
  }
};

StreamingConfig Cluster(int workers, int cores, int64_t batches) {
  StreamingConfig config;
  config.workers = workers;
  config.cores_per_worker = cores;
  config.stop_after_batches = batches;
  return config;
}

externals::SocketServerConfig NumberedLines() {
  externals::SocketServerConfig config;
  config.name = "lines";
  config.port = 7777;
  config.rate_per_second = 100;
  config.generator.kind = "log_lines";
  return config;
}

void CollectAs(StreamingContext& context, DStream* stream, const std::string& name) {
  OutputOperation output;
  output.kind = OutputOperation::Kind::kCollect;
  output.stream = stream;
  output.name = name;
  context.AddOutput(output);
}

// Each line's sequence number, collected as "seqs" (no shuffle: one task per block).
void CollectSequences(CrashHarness& harness) {
  StreamingContext& context = *harness.context;
  DStream* lines = harness.SocketTextStream(NumberedLines());
  CollectAs(
      context,
      context.Transform("seqs", {lines}, {Op(OperatorKind::kMap, "to_int(split(x, ' ')[0])")}),
      "seqs");
}

// How many lines of each sequence number modulo 5 a batch has: map, then a shuffle into
// `partitions` reduce partitions; collected as "counts".
void CollectResidueCounts(CrashHarness& harness, int partitions) {
  StreamingContext& context = *harness.context;
  DStream* lines = harness.SocketTextStream(NumberedLines());
  CollectAs(context,
            context.Transform("counts", {lines},
                              {Op(OperatorKind::kMap, "(to_int(split(x, ' ')[0]) % 5, 1)"),
                               Op(OperatorKind::kReduceByKey, "a + b", partitions)}),
            "counts");
}

using Outputs = std::map<int64_t, Values>;  // batch time (ms) -> the records collected

Outputs OutputsOf(const CrashHarness& harness, const std::string& name) {
  Outputs outputs;
  auto it = harness.listener.collected.find(name);
  if (it == harness.listener.collected.end()) return outputs;
  for (const auto& batch : it->second) {
    EXPECT_EQ(outputs.count(batch.batch_time_ms), 0u) << "two outputs at " << batch.batch_time_ms;
    outputs[batch.batch_time_ms] = batch.records;
  }
  return outputs;
}

Values Sequences(int64_t from, int64_t to) {  // [from, to)
  Values values;
  for (int64_t k = from; k < to; ++k) values.push_back(I(k));
  return values;
}

// A full batch's residue counts: 20 lines of each residue.
Values TwentyEach() {
  return {P(I(0), I(20)), P(I(1), I(20)), P(I(2), I(20)), P(I(3), I(20)), P(I(4), I(20))};
}

// Records of the blocks the trace shows cut before `before_us` ("<us> block <id> records=<n> ...").
int64_t RecordsInBlocksCutBefore(const std::vector<std::string>& trace, int64_t before_us) {
  int64_t records = 0;
  for (const std::string& line : trace) {
    std::istringstream in(line);
    int64_t at = 0;
    std::string category, id, field;
    if (!(in >> at >> category >> id >> field) || category != "block" || at >= before_us) continue;
    if (field.rfind("records=", 0) == 0) records += std::stoll(field.substr(8));
  }
  return records;
}

using testing::LostBlocks;

struct ReceiverProbe {
  int executor;
  std::string state;
  std::string last_error;
  bool operator==(const ReceiverProbe&) const = default;
};

std::ostream& operator<<(std::ostream& out, const ReceiverProbe& probe) {
  return out << "{" << probe.executor << ", " << probe.state << ", '" << probe.last_error << "'}";
}

ReceiverProbe Probe(const StreamingContext& context) {
  const ReceiverStatus& status = context.receiver_tracker().statuses().at(0);
  return {status.executor, status.state, status.last_error};
}

// Two workers of two cores; every task launch costs 400 ms, so a batch of 5 blocks runs its tasks
// in two waves on the 3 free cores (the receiver holds one of worker/0's): 0.8 s.
std::unique_ptr<CrashHarness> SequencesWithSlowTasks(int replication) {
  StreamingConfig config = Cluster(2, 2, 6);
  config.replication = replication;
  auto harness = std::make_unique<CrashHarness>(config, sim::Duration::Millis(400));
  CollectSequences(*harness);
  return harness;
}

TEST(WorkerCrashTest, WithReplicationTwoEveryStoredBlockSurvivesTheReceiversWorker) {
  std::unique_ptr<CrashHarness> baseline = SequencesWithSlowTasks(2);
  baseline->Run();
  const Outputs expected = OutputsOf(*baseline, "seqs");
  ASSERT_EQ(expected.size(), 6u);
  EXPECT_EQ(expected.at(1000), Sequences(0, 79));
  EXPECT_EQ(expected.at(4000), Sequences(279, 379));
  EXPECT_EQ(baseline->context->scheduler().counters().tasks_launched, 4 + 5 * 5);

  // Worker/0 (the receiver and the original of every block) crashes at 3.5 s, during batch 3's
  // second wave of tasks; it does not come back.
  std::unique_ptr<CrashHarness> harness = SequencesWithSlowTasks(2);
  StreamingContext& context = *harness->context;
  harness->At(3500, [&context]() { context.CrashWorker(0, std::nullopt); });
  harness->Run();
  EXPECT_EQ(context.stop_reason(), "stopped after 6 batches");
  EXPECT_EQ(context.warnings(), std::vector<std::string>{});
  EXPECT_EQ(context.scheduler().counters().jobs_failed, 0);
  EXPECT_EQ(context.scheduler().counters().tasks_failed, 0);
  for (const BatchInfo& batch : context.batches()) {
    EXPECT_TRUE(batch.completed()) << batch.batch_time.millis();
    EXPECT_EQ(batch.failure, "") << batch.batch_time.millis();
  }
  EXPECT_TRUE(harness->Traced("3600000 scheduler executor lost: worker/0"));
  EXPECT_FALSE(context.cluster().executors[0].alive);
  // Every block stored before the crash is processed, from the replicas on worker/1: batches 1-3
  // as without the crash, and batch 4 the three blocks cut at 3.0, 3.2 and 3.4 s (the first 60
  // lines of the run without the crash's batch 4).
  const int64_t stored = RecordsInBlocksCutBefore(harness->trace, 3'500'000);
  EXPECT_EQ(stored, 339);
  const Outputs outputs = OutputsOf(*harness, "seqs");
  EXPECT_EQ(outputs,
            (Outputs{{1000, expected.at(1000)},
                     {2000, expected.at(2000)},
                     {3000, expected.at(3000)},
                     {4000, Values(expected.at(4000).begin(), expected.at(4000).begin() + 60)},
                     {5000, {}},
                     {6000, Sequences(559, 579)}}));
  EXPECT_EQ(Sequences(279, stored), outputs.at(4000));
  // Lost: the 10 lines sent from 3.4 s to 3.49 s, buffered in the block generator, and the 210
  // the server produced while no receiver was connected (3.5 s to the relaunch at 5.6 s).
  const externals::SocketServer& server = *harness->externals.socket_servers[0];
  EXPECT_EQ(server.lines_unsent(), 210);
  EXPECT_EQ(stored + 10 + server.lines_unsent(), 559);
  EXPECT_TRUE(harness->Traced("5600000 receiver start lines on worker/1"));
  // Batch 3's task running on worker/0 was resubmitted: 6 tasks; batch 4 has 3 blocks, batch 5
  // none and batch 6 one.
  EXPECT_EQ(context.scheduler().counters().tasks_launched, 4 + 5 + 6 + 3 + 0 + 1);
}

TEST(WorkerCrashTest, ABlockWhoseReplicaPeerDiesIsReportedWithItsLocalCopy) {
  // Worker/1, the replica peer of worker/0's receiver, crashes 0.1 ms after block input-0-16 is
  // cut and sent to it for replication (at 3.4 s): the block never arrives. The receiver's host
  // notices the dead peer within 100 ms and reports the block with its local copy, as Spark's block
  // manager gives up on a peer: no record is lost.
  std::unique_ptr<CrashHarness> harness = SequencesWithSlowTasks(2);
  StreamingContext& context = *harness->context;
  harness->world->ScheduleGlobal(sim::Duration::Micros(3'400'100),
                                 [&context]() { context.CrashWorker(1, std::nullopt); });
  harness->Run();
  EXPECT_EQ(context.stop_reason(), "stopped after 6 batches");
  EXPECT_TRUE(
      harness->Traced("3500000 block input-0-16 replicated to only 0 peer(s) instead of 1 peers"));
  EXPECT_EQ(harness->TraceLinesContaining("replicated to only"), 1u);
  const Outputs outputs = OutputsOf(*harness, "seqs");
  Values all;
  for (const auto& [ms, records] : outputs) all.insert(all.end(), records.begin(), records.end());
  EXPECT_EQ(all, Sequences(0, 579));
}

TEST(WorkerCrashTest, WithReplicationOneTheDeadExecutorsBlocksAreLost) {
  std::unique_ptr<CrashHarness> harness = SequencesWithSlowTasks(1);
  StreamingContext& context = *harness->context;
  harness->At(3500, [&context]() { context.CrashWorker(0, std::nullopt); });
  harness->Run();
  EXPECT_EQ(context.stop_reason(), "stopped after 6 batches");
  // Batch 3 was generated before the crash with its blocks on worker/0. Its tasks for blocks
  // input-0-9 to input-0-11 and input-0-13 had read them (from worker/0) before the crash; the
  // task for input-0-12 was running on worker/0 and is resubmitted, and then fails 4 times: the
  // block is nowhere. The job, and the batch, fail.
  const std::string failure =
      "Job aborted due to stage failure: Task 3 in stage 2.0 failed 4 times, most recent failure: "
      "Could not compute split, block input-0-12 not found";
  for (int attempt = 0; attempt < 4; ++attempt) {
    EXPECT_EQ(harness->TraceLinesContaining(
                  "task failed job=2 stage=2 partition=3 attempt=" + std::to_string(attempt) +
                  ": Could not compute split, block input-0-12 not found"),
              1u)
        << attempt;
  }
  EXPECT_EQ(context.scheduler().counters().tasks_failed, 4);
  EXPECT_EQ(context.scheduler().counters().jobs_failed, 1);
  // Batch 4 is generated after the crash: its 3 blocks (allocated, 60 records) are left out of
  // its RDD with Spark's warning, and it processes nothing.
  EXPECT_EQ(context.warnings(),
            (std::vector<std::string>{LostBlocks(4000, 3), "batch 3000 ms: " + failure}));
  const std::vector<BatchInfo> batches = context.batches();
  ASSERT_EQ(batches.size(), 6u);
  EXPECT_EQ(batches[2].failure, failure);
  EXPECT_EQ(batches[3].input_records, 60);
  EXPECT_EQ(batches[3].failure, "");
  EXPECT_EQ(OutputsOf(*harness, "seqs"), (Outputs{{1000, Sequences(0, 79)},
                                                  {2000, Sequences(79, 179)},
                                                  {4000, {}},
                                                  {5000, {}},
                                                  {6000, Sequences(559, 579)}}));
}

TEST(WorkerCrashTest, TasksRunningOnTheCrashedExecutorAreResubmitted) {
  std::unique_ptr<CrashHarness> baseline = SequencesWithSlowTasks(2);
  baseline->Run();
  // Worker/1 (no receiver) crashes at 3.25 s, while two of batch 3's first wave of tasks run on
  // it; the driver notices 100 ms later and resubmits them. Every block is on worker/0.
  std::unique_ptr<CrashHarness> harness = SequencesWithSlowTasks(2);
  StreamingContext& context = *harness->context;
  int running_there = -1;
  harness->At(3250, [&context, &running_there]() {
    running_there = context.cluster().executors[1].busy_cores;
    context.CrashWorker(1, std::nullopt);
  });
  harness->Run();
  EXPECT_EQ(running_there, 2);
  EXPECT_TRUE(harness->Traced("3350000 scheduler executor lost: worker/1"));
  EXPECT_EQ(context.stop_reason(), "stopped after 6 batches");
  EXPECT_EQ(context.warnings(), std::vector<std::string>{});
  const SchedulerCounters& counters = context.scheduler().counters();
  EXPECT_EQ(counters.jobs_failed, 0);
  EXPECT_EQ(counters.tasks_failed, 0);  // an executor lost is not a task failure
  EXPECT_EQ(counters.tasks_launched,
            baseline->context->scheduler().counters().tasks_launched + running_there);
  EXPECT_EQ(counters.tasks_launched, 31);
  // Every batch completes with what it had without the crash.
  for (const BatchInfo& batch : context.batches()) {
    if (batch.batch_time.millis() <= 6000) {
      EXPECT_TRUE(batch.completed());
    }
    EXPECT_EQ(batch.failure, "");
  }
  EXPECT_EQ(OutputsOf(*harness, "seqs"), OutputsOf(*baseline, "seqs"));
  // With one free core left (worker/0's second), batch 3's 5 tasks and the 2 resubmitted ones end
  // after 5 s rather than at 3.8 s.
  EXPECT_GT(context.batches()[2].processing_end, sim::Instant{5'000'000});
}

// Three workers of two cores, residue counts over 4 reduce partitions, 400 ms per task launch.
std::unique_ptr<CrashHarness> ResidueCountsOnThreeWorkers() {
  auto harness = std::make_unique<CrashHarness>(Cluster(3, 2, 6), sim::Duration::Millis(400));
  CollectResidueCounts(*harness, 4);
  return harness;
}

TEST(WorkerCrashTest, ALostMapOutputResubmitsTheMapStage) {
  std::unique_ptr<CrashHarness> baseline = ResidueCountsOnThreeWorkers();
  baseline->Run();
  const SchedulerCounters before = baseline->context->scheduler().counters();
  EXPECT_EQ(before.stages_run, 12);  // a map and a reduce stage per batch
  EXPECT_EQ(before.tasks_launched, (4 + 4) + 5 * (5 + 4));
  // Worker/1 crashes at 3.6 s, while batch 3's reduce tasks run: two of them on worker/1, and
  // two of its map outputs (map partitions 1 and 3) were there. The driver resubmits the two
  // reduce tasks at 3.7 s; they cannot fetch map partition 1's output, so the map stage runs again
  // for partitions 1 and 3, then the reduce stage for the 2 partitions without a result.
  std::unique_ptr<CrashHarness> harness = ResidueCountsOnThreeWorkers();
  StreamingContext& context = *harness->context;
  harness->At(3600, [&context]() { context.CrashWorker(1, std::nullopt); });
  harness->Run();
  EXPECT_EQ(context.stop_reason(), "stopped after 6 batches");
  EXPECT_EQ(context.warnings(), std::vector<std::string>{});
  EXPECT_EQ(harness->TraceLinesContaining(
                "job=2 stage=4 partition=0 attempt=0: FetchFailed: the shuffle output of map "
                "partition 1 is lost"),
            1u);
  EXPECT_EQ(harness->TraceLinesContaining(
                "job=2 stage=4 partition=3 attempt=0: FetchFailed: the shuffle output of map "
                "partition 1 is lost"),
            1u);
  const SchedulerCounters& counters = context.scheduler().counters();
  EXPECT_EQ(counters.jobs_failed, 0);
  EXPECT_EQ(counters.tasks_failed, 2);
  // The map stage and the reduce stage each ran once more.
  EXPECT_EQ(counters.stages_run, before.stages_run + 2);
  // 2 reduce tasks resubmitted, 2 map tasks re-run, 2 reduce tasks re-run.
  EXPECT_EQ(counters.tasks_launched, before.tasks_launched + 6);
  // The counts are right: every batch as without the crash.
  const Outputs outputs = OutputsOf(*harness, "counts");
  EXPECT_EQ(outputs, OutputsOf(*baseline, "counts"));
  ASSERT_EQ(outputs.size(), 6u);
  EXPECT_EQ(Sorted(outputs.at(1000)), (Values{P(I(0), I(16)), P(I(1), I(16)), P(I(2), I(16)),
                                              P(I(3), I(16)), P(I(4), I(15))}));
  for (int64_t ms = 2000; ms <= 6000; ms += 1000) {
    EXPECT_EQ(Sorted(outputs.at(ms)), TwentyEach()) << ms;
  }
}

// Four workers of two cores, a block every 100 ms (10 map tasks a batch), 16 reduce partitions.
std::unique_ptr<CrashHarness> ResidueCountsOnFourWorkers() {
  StreamingConfig config = Cluster(4, 2, 3);
  config.block_interval = sim::Duration::Millis(100);
  auto harness = std::make_unique<CrashHarness>(config, sim::Duration::Millis(400));
  CollectResidueCounts(*harness, 16);
  return harness;
}

TEST(WorkerCrashTest, ConcurrentFetchFailuresOfOneStageAttemptResubmitTheMapStageOnce) {
  std::unique_ptr<CrashHarness> baseline = ResidueCountsOnFourWorkers();
  baseline->Run();
  const SchedulerCounters before = baseline->context->scheduler().counters();
  EXPECT_EQ(before.stages_run, 6);
  // Worker/1 crashes at 3.6 s during batch 2's second wave of map tasks, with two map outputs of
  // the first wave on it. When the map stage completes, 5 reduce tasks start on the 5 free cores
  // at once and all fail to fetch the lost outputs: one lost executor, one failed attempt of the
  // reduce stage. The map stage is resubmitted once (not once per failed task, which would reach
  // the 4-attempt limit and fail the job).
  std::unique_ptr<CrashHarness> harness = ResidueCountsOnFourWorkers();
  StreamingContext& context = *harness->context;
  harness->At(3600, [&context]() { context.CrashWorker(1, std::nullopt); });
  harness->Run();
  EXPECT_EQ(context.stop_reason(), "stopped after 3 batches");
  EXPECT_EQ(context.warnings(), std::vector<std::string>{});
  EXPECT_EQ(harness->TraceLinesContaining("FetchFailed: the shuffle output of map partition 1"),
            5u);
  const SchedulerCounters& counters = context.scheduler().counters();
  EXPECT_EQ(counters.jobs_failed, 0);
  EXPECT_EQ(counters.tasks_failed, 5);
  EXPECT_EQ(counters.stages_run, before.stages_run + 2);
  EXPECT_EQ(OutputsOf(*harness, "counts"), OutputsOf(*baseline, "counts"));
  EXPECT_EQ(Sorted(OutputsOf(*harness, "counts").at(2000)), TwentyEach());
}

// updateStateByKey over the residues (4 partitions), 100 ms per task launch, 8 batches.
std::unique_ptr<CrashHarness> RunningResidueCounts() {
  StreamingConfig config = Cluster(2, 2, 8);
  config.checkpoint_dir = "checkpoints/app";
  auto harness = std::make_unique<CrashHarness>(config, sim::Duration::Millis(100));
  StreamingContext& context = *harness->context;
  DStream* lines = harness->SocketTextStream(NumberedLines());
  DStream* pairs = context.Transform("pairs", {lines},
                                     {Op(OperatorKind::kMap, "(to_int(split(x, ' ')[0]) % 5, 1)")});
  CollectAs(context,
            UpdateStateByKey(context, "state", pairs,
                             Parse("if(state == null, 0, state) + sum(values)"), 4, {}),
            "state");
  return harness;
}

TEST(WorkerCrashTest, AWorkerCrashUnderUpdateStateByKeyRecomputesTheLostState) {
  std::unique_ptr<CrashHarness> baseline = RunningResidueCounts();
  baseline->Run();
  // Worker/1 crashes at 3.5 s. Batch 3 reads the state of batch 2, whose cached partitions and
  // whose shuffle outputs (made by batch 2's job, so skipped stages of batch 3's job) partly died
  // with it: the lost ones are recomputed (the skipped map stages join the job) from the blocks,
  // which worker/0 holds, and no batch fails.
  std::unique_ptr<CrashHarness> harness = RunningResidueCounts();
  StreamingContext& context = *harness->context;
  harness->At(3500, [&context]() { context.CrashWorker(1, std::nullopt); });
  harness->Run();
  EXPECT_EQ(context.stop_reason(), "stopped after 8 batches");
  EXPECT_EQ(context.warnings(), std::vector<std::string>{});
  EXPECT_EQ(context.scheduler().counters().jobs_failed, 0);
  EXPECT_GT(harness->TraceLinesContaining("FetchFailed"), 0u);
  const Outputs outputs = OutputsOf(*harness, "state");
  EXPECT_EQ(outputs, OutputsOf(*baseline, "state"));
  ASSERT_EQ(outputs.size(), 8u);
  // After batch n the state counts 16 + 20(n - 1) lines of residues 0-3 and one fewer of 4.
  EXPECT_EQ(Sorted(outputs.at(8000)), (Values{P(I(0), I(156)), P(I(1), I(156)), P(I(2), I(156)),
                                              P(I(3), I(156)), P(I(4), I(155))}));
}

TEST(WorkerCrashTest, TheReceiverOfACrashedWorkerIsRelaunchedOnAnotherExecutor) {
  CrashHarness harness(Cluster(2, 2, 6));
  StreamingContext& context = *harness.context;
  CollectSequences(harness);
  std::map<int64_t, ReceiverProbe> probes;
  for (int64_t ms : {2450, 2550, 2650, 4550, 4650}) {
    harness.At(ms, [&context, &probes, ms]() { probes.emplace(ms, Probe(context)); });
  }
  harness.At(2500, [&context]() { context.CrashWorker(0, std::nullopt); });
  harness.Run();
  // The driver learns of the crash 100 ms later, and relaunches the receiver after the 2 s
  // receiver restart delay, on worker/1.
  const std::string lost = "executor worker/0 lost";
  EXPECT_EQ(probes, (std::map<int64_t, ReceiverProbe>{{2450, {0, "ACTIVE", ""}},
                                                      {2550, {0, "ACTIVE", ""}},
                                                      {2650, {-1, "INACTIVE", lost}},
                                                      {4550, {-1, "INACTIVE", lost}},
                                                      {4650, {1, "ACTIVE", lost}}}));
  EXPECT_TRUE(harness.Traced("2600000 receiver stop lines: executor worker/0 lost"));
  EXPECT_TRUE(harness.Traced("4600000 receiver start lines on worker/1"));
  // Stored before the crash: the blocks cut up to 2.4 s (sequences 0-238), read from their
  // replicas. Lost: the 10 lines sent from 2.4 s to 2.49 s (buffered) and the 210 the server
  // produced from 2.5 s until the relaunch (a socket does not re-send): sequences 239-458.
  EXPECT_EQ(RecordsInBlocksCutBefore(harness.trace, 2'500'000), 239);
  const externals::SocketServer& server = *harness.externals.socket_servers[0];
  EXPECT_EQ(server.lines_unsent(), 210);
  EXPECT_EQ(OutputsOf(harness, "seqs"), (Outputs{{1000, Sequences(0, 79)},
                                                 {2000, Sequences(79, 179)},
                                                 {3000, Sequences(179, 239)},
                                                 {4000, {}},
                                                 {5000, Sequences(459, 479)},
                                                 {6000, Sequences(479, 579)}}));
  EXPECT_EQ(context.scheduler().counters().jobs_failed, 0);
  EXPECT_EQ(context.warnings(), std::vector<std::string>{});
}

TEST(WorkerCrashTest, ACrashedReceiverRestartsAfterTheRestartDelay) {
  CrashHarness harness(Cluster(2, 2, 6));
  StreamingContext& context = *harness.context;
  CollectSequences(harness);
  std::map<int64_t, ReceiverProbe> probes;
  int free_cores_after_crash = -1;
  harness.At(2500, [&]() {
    context.CrashReceiver("lines");
    probes.emplace(2500, Probe(context));
    free_cores_after_crash = context.cluster().executors[0].free_cores();
  });
  for (int64_t ms : {4499, 4501}) {
    harness.At(ms, [&context, &probes, ms]() { probes.emplace(ms, Probe(context)); });
  }
  harness.Run();
  // The receiver task dies; its executor lives and gets the core back. The receiver is relaunched
  // 2 s later on an executor with a free core: worker/0's.
  EXPECT_EQ(free_cores_after_crash, 2);
  EXPECT_EQ(probes, (std::map<int64_t, ReceiverProbe>{{2500, {-1, "INACTIVE", "receiver crashed"}},
                                                      {4499, {-1, "INACTIVE", "receiver crashed"}},
                                                      {4501, {0, "ACTIVE", "receiver crashed"}}}));
  EXPECT_TRUE(harness.Traced("2500000 fault receiver lines crashed"));
  EXPECT_TRUE(harness.Traced("4500000 receiver start lines on worker/0"));
  // Lost: the 10 buffered lines (sent from 2.4 s to 2.49 s) and the 200 produced from 2.5 s until
  // the relaunch at 4.5 s: sequences 239-448. The blocks stay on the executor.
  EXPECT_EQ(harness.externals.socket_servers[0]->lines_unsent(), 200);
  EXPECT_EQ(OutputsOf(harness, "seqs"), (Outputs{{1000, Sequences(0, 79)},
                                                 {2000, Sequences(79, 179)},
                                                 {3000, Sequences(179, 239)},
                                                 {4000, {}},
                                                 {5000, Sequences(449, 489)},
                                                 {6000, Sequences(489, 589)}}));
  EXPECT_EQ(context.warnings(), std::vector<std::string>{});
}

TEST(WorkerCrashTest, ARelaunchedReceiverWithoutAFreeCoreWaitsForOne) {
  // Two workers of one core: the receiver holds worker/0's. Task launches cost 600 ms, so batches
  // queue up: batch 2's 5 tasks run from 3.41 s on both cores (the receiver crashed at 2.5 s) in
  // waves ending at about 4.01 s, 4.62 s and 5.22 s, and at the relaunch (4.5 s) no core is free.
  CrashHarness harness(Cluster(2, 1, 6), sim::Duration::Millis(600));
  StreamingContext& context = *harness.context;
  CollectSequences(harness);
  harness.At(2500, [&context]() { context.CrashReceiver("lines"); });
  ReceiverProbe at_relaunch{};
  harness.At(4501, [&context, &at_relaunch]() { at_relaunch = Probe(context); });
  harness.Run();
  EXPECT_EQ(at_relaunch, (ReceiverProbe{-1, "INACTIVE", "no free core to run the receiver"}));
  EXPECT_EQ(context.warnings(),
            std::vector<std::string>{"receiver lines cannot start: no free core"});
  // The receiver waits for a core, as its task would in Spark's queue: when the second wave ends,
  // one core takes batch 2's last task and the other, with no task queued, the receiver.
  EXPECT_EQ(harness.TraceLinesContaining("receiver start lines on worker/"), 2u);
  EXPECT_TRUE(harness.Traced("4618053 receiver start lines on worker/0"));
  EXPECT_EQ(Probe(context).last_error, "no free core to run the receiver");
  // Unsent: the lines of the segments from 2.5 s to 4.61 s (sequences 249-460); from 4.62 s on,
  // lines are received again.
  EXPECT_EQ(harness.externals.socket_servers[0]->lines_unsent(), 212);
  EXPECT_EQ(OutputsOf(harness, "seqs"), (Outputs{{1000, Sequences(0, 79)},
                                                 {2000, Sequences(79, 179)},
                                                 {3000, Sequences(179, 239)},
                                                 {4000, {}},
                                                 {5000, Sequences(461, 481)},
                                                 {6000, Sequences(481, 581)}}));
  EXPECT_EQ(context.scheduler().counters().jobs_failed, 0);
}

TEST(WorkerCrashTest, BlocksInFlightWhenTheReceiverCrashesStillCountForAGracefulStop) {
  // A block every 500 ms; the receiver crashes at 1501 ms, just after cutting the block of 1.5 s,
  // which is still being replicated; it restarts 2.3 s later (cuts at 4301, 4801 ms, ...). The
  // graceful stop at 5050 ms comes when batch 5 has taken every reported block: only the
  // receiver's last block (the lines sent from 4.8 s to 5.04 s) is on its way, and the stop waits
  // for it.
  StreamingConfig config = Cluster(2, 2, 0);
  config.stop_after_batches.reset();
  config.stop_at = sim::Duration::Millis(5050);
  config.block_interval = sim::Duration::Millis(500);
  config.receiver_restart_delay = sim::Duration::Millis(2300);
  CrashHarness harness(config);
  StreamingContext& context = *harness.context;
  CollectSequences(harness);
  harness.At(1501, [&context]() { context.CrashReceiver("lines"); });
  harness.Run();
  EXPECT_EQ(context.stop_reason(), "stopped gracefully after processing all received data");
  const externals::SocketServer& server = *harness.externals.socket_servers[0];
  // Sent: sequences 0-149 before the crash and 380-503 after the relaunch at 3.801 s.
  EXPECT_EQ(server.lines_sent(), 274);
  // Processed: all of them but the line sent at 1.5 s, which reached a receiver that had stopped.
  EXPECT_EQ(OutputsOf(harness, "seqs"), (Outputs{{1000, Sequences(0, 49)},
                                                 {2000, Sequences(49, 149)},
                                                 {3000, {}},
                                                 {4000, {}},
                                                 {5000, Sequences(380, 480)},
                                                 {6000, Sequences(480, 504)}}));
}

TEST(WorkerCrashTest, ACrashedWorkerThatRestartsRunsTasksAgain) {
  std::unique_ptr<CrashHarness> baseline = SequencesWithSlowTasks(2);
  baseline->Run();
  std::unique_ptr<CrashHarness> harness = SequencesWithSlowTasks(2);
  StreamingContext& context = *harness->context;
  struct ExecutorProbe {
    bool alive;
    int free_cores;
    int busy_cores;
    bool operator==(const ExecutorProbe&) const = default;
  };
  std::map<int64_t, ExecutorProbe> probes;
  int running_there = -1;
  harness->At(2500, [&]() {
    running_there = context.cluster().executors[1].busy_cores;
    context.CrashWorker(1, sim::Duration::Seconds(1));
  });
  for (int64_t ms : {2550, 3450, 3550, 3650}) {
    harness->At(ms, [&context, &probes, ms]() {
      const Executor& executor = context.cluster().executors[1];
      probes.emplace(ms, ExecutorProbe{executor.alive, executor.free_cores(), executor.busy_cores});
    });
  }
  harness->Run();
  EXPECT_TRUE(harness->Traced("2500000 node crash worker/1"));
  EXPECT_TRUE(harness->Traced("3500000 node start worker/1"));
  // Down: no core to offer. Back at 3.5 s with both cores free; the driver hears of the new
  // executor 100 ms later and gives it two of batch 3's queued tasks.
  ASSERT_EQ(probes.size(), 4u);
  EXPECT_EQ(probes.at(2550), (ExecutorProbe{false, 0, 0}));
  EXPECT_EQ(probes.at(3450), (ExecutorProbe{false, 0, 0}));
  EXPECT_EQ(probes.at(3550), (ExecutorProbe{true, 2, 0}));
  EXPECT_EQ(probes.at(3650), (ExecutorProbe{true, 0, 2}));
  EXPECT_TRUE(context.cluster().executors[1].alive);
  // Nothing was lost: the blocks' originals are on worker/0; the task that ran on worker/1 at the
  // crash ran again.
  EXPECT_EQ(running_there, 1);
  EXPECT_EQ(context.scheduler().counters().tasks_launched,
            baseline->context->scheduler().counters().tasks_launched + running_there);
  EXPECT_EQ(OutputsOf(*harness, "seqs"), OutputsOf(*baseline, "seqs"));
  EXPECT_EQ(context.warnings(), std::vector<std::string>{});
}

}  // namespace
}  // namespace streamsim::engine
