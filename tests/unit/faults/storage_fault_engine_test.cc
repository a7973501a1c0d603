// Tests of the engine under storage faults (faults/storage_faults.h): what each fault does to a
// running application, path by path, as Spark behaves — refused writes fail output tasks (retries,
// then the batch fails), make a metadata checkpoint a warning (the next one tries again), make the
// receiver's log write fail (the receiver reports the error) and the block tracker keep its blocks
// queued; a slow store lengthens every modelled write; a crash while writes tear leaves torn
// files that recovery reads around.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/recovery/write_ahead_log.h"
#include "faults/storage_faults.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::faults {
namespace {

using engine::testing::Harness;
using engine::testing::I;
using engine::testing::S;

sim::Instant AtMillis(int64_t ms) { return sim::Instant{ms * 1000}; }

// Opens a fault window at `from_ms`, as the fault schedule does.
void At(Harness& harness, int64_t from_ms, std::function<void(FaultyStorage&)> fault) {
  FaultyStorage& storage = InstallFaultyStorage(*harness.world);
  harness.world->ScheduleGlobal(sim::Duration::Millis(from_ms),
                                [&storage, fault = std::move(fault)]() { fault(storage); });
}

std::map<int64_t, std::string> Failures(const engine::StreamingContext& context) {
  std::map<int64_t, std::string> failures;
  for (const engine::BatchInfo& batch : context.batches()) {
    if (!batch.failure.empty()) failures[batch.batch_time.millis()] = batch.failure;
  }
  return failures;
}

std::vector<std::string> TraceWith(const Harness& harness, const std::string& text) {
  std::vector<std::string> lines;
  for (const std::string& line : harness.trace) {
    if (line.find(text) != std::string::npos) lines.push_back(line.substr(0, line.size() - 1));
  }
  return lines;
}

// One word per batch, one partition, for four batches.
engine::DStream* Words(Harness& harness) {
  return harness.context->QueueStream("words", {{S("a")}, {S("b")}, {S("c")}, {S("d")}}, 1,
                                      /*one_at_a_time=*/true);
}

TEST(StorageFaultEngineTest, RefusedWritesFailSaveAsTextFilesTasksUntilTheBatchFails) {
  Harness harness(engine::testing::Batches(4));
  harness.KeepTrace();
  harness.SaveAsTextFiles(Words(harness), "out/words", "txt");
  At(harness, 1900, [](FaultyStorage& storage) { storage.RefuseWrites(AtMillis(2500)); });
  harness.Run();
  const engine::StreamingContext& context = *harness.context;
  EXPECT_EQ(context.stop_reason(), "stopped after 4 batches");
  // Batch 2's only task fails its four attempts; the batch fails and the run goes on.
  EXPECT_EQ(Failures(context),
            (std::map<int64_t, std::string>{
                {2000,
                 "Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 times, most "
                 "recent failure: java.io.IOException: Cannot create file "
                 "out/words-2000.txt/part-00000.tmp. Name node is in safe mode."}}));
  EXPECT_EQ(TraceWith(harness, "task failed").size(), 4u);
  EXPECT_EQ(context.scheduler().counters().jobs_failed, 1);
  EXPECT_EQ(
      harness.world->storage().List("out"),
      (std::vector<std::string>{"out/words-1000.txt/_SUCCESS", "out/words-1000.txt/part-00000",
                                "out/words-3000.txt/_SUCCESS", "out/words-3000.txt/part-00000",
                                "out/words-4000.txt/_SUCCESS", "out/words-4000.txt/part-00000"}));
}

TEST(StorageFaultEngineTest, ARefusedMetadataCheckpointIsAWarningAndTheNextOneIsWritten) {
  engine::StreamingConfig config = engine::testing::Batches(4);
  config.checkpoint_dir = "checkpoints/app";
  Harness harness(config);
  harness.KeepTrace();
  harness.Collect(Words(harness), "words");
  At(harness, 1900, [](FaultyStorage& storage) { storage.RefuseWrites(AtMillis(2500)); });
  harness.Run();
  const engine::StreamingContext& context = *harness.context;
  // Both checkpoints of batch 2 (after generation, after completion) fail; Spark logs and goes on.
  const std::string refused =
      "could not write the checkpoint for 2000 ms: java.io.IOException: Cannot create file "
      "checkpoints/app/temp. Name node is in safe mode.";
  EXPECT_EQ(context.warnings(), (std::vector<std::string>{refused, refused}));
  EXPECT_EQ(Failures(context), (std::map<int64_t, std::string>{}));
  EXPECT_EQ(engine::CheckpointFilesNewestFirst(harness.world->storage(), "checkpoints/app"),
            (std::vector<std::string>{
                "checkpoints/app/checkpoint-4000", "checkpoints/app/checkpoint-4000.bk",
                "checkpoints/app/checkpoint-3000", "checkpoints/app/checkpoint-3000.bk",
                "checkpoints/app/checkpoint-1000", "checkpoints/app/checkpoint-1000.bk"}));
  // The block tracker could not log batch 2's allocation nor, when batch 2 completed, the cleanup
  // of batch 1.
  const std::string tracker_refused =
      " tracker write-ahead log write failed: java.io.IOException: Cannot append to file "
      "checkpoints/app/receivedBlockMetadata/log-0-60000. Name node is in safe mode.";
  EXPECT_EQ(TraceWith(harness, "tracker write-ahead log write failed"),
            (std::vector<std::string>{"2000000" + tracker_refused, "2005206" + tracker_refused}));
  // The data itself is untouched: every batch has its word.
  EXPECT_EQ(engine::testing::Timed(harness, "words"),
            (engine::testing::TimedBatches{
                {1000, {S("a")}}, {2000, {S("b")}}, {3000, {S("c")}}, {4000, {S("d")}}}));
}

externals::SocketServerConfig NumberedLines() {
  externals::SocketServerConfig config;
  config.name = "lines";
  config.port = 7777;
  config.rate_per_second = 100;
  config.generator.kind = "log_lines";
  return config;
}

// The sequence numbers (each log line starts with its own) of every line collected as "lines".
std::set<int64_t> Sequences(Harness& harness) {
  std::set<int64_t> sequences;
  for (const auto& batch : harness.listener.collected["lines"]) {
    for (const records::Value& line : batch.records) {
      sequences.insert(std::stoll(line.AsString().substr(0, line.AsString().find(' '))));
    }
  }
  return sequences;
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

// A socket stream with the receiver write-ahead log: 100 numbered lines a second, a block every
// 200 ms (block input-0-k, cut at (k + 1) x 200 ms, holds sequences 20k - 1 to 20k + 18).
std::unique_ptr<Harness> LoggedSocket(int64_t batches) {
  engine::StreamingConfig config = engine::testing::Batches(batches);
  config.checkpoint_dir = "checkpoints/app";
  config.receiver_wal = true;
  config.replication = 1;
  config.supervise = true;
  auto harness = std::make_unique<Harness>(config);
  harness->KeepTrace();
  harness->Collect(harness->SocketTextStream(NumberedLines()), "lines");
  return harness;
}

TEST(StorageFaultEngineTest, ARefusedReceiverLogWriteLosesTheBlockAndIsTheReceiversError) {
  std::unique_ptr<Harness> harness = LoggedSocket(4);
  // From 1.802 s: block input-0-8 (cut and appended at 1.8 s) fails its sync at 1.805 s; blocks 9,
  // 10 and 11 (2.0, 2.2, 2.4 s) fail their append at once; block 12 (2.6 s) is logged.
  At(*harness, 1802, [](FaultyStorage& storage) { storage.RefuseWrites(AtMillis(2500)); });
  harness->Run();
  const std::string refused_append =
      "java.io.IOException: Cannot append to file checkpoints/app/receivedData/0/log-0-60000. "
      "Name node is in safe mode.";
  EXPECT_EQ(TraceWith(*harness, "not logged"),
            (std::vector<std::string>{
                "1805000 receiver input-0-8 not logged: java.io.IOException: Cannot fsync file "
                "checkpoints/app/receivedData/0/log-0-60000. Name node is in safe mode.",
                "2000000 receiver input-0-9 not logged: " + refused_append,
                "2200000 receiver input-0-10 not logged: " + refused_append,
                "2400000 receiver input-0-11 not logged: " + refused_append}));
  EXPECT_EQ(harness->context->receiver_tracker().statuses().at(0).last_error,
            "write-ahead log: " + refused_append);
  // The unreliable receiver keeps running; the lines of the four blocks (159-238) are lost.
  // Batch 2, whose allocation the tracker could not log, took no blocks: batch 3 takes blocks 4-7
  // with 12 and 13 (6 x 20 records).
  EXPECT_EQ(Sequences(*harness), Union(Range(0, 159), Range(239, 379)));
  std::vector<std::pair<int64_t, size_t>> sizes;
  for (const auto& [ms, records] : engine::testing::Timed(*harness, "lines")) {
    sizes.emplace_back(ms, records.size());
  }
  EXPECT_EQ(sizes, (std::vector<std::pair<int64_t, size_t>>{
                       {1000, 79}, {2000, 0}, {3000, 120}, {4000, 100}}));
}

TEST(StorageFaultEngineTest, ARefusedTrackerLogWriteLosesAnUnreliableReceiversBlock) {
  // No receiver log, but a checkpoint directory: the driver logs each block's addition. From
  // 1.3 s to 1.5 s the store refuses writes: the report of block input-0-6 (cut at 1.4 s) cannot
  // be logged, so the tracker refuses it and its 20 lines are lost; the receiver reports the error
  // and keeps running.
  engine::StreamingConfig config = engine::testing::Batches(3);
  config.checkpoint_dir = "checkpoints/app";
  Harness harness(config);
  harness.KeepTrace();
  harness.Collect(harness.SocketTextStream(NumberedLines()), "lines");
  At(harness, 1300, [](FaultyStorage& storage) { storage.RefuseWrites(AtMillis(1500)); });
  harness.Run();
  const std::string error =
      "Error in block pushing thread: Failed to add block to receiver tracker.";
  EXPECT_EQ(TraceWith(harness, "Failed to add block"),
            (std::vector<std::string>{"1402645 receiver lines input-0-6 lost: " + error}));
  EXPECT_EQ(harness.context->receiver_tracker().statuses().at(0).last_error, error);
  EXPECT_EQ(Sequences(harness), Union(Range(0, 119), Range(139, 279)));
}

// Three batches saving one word each, with a checkpoint directory; optionally the store is 100 ms
// slower per write from 1.9 s to 2.5 s. Returns each batch's processing time (us).
std::map<int64_t, int64_t> SaveThreeBatches(bool slow, std::vector<std::string>* checkpoints) {
  engine::StreamingConfig config = engine::testing::Batches(3);
  config.checkpoint_dir = "checkpoints/app";
  Harness harness(config);
  harness.KeepTrace();
  harness.SaveAsTextFiles(Words(harness), "out/words", "txt");
  if (slow) {
    At(harness, 1900, [](FaultyStorage& storage) {
      storage.SlowDown(sim::Duration::Millis(100), AtMillis(2500));
    });
  }
  harness.Run();
  *checkpoints = TraceWith(harness, "checkpoint metadata checkpoints/app/checkpoint-2000");
  std::map<int64_t, int64_t> processing_us;
  for (const engine::BatchInfo& batch : harness.context->batches()) {
    processing_us[batch.batch_time.millis()] = batch.processing_time()->us;
  }
  return processing_us;
}

TEST(StorageFaultEngineTest, ASlowStoreLengthensOutputTasksAndCheckpointWrites) {
  std::vector<std::string> normal_checkpoints;
  std::vector<std::string> slow_checkpoints;
  const std::map<int64_t, int64_t> normal = SaveThreeBatches(false, &normal_checkpoints);
  const std::map<int64_t, int64_t> slow = SaveThreeBatches(true, &slow_checkpoints);
  // The one task of batch 2 writes its part file exactly 100 ms slower; the other batches, outside
  // the window, take as long as without the fault.
  ASSERT_EQ(normal.size(), 3u);
  ASSERT_EQ(slow.size(), 3u);
  EXPECT_EQ(slow.at(2000) - normal.at(2000), 100'000);
  EXPECT_EQ(slow.at(1000), normal.at(1000));
  EXPECT_EQ(slow.at(3000), normal.at(3000));
  // A metadata checkpoint write takes 5 ms, 105 ms in the window: batch 2's first checkpoint,
  // begun at 2.0 s, is in place at 2.105 s instead of 2.005 s; its second, begun when batch 2
  // completed, 105 ms after that.
  EXPECT_EQ(
      normal_checkpoints,
      (std::vector<std::string>{"2005000 checkpoint metadata checkpoints/app/checkpoint-2000",
                                "2015208 checkpoint metadata checkpoints/app/checkpoint-2000"}));
  EXPECT_EQ(slow_checkpoints, (std::vector<std::string>{
                                  "2105000 checkpoint metadata checkpoints/app/checkpoint-2000",
                                  "2215208 checkpoint metadata checkpoints/app/checkpoint-2000"}));
}

std::vector<std::string> LoggedBlocks(const Harness& harness) {
  std::vector<std::string> blocks;
  engine::WriteAheadLog log("checkpoints/app/receivedData/0", engine::kWalRollingInterval);
  for (const std::string& record : log.ReadAll(harness.world->storage())) {
    blocks.push_back(nlohmann::json::parse(record).at("block").get<std::string>());
  }
  return blocks;
}

std::vector<std::string> InputBlocks(int first, int last) {
  std::vector<std::string> ids;
  for (int k = first; k <= last; ++k) ids.push_back("input-0-" + std::to_string(k));
  return ids;
}

// The driver (and its executors with it) crashes at 3.002 s while writes tear: 2 ms into the
// metadata checkpoint of batch 3 (begun at 3.0 s, due at 3.005 s) and 2 ms into the log write of
// block input-0-14 (cut at 3.0 s, synced at 3.005 s). It restarts at 4.002 s.
TEST(StorageFaultEngineTest, ACrashInTheMiddleOfWritesLeavesTornFilesThatRecoveryReadsAround) {
  std::unique_ptr<Harness> harness = LoggedSocket(6);
  engine::StreamingContext& context = *harness->context;
  At(*harness, 3000, [](FaultyStorage& storage) { storage.TearOnCrash(AtMillis(3010)); });
  harness->world->ScheduleGlobal(sim::Duration::Millis(3002),
                                 [&context]() { context.CrashDriver(sim::Duration::Seconds(1)); });
  harness->Run();
  EXPECT_EQ(context.driver_life(), 2);
  EXPECT_EQ(context.stop_reason(), "stopped after 6 batches");
  // Seed 1 keeps 746 of the checkpoint's 1772 bytes and 26 of the block record's 538.
  EXPECT_EQ(TraceWith(*harness, "storage torn"),
            (std::vector<std::string>{
                "3000000 fault storage torn_writes until 3.01s",
                "3002000 storage torn checkpoints/app/temp kept 746 of 1772 unsynced bytes",
                "3002000 storage torn checkpoints/app/receivedData/0/log-0-60000 kept 184 of 570 "
                "unsynced bytes"}));
  // The torn temp is never read: recovery starts from checkpoint-2000, with no file skipped.
  EXPECT_EQ(
      TraceWith(*harness, "recovering from"),
      std::vector<std::string>{"4002000 driver recovering from checkpoints/app/checkpoint-2000"});
  EXPECT_EQ(TraceWith(*harness, "could not be read"), std::vector<std::string>{});
  // The relaunched receiver (4.002 s) did not append to the torn log file: its first block, cut
  // at 4.202 s, started a new one.
  EXPECT_EQ(harness->world->storage().List("checkpoints/app/receivedData/0"),
            (std::vector<std::string>{"checkpoints/app/receivedData/0/log-0-60000",
                                      "checkpoints/app/receivedData/0/log-4202-60000"}));
  // Every whole record reads back; input-0-14, torn (and never reported), is the only one lost.
  std::vector<std::string> expected = InputBlocks(0, 13);
  for (const std::string& id : InputBlocks(15, 24)) expected.push_back(id);
  EXPECT_EQ(LoggedBlocks(*harness), expected);
  // Lost: the torn block's lines (279-298), the one buffered line (299) and the lines of the down
  // time, which the socket never sent (300-399).
  EXPECT_EQ(Sequences(*harness), Union(Range(0, 279), Range(400, 580)));
  EXPECT_EQ(context.warnings(), std::vector<std::string>{
                                    "driver restarted at 4002 ms and recovered from the checkpoint "
                                    "of 2000 ms: re-running 3 batch(es) (0 pending, the rest "
                                    "from the down time)"});
}

// A reliable source that does nothing by itself: the test stores blocks through it.
class ScriptedSource : public engine::ReceiverSource {
 public:
  bool reliable() const override { return true; }
  void ConnectReliable(sim::NodeId receiver_node, engine::StoreBlock store_block) override {
    node = receiver_node;
    store = std::move(store_block);
    ++connections;
  }
  void Disconnect() override { store = nullptr; }
  // `records` as the device's next records, produced now: their ledger ids (partition 0).
  ledger::RecordIds Produce(const records::Values& records, sim::Instant now) {
    ledger::RecordIds ids;
    for (const records::Value& record : records) {
      ledger_.Produced(0, next_sequence, record, now);
      ids.push_back(ledger_.Id(0, next_sequence++));
    }
    return ids;
  }

  sim::NodeId node;
  engine::StoreBlock store;
  int connections = 0;
  int64_t next_sequence = 0;
};

// A reliable receiver with a checkpoint directory (so the block tracker's log is on), the receiver
// log optional; blocks stored at given times; refused writes from `refuse_from_ms` to 1.6 s.
struct ReliableRun {
  ReliableRun(bool receiver_wal, int64_t refuse_from_ms) {
    engine::StreamingConfig config = engine::testing::Batches(6);
    config.checkpoint_dir = "checkpoints/app";
    config.receiver_wal = receiver_wal;
    config.replication = 1;
    harness = std::make_unique<Harness>(config);
    harness->KeepTrace();
    auto owned = std::make_unique<ScriptedSource>();
    source = owned.get();
    harness->Collect(harness->context->ReceiverStream("device", std::move(owned)), "device");
    At(*harness, refuse_from_ms,
       [](FaultyStorage& storage) { storage.RefuseWrites(AtMillis(1600)); });
  }
  void StoreAt(int64_t ms, records::Values records) {
    harness->world->ScheduleGlobal(sim::Duration::Millis(ms), [this, ms, records]() {
      ASSERT_TRUE(source->store) << ms;
      harness->world->RunOnNode(source->node, [this, ms, records]() {
        source->store(records, source->Produce(records, harness->world->Now()),
                      [this, ms]() { acknowledged.push_back(ms); });
      });
    });
  }
  std::unique_ptr<Harness> harness;
  ScriptedSource* source = nullptr;
  std::vector<int64_t> acknowledged;  // the store times of the acknowledged blocks
};

TEST(StorageFaultEngineTest, ARefusedTrackerLogWriteFailsAReliableStoreAndRestartsTheReceiver) {
  ReliableRun run(/*receiver_wal=*/false, /*refuse_from_ms=*/1400);
  run.StoreAt(1500, {I(1), I(2)});
  run.StoreAt(4000, {I(3)});  // after the relaunch at 3.5 s
  run.harness->Run();
  // The driver could not log the block's addition: AddBlock answered false, the store failed
  // with Spark's message, the receiver stopped and was relaunched after 2 s (the last stop is
  // the end of the run).
  EXPECT_EQ(TraceWith(*run.harness, "receiver stop"),
            (std::vector<std::string>{"1502881 receiver stop device: error storing input-0-0: "
                                      "Failed to add block to receiver tracker.",
                                      "6002500 receiver stop device: "}));
  EXPECT_EQ(run.source->connections, 2);
  EXPECT_EQ(run.acknowledged, std::vector<int64_t>{4000});
  // The refused block never reached a batch; the source, unacknowledged, would send it again.
  EXPECT_EQ(engine::testing::Timed(*run.harness, "device"),
            (engine::testing::TimedBatches{
                {1000, {}}, {2000, {}}, {3000, {}}, {4000, {}}, {5000, {I(3)}}, {6000, {}}}));
}

TEST(StorageFaultEngineTest, AReceiverLogSyncRefusedAtTheEndOfTheWriteFailsAReliableStore) {
  // The block's record is appended at 1.5 s; the store refuses writes from 1.502 s, so its sync at
  // 1.505 s fails.
  ReliableRun run(/*receiver_wal=*/true, /*refuse_from_ms=*/1502);
  run.StoreAt(1500, {I(1), I(2)});
  run.StoreAt(4000, {I(3)});
  run.harness->Run();
  EXPECT_EQ(TraceWith(*run.harness, "not logged"),
            std::vector<std::string>{
                "1505000 receiver input-0-0 not logged: java.io.IOException: Cannot fsync file "
                "checkpoints/app/receivedData/0/log-0-60000. Name node is in safe mode."});
  EXPECT_EQ(TraceWith(*run.harness, "receiver stop"),
            (std::vector<std::string>{"1505000 receiver stop device: error storing input-0-0: "
                                      "write-ahead log write failed",
                                      "6002500 receiver stop device: "}));
  EXPECT_EQ(run.source->connections, 2);
  EXPECT_EQ(run.acknowledged, std::vector<int64_t>{4000});
  EXPECT_EQ(engine::testing::Timed(*run.harness, "device"),
            (engine::testing::TimedBatches{
                {1000, {}}, {2000, {}}, {3000, {}}, {4000, {}}, {5000, {I(3)}}, {6000, {}}}));
}

}  // namespace
}  // namespace streamsim::faults
