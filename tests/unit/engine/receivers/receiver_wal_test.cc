// Tests of the receiver write-ahead log and the block tracker's log across a driver crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/recovery/write_ahead_log.h"
#include "engine/streaming/stream_operations.h"
#include "records/value_codec.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Op;
using testing::Parse;
using testing::RecordingListener;

// The application: a socket server sends 100 numbered lines a second (log_lines starts each line
// with its 0-based sequence number; the line of sequence k is sent at (k + 1) x 10 ms), the
// receiver cuts a block every 200 ms (block input-0-k at (k + 1) x 200 ms holds the lines sent in
// [cut - 200 ms, cut - 10 ms]), and updateStateByKey counts every sequence number it sees, so the
// final state says which lines were counted and how many times.

constexpr char kCheckpointDir[] = "checkpoints/app";
constexpr char kReceiverLog[] = "checkpoints/app/receivedData/0/log-0-60000";

// A context with its own cost model, recording every trace line.
struct WalHarness {
  WalHarness(StreamingConfig config, CostModel cost)
      : world(std::make_unique<sim::World>(1)),
        context(std::make_unique<StreamingContext>(world.get(), config, cost, &listener)) {
    world->trace().SetSink([this](std::string_view line) { trace.emplace_back(line); });
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

externals::SocketServerConfig NumberedLines() {
  externals::SocketServerConfig config;
  config.name = "lines";
  config.port = 7777;
  config.rate_per_second = 100;
  config.generator.kind = "log_lines";
  return config;
}

// socket -> map((sequence number, 1)) -> updateStateByKey(count) on one partition, collected as
// "state".
void BuildSequenceCount(WalHarness& harness) {
  StreamingContext& context = *harness.context;
  DStream* lines = harness.SocketTextStream(NumberedLines());
  DStream* pairs = context.Transform("pairs", {lines},
                                     {Op(OperatorKind::kMap, "(to_int(split(x, ' ')[0]), 1)")});
  OutputOperation output;
  output.kind = OutputOperation::Kind::kCollect;
  output.stream = UpdateStateByKey(context, "state", pairs,
                                   Parse("if(state == null, 0, state) + sum(values)"), 1, {});
  output.name = "state";
  context.AddOutput(output);
}

std::vector<std::string> BlockIds(const std::vector<BlockRdd::BlockInfo>& blocks) {
  std::vector<std::string> ids;
  for (const auto& block : blocks) ids.push_back(block.id);
  return ids;
}

std::vector<std::string> InputBlocks(int first, int last) {
  std::vector<std::string> ids;
  for (int k = first; k <= last; ++k) ids.push_back("input-0-" + std::to_string(k));
  return ids;
}

std::set<int64_t> Range(int64_t from, int64_t to) {  // [from, to)
  std::set<int64_t> range;
  for (int64_t k = from; k < to; ++k) range.insert(k);
  return range;
}

std::set<int64_t> Union(std::set<int64_t> a, const std::set<int64_t>& b) {
  a.insert(b.begin(), b.end());
  return a;
}

// The keys of a state batch; every count must be 1 (each line counted exactly once).
std::set<int64_t> CountedOnce(const Values& state) {
  std::set<int64_t> keys;
  for (const Value& pair : state) {
    EXPECT_EQ(pair.Items()[1], Value::Int(1)) << "sequence " << pair.Items()[0].AsInt();
    keys.insert(pair.Items()[0].AsInt());
  }
  return keys;
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

std::vector<std::string> LostBlockWarnings(const StreamingContext& context) {
  std::vector<std::string> lost;
  for (const std::string& warning : context.warnings()) {
    if (warning.find("could not be recovered") != std::string::npos) lost.push_back(warning);
  }
  return lost;
}

using testing::LostBlocks;

struct BatchSummary {
  int life;
  int64_t time_ms;
  int64_t records;
  bool recovered;
  bool operator==(const BatchSummary&) const = default;
};

std::ostream& operator<<(std::ostream& out, const BatchSummary& batch) {
  return out << "{life " << batch.life << ", " << batch.time_ms << " ms, " << batch.records
             << " records" << (batch.recovered ? ", recovered}" : "}");
}

std::vector<BatchSummary> Summaries(const StreamingContext& context) {
  std::vector<BatchSummary> summaries;
  for (const BatchInfo& batch : context.batches()) {
    summaries.push_back(
        {batch.driver_life, batch.batch_time.millis(), batch.input_records, batch.recovered});
  }
  return summaries;
}

// What the run looked like just before the driver crashed and just after it restarted.
struct CrashRun {
  std::unique_ptr<WalHarness> harness;
  int64_t sent_at_crash = 0;
  int64_t produced_at_crash = 0;
  int64_t blocks_reported_at_crash = 0;
  bool unallocated_at_crash = false;
  std::map<int64_t, std::vector<std::string>> allocated_at_crash;     // batch ms -> block ids
  std::map<int64_t, std::vector<BlockRdd::BlockInfo>> after_restart;  // batch ms -> blocks
};

// Every task launch costs 400 ms, so batches take longer than the batch interval and queue up:
// batch 3 runs from 3.8 s to 5.0 s, and when the driver crashes at 5.5 s batch 4 is running and
// batch 5 waits. The newest checkpoint (written when batch 5 was generated, at 5.0 s) lists
// batches 3, 4 and 5 as pending. The driver restarts at 6.5 s and re-runs them with batch 6 (of
// the down time), all at once; the stateful stream's data checkpoint is every 2 s.
CrashRun RunWithDriverCrash(bool receiver_wal) {
  StreamingConfig config;
  config.stop_after_batches = 10;
  config.checkpoint_dir = kCheckpointDir;
  config.checkpoint_interval = sim::Duration::Seconds(2);
  config.supervise = true;
  config.receiver_wal = receiver_wal;
  CostModel cost;
  cost.task_launch = sim::Duration::Millis(400);
  CrashRun run;
  run.harness = std::make_unique<WalHarness>(config, cost);
  StreamingContext& context = *run.harness->context;
  BuildSequenceCount(*run.harness);
  run.harness->world->ScheduleGlobal(sim::Duration::Millis(5500), [&run, &context]() {
    const externals::SocketServer& server = *run.harness->externals.socket_servers[0];
    run.sent_at_crash = server.lines_sent();
    run.produced_at_crash = server.lines_produced();
    const ReceiverTracker& tracker = context.receiver_tracker();
    run.blocks_reported_at_crash = tracker.statuses().at(0).blocks;
    run.unallocated_at_crash = tracker.HasUnallocatedBlocks();
    for (const auto& [time, streams] : tracker.allocations()) {
      run.allocated_at_crash[time.millis()] =
          BlockIds(streams.count(0) ? streams.at(0) : std::vector<BlockRdd::BlockInfo>{});
    }
    context.CrashDriver(sim::Duration::Seconds(1));
  });
  run.harness->world->ScheduleGlobal(sim::Duration::Millis(6501), [&run, &context]() {
    for (int64_t ms = 1000; ms <= 7000; ms += 1000) {
      run.after_restart[ms] = context.receiver_tracker().BlocksOfBatch(sim::Instant{ms * 1000}, 0);
    }
  });
  EXPECT_TRUE(context.Start().ok());
  testing::RunToTermination(*run.harness->world, context);
  return run;
}

// The last state the run output (batch 10's, at 10 s).
const Values& FinalState(WalHarness& harness) {
  const auto& outputs = harness.listener.collected["state"];
  EXPECT_FALSE(outputs.empty());
  EXPECT_EQ(outputs.back().batch_time_ms, 10000);
  return outputs.back().records;
}

TEST(ReceiverWalTest, WithTheLogADriverCrashLosesOnlyWhatTheReceiverHadNotStored) {
  CrashRun run = RunWithDriverCrash(/*receiver_wal=*/true);
  WalHarness& harness = *run.harness;
  const StreamingContext& context = *harness.context;
  EXPECT_EQ(context.driver_life(), 2);
  EXPECT_EQ(context.stop_reason(), "stopped after 10 batches");
  EXPECT_EQ(context.scheduler().counters().jobs_failed, 0);
  // Every block the re-run batches need is read back from the log: none is reported lost.
  EXPECT_EQ(LostBlockWarnings(context), std::vector<std::string>{});
  for (const BatchInfo& batch : context.batches()) {
    if (batch.driver_life == 2) {
      EXPECT_EQ(batch.failure, "") << batch.batch_time.millis();
    }
  }
  // At the crash the server had sent the lines of its segments up to 5490 ms: sequences 0-548.
  EXPECT_EQ(run.sent_at_crash, 549);
  EXPECT_EQ(run.produced_at_crash, 549);
  // The blocks cut before the crash (the last at 5.4 s) hold 19 + 26 x 20 = 539 of them: 0-538.
  const int64_t stored = RecordsInBlocksCutBefore(harness.trace, 5'500'000);
  EXPECT_EQ(stored, 539);
  // The rest was in the block generator's buffer and died with the executor: the lines sent from
  // 5.4 s to 5.49 s, less than one block interval of lines (20).
  const int64_t buffered = run.sent_at_crash - stored;
  EXPECT_EQ(buffered, 10);
  EXPECT_LT(buffered, 20);
  // While no receiver was connected (the crash at 5.5 s to the relaunch at 6.5 s; the segment of
  // 6.5 s comes before the relaunch) the server sent nothing: sequences 549-649 were never sent.
  const externals::SocketServer& server = *harness.externals.socket_servers[0];
  EXPECT_EQ(server.lines_unsent(), 101);
  const int64_t resumed = run.sent_at_crash + server.lines_unsent();
  EXPECT_EQ(resumed, 650);
  // Batch 10 takes the blocks cut up to 9.9 s, whose last line was sent at 9890 ms (sequence 988).
  // Every line stored before the crash and after the relaunch is counted exactly once, the
  // re-run batch 3 (counted by both drivers) included; the lost ones are exactly the buffered and
  // the unsent ones, 539-649.
  const std::set<int64_t> counted = CountedOnce(FinalState(harness));
  EXPECT_EQ(counted, Union(Range(0, stored), Range(resumed, 989)));
  EXPECT_EQ(counted.size(), 878u);
  // The first driver completed batches 1-3; the second re-ran 3, 4 and 5 (pending in the
  // checkpoint) and 6 (the down time) with their blocks, all from the log.
  const std::vector<BatchSummary> batches = Summaries(context);
  ASSERT_GE(batches.size(), 12u);
  EXPECT_EQ(std::vector<BatchSummary>(batches.begin(), batches.begin() + 10),
            (std::vector<BatchSummary>{{1, 1000, 79, false},
                                       {1, 2000, 100, false},
                                       {1, 3000, 100, false},
                                       {1, 4000, 100, false},
                                       {1, 5000, 100, false},
                                       {2, 3000, 100, true},
                                       {2, 4000, 100, true},
                                       {2, 5000, 100, true},
                                       {2, 6000, 60, true},
                                       {2, 7000, 39, false}}));
  // The state output of batch 3 appears twice (at-least-once output), the same both times.
  std::vector<Values> third;
  for (const auto& output : harness.listener.collected["state"]) {
    if (output.batch_time_ms == 3000) third.push_back(output.records);
  }
  ASSERT_EQ(third.size(), 2u);
  EXPECT_EQ(third[0], third[1]);
  EXPECT_EQ(CountedOnce(third[1]), Range(0, 279));
}

TEST(ReceiverWalTest, WithoutTheLogThePendingBatchesBlocksAreLostWithTheDriver) {
  CrashRun run = RunWithDriverCrash(/*receiver_wal=*/false);
  WalHarness& harness = *run.harness;
  const StreamingContext& context = *harness.context;
  EXPECT_EQ(context.driver_life(), 2);
  EXPECT_EQ(context.stop_reason(), "stopped after 10 batches");
  // The restored state is the data checkpoint of 2 s. Batch 3's blocks (to recompute the state
  // after it), batches 4 and 5's (pending) and the 3 blocks received after batch 5 was allocated
  // (the block tracker's log allocates them to batch 6) were only in the executors' memory.
  EXPECT_EQ(LostBlockWarnings(context),
            (std::vector<std::string>{LostBlocks(3000, 5), LostBlocks(4000, 5), LostBlocks(5000, 5),
                                      LostBlocks(6000, 3)}));
  // The server side is the same as with the log.
  EXPECT_EQ(run.sent_at_crash, 549);
  EXPECT_EQ(harness.externals.socket_servers[0]->lines_unsent(), 101);
  // Counted: what batches 1 and 2 held (0-178) and what came after the relaunch (650-988): 518
  // lines where the log kept 878. Lines 179-538 were stored in blocks and are lost.
  const std::set<int64_t> counted = CountedOnce(FinalState(harness));
  EXPECT_EQ(counted, Union(Range(0, 179), Range(650, 989)));
  EXPECT_EQ(counted.size(), 518u);
}

TEST(ReceiverWalTest, TheBlockTrackerLogGivesTheUnallocatedBlocksToTheFirstReRunBatch) {
  CrashRun run = RunWithDriverCrash(/*receiver_wal=*/true);
  WalHarness& harness = *run.harness;
  // At the crash, 27 blocks had been reported (input-0-0 to input-0-26, cut every 200 ms up to
  // 5.4 s) and batches 1-5 had been allocated; the blocks cut at 5.0, 5.2 and 5.4 s came after
  // batch 5's allocation (a block cut on a batch boundary is reported after it).
  EXPECT_EQ(run.blocks_reported_at_crash, 27);
  EXPECT_TRUE(run.unallocated_at_crash);
  EXPECT_EQ(run.allocated_at_crash,
            (std::map<int64_t, std::vector<std::string>>{{1000, InputBlocks(0, 3)},
                                                         {2000, InputBlocks(4, 8)},
                                                         {3000, InputBlocks(9, 13)},
                                                         {4000, InputBlocks(14, 18)},
                                                         {5000, InputBlocks(19, 23)}}));
  // The restarted driver replays the log: 27 blocks added and 5 batches allocated.
  EXPECT_EQ(std::count(harness.trace.begin(), harness.trace.end(),
                       "6500000 driver block tracker log: 32 events replayed\n"),
            1);
  // The re-run batches keep their blocks; batch 6, the first batch not allocated before the
  // crash, takes the three unallocated blocks; batch 7 does not exist yet.
  std::map<int64_t, std::vector<std::string>> after;
  for (const auto& [ms, blocks] : run.after_restart) after[ms] = BlockIds(blocks);
  EXPECT_EQ(after, (std::map<int64_t, std::vector<std::string>>{{1000, InputBlocks(0, 3)},
                                                                {2000, InputBlocks(4, 8)},
                                                                {3000, InputBlocks(9, 13)},
                                                                {4000, InputBlocks(14, 18)},
                                                                {5000, InputBlocks(19, 23)},
                                                                {6000, InputBlocks(24, 26)},
                                                                {7000, {}}}));
  // Each comes with its place in the receiver's log, and reads back from it.
  for (const BlockRdd::BlockInfo& block : run.after_restart[6000]) {
    EXPECT_EQ(block.records, 20) << block.id;
    EXPECT_EQ(block.executors, std::vector<int>{0}) << block.id;
    EXPECT_EQ(block.wal_path, kReceiverLog) << block.id;
    Result<std::string> record = WriteAheadLog::ReadRecord(
        harness.world->storage(),
        WalRecordHandle{block.wal_path, block.wal_offset, block.wal_length});
    ASSERT_TRUE(record.ok()) << block.id;
    EXPECT_EQ(nlohmann::json::parse(record.value()).at("block"), block.id);
  }
  // Batch 6's records are the lines of those blocks: sequences 479-538.
  for (const auto& output : harness.listener.collected["state"]) {
    if (output.batch_time_ms == 6000) {
      EXPECT_EQ(CountedOnce(output.records), Range(0, 539));
    }
  }
}

// receiver_wal with a checkpoint directory, no crash, two batches; the blocks of batch 2 are
// looked at while it runs.
struct LoggedRun {
  std::unique_ptr<WalHarness> harness;
  std::vector<BlockRdd::BlockInfo> batch2;
  size_t blocks_on_second_executor = 99;
};

LoggedRun RunLogged(int replication) {
  StreamingConfig config;
  config.stop_after_batches = 2;
  config.checkpoint_dir = kCheckpointDir;
  config.receiver_wal = true;
  config.replication = replication;
  LoggedRun run;
  run.harness = std::make_unique<WalHarness>(config, CostModel{});
  StreamingContext& context = *run.harness->context;
  BuildSequenceCount(*run.harness);
  run.harness->world->ScheduleGlobal(sim::Duration::Micros(2'001'000), [&run, &context]() {
    run.batch2 = context.receiver_tracker().BlocksOfBatch(sim::Instant{2'000'000}, 0);
    run.blocks_on_second_executor = 0;
    for (const BlockRdd::BlockInfo& block : run.batch2) {
      if (context.cluster().executors[1].blocks.Get(block.id)) ++run.blocks_on_second_executor;
    }
  });
  EXPECT_TRUE(context.Start().ok());
  testing::RunToTermination(*run.harness->world, context);
  return run;
}

TEST(ReceiverWalTest, TheLogForcesReplicationToOneWithAWarning) {
  LoggedRun run = RunLogged(/*replication=*/2);
  const StreamingContext& context = *run.harness->context;
  EXPECT_EQ(context.warnings(),
            std::vector<std::string>{"Storage level replication 2 is unnecessary when write ahead "
                                     "log is enabled, change to replication 1"});
  EXPECT_EQ(run.harness->listener.warnings, context.warnings());
  // Each block is stored once, on the receiver's executor, and written to the log.
  ASSERT_EQ(BlockIds(run.batch2), InputBlocks(4, 8));
  EXPECT_EQ(run.blocks_on_second_executor, 0u);
  const sim::Storage& storage = run.harness->world->storage();
  for (size_t i = 0; i < run.batch2.size(); ++i) {
    const BlockRdd::BlockInfo& block = run.batch2[i];
    EXPECT_EQ(block.executors, std::vector<int>{0}) << block.id;
    EXPECT_EQ(block.records, 20) << block.id;
    EXPECT_EQ(block.wal_path, kReceiverLog) << block.id;
    // Records follow each other in the file.
    if (i > 0) {
      EXPECT_EQ(block.wal_offset, run.batch2[i - 1].wal_offset + run.batch2[i - 1].wal_length + 1)
          << block.id;
    }
    Result<std::string> record = WriteAheadLog::ReadRecord(
        storage, WalRecordHandle{block.wal_path, block.wal_offset, block.wal_length});
    ASSERT_TRUE(record.ok()) << block.id;
    const nlohmann::json json = nlohmann::json::parse(record.value());
    EXPECT_EQ(json.at("block"), block.id);
    EXPECT_EQ(json.at("stream"), 0);
    Value records;
    ASSERT_TRUE(DecodeValue(json.at("records"), &records)) << block.id;
    ASSERT_EQ(records.Items().size(), 20u) << block.id;
    // Block input-0-k holds the lines of sequences 20k - 1 to 20k + 18.
    const int64_t k = static_cast<int64_t>(4 + i);
    EXPECT_EQ(records.Items().front().AsString().rfind(std::to_string(20 * k - 1) + " ", 0), 0u)
        << records.Items().front().AsString();
  }
  // The log holds every block cut before the run stopped (just after 2 s): input-0-0 to
  // input-0-9, in order.
  std::vector<std::string> logged;
  for (const std::string& record :
       WriteAheadLog("checkpoints/app/receivedData/0", kWalRollingInterval).ReadAll(storage)) {
    logged.push_back(nlohmann::json::parse(record).at("block").get<std::string>());
  }
  EXPECT_EQ(logged, InputBlocks(0, 9));
}

TEST(ReceiverWalTest, ReplicationOneWithTheLogDoesNotWarn) {
  LoggedRun run = RunLogged(/*replication=*/1);
  EXPECT_EQ(run.harness->context->warnings(), std::vector<std::string>{});
  ASSERT_EQ(run.batch2.size(), 5u);
  for (const BlockRdd::BlockInfo& block : run.batch2) EXPECT_EQ(block.wal_path, kReceiverLog);
}

TEST(ReceiverWalTest, TheLogWithoutACheckpointDirectoryFailsToStart) {
  StreamingConfig config;
  config.stop_after_batches = 2;
  config.receiver_wal = true;
  WalHarness harness(config, CostModel{});
  OutputOperation output;
  output.kind = OutputOperation::Kind::kCollect;
  output.stream = harness.SocketTextStream(NumberedLines());
  output.name = "lines";
  harness.context->AddOutput(output);
  const Status status = harness.context->Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(),
            "Cannot enable receiver write-ahead log without checkpoint directory set. Please use "
            "streamingContext.checkpoint() to set the checkpoint directory.");
  // Nothing started.
  EXPECT_EQ(harness.context->driver_life(), 0);
  EXPECT_EQ(harness.context->warnings(), std::vector<std::string>{});
}

}  // namespace
}  // namespace streamsim::engine
