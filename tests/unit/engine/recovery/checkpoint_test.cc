// Tests of checkpoints (engine/recovery/checkpoint.cc, engine/recovery/driver_recovery.cc):
// metadata checkpoint encoding, writing and reading on a plain DurableStore (newest 10 kept,
// backups, corrupt files skipped), data checkpoints that cut the lineage of state and delete their
// old files, and the Spark 1.x cleaner TTL evicting blocks a window still needs.
#include "engine/recovery/checkpoint.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/streaming/stream_operations.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::I;
using testing::Op;
using testing::Parse;
using testing::S;

constexpr char kDirectory[] = "checkpoints/app";

sim::Instant Ms(int64_t ms) { return sim::Instant{ms * 1000}; }

// A checkpoint with every field filled in.
CheckpointData FullCheckpoint() {
  CheckpointData data;
  data.checkpoint_time = Ms(5000);
  data.zero_time = Ms(250);
  data.batch_interval = sim::Duration::Seconds(1);
  data.pending_batches = {Ms(4000), Ms(5000)};
  data.stream_checkpoints["counts"][Ms(4000)] = {"checkpoints/app/data/counts/rdd-4000/part-00000",
                                                 "checkpoints/app/data/counts/rdd-4000/part-00001"};
  data.stream_checkpoints["sums"][Ms(2000)] = {"checkpoints/app/data/sums/rdd-2000/part-00000"};
  data.block_allocations[Ms(5000)][0] = {{"input-0-7", 20, {0, 1}}, {"input-0-8", 19, {1, 0}}};
  data.block_allocations[Ms(5000)][1] = {};
  data.block_allocations[Ms(4000)][0] = {{"input-0-6", 3, {1}}};
  data.source_positions["files"] = {{"processed", {"in/a.txt"}},
                                    {"batches", nlohmann::json::array()}};
  data.graph = nlohmann::json::array({{{"name", "words"}, {"parents", nlohmann::json::array()}},
                                      {{"name", "counts"}, {"parents", {"words"}}}});
  return data;
}

void ExpectBlocksEqual(const std::vector<BlockRdd::BlockInfo>& actual,
                       const std::vector<BlockRdd::BlockInfo>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].id, expected[i].id);
    EXPECT_EQ(actual[i].records, expected[i].records);
    EXPECT_EQ(actual[i].executors, expected[i].executors);
  }
}

void ExpectCheckpointsEqual(const CheckpointData& actual, const CheckpointData& expected) {
  EXPECT_EQ(actual.checkpoint_time, expected.checkpoint_time);
  EXPECT_EQ(actual.zero_time, expected.zero_time);
  EXPECT_EQ(actual.batch_interval, expected.batch_interval);
  EXPECT_EQ(actual.pending_batches, expected.pending_batches);
  EXPECT_EQ(actual.stream_checkpoints, expected.stream_checkpoints);
  ASSERT_EQ(actual.block_allocations.size(), expected.block_allocations.size());
  for (const auto& [t, by_stream] : expected.block_allocations) {
    ASSERT_EQ(actual.block_allocations.count(t), 1u) << t.us;
    const auto& actual_by_stream = actual.block_allocations.at(t);
    ASSERT_EQ(actual_by_stream.size(), by_stream.size()) << t.us;
    for (const auto& [stream, blocks] : by_stream) {
      ASSERT_EQ(actual_by_stream.count(stream), 1u) << t.us << " stream " << stream;
      ExpectBlocksEqual(actual_by_stream.at(stream), blocks);
    }
  }
  EXPECT_EQ(actual.source_positions, expected.source_positions);
  EXPECT_EQ(actual.graph, expected.graph);
}

TEST(CheckpointTest, EncodeDecodeRoundTripKeepsEveryField) {
  const CheckpointData data = FullCheckpoint();
  const nlohmann::json json = EncodeCheckpoint(data);
  EXPECT_EQ(json.at("version"), 1);
  EXPECT_EQ(json.at("checkpoint_time_us"), 5'000'000);
  EXPECT_EQ(json.at("zero_time_us"), 250'000);
  EXPECT_EQ(json.at("batch_interval_us"), 1'000'000);
  EXPECT_EQ(json.at("pending_batches_us"), nlohmann::json::array({4'000'000, 5'000'000}));
  // Three (time, stream) allocations, one of them with no blocks.
  EXPECT_EQ(json.at("block_allocations").size(), 3u);
  CheckpointData decoded;
  ASSERT_TRUE(DecodeCheckpoint(json, &decoded));
  ExpectCheckpointsEqual(decoded, data);
  // Through text, as it is stored.
  CheckpointData reparsed;
  ASSERT_TRUE(DecodeCheckpoint(nlohmann::json::parse(json.dump()), &reparsed));
  ExpectCheckpointsEqual(reparsed, data);
}

TEST(CheckpointTest, DecodeRejectsIncompleteOrForeignCheckpoints) {
  const nlohmann::json json = EncodeCheckpoint(FullCheckpoint());
  CheckpointData out;
  out.checkpoint_time = Ms(77);
  for (const char* field :
       {"version", "checkpoint_time_us", "zero_time_us", "batch_interval_us", "pending_batches_us",
        "stream_checkpoints", "block_allocations", "source_positions", "graph"}) {
    nlohmann::json missing = json;
    missing.erase(field);
    EXPECT_FALSE(DecodeCheckpoint(missing, &out)) << field;
  }
  nlohmann::json other_version = json;
  other_version["version"] = 2;
  EXPECT_FALSE(DecodeCheckpoint(other_version, &out));
  nlohmann::json wrong_type = json;
  wrong_type["zero_time_us"] = "soon";
  EXPECT_FALSE(DecodeCheckpoint(wrong_type, &out));
  // A failed decode leaves the output alone.
  EXPECT_EQ(out.checkpoint_time, Ms(77));
}

CheckpointData AtTime(int64_t ms, std::vector<sim::Instant> pending = {}) {
  CheckpointData data;
  data.checkpoint_time = Ms(ms);
  data.batch_interval = sim::Duration::Seconds(1);
  data.pending_batches = std::move(pending);
  return data;
}

std::vector<std::string> Paths(std::initializer_list<std::string> names) {
  std::vector<std::string> paths;
  for (const std::string& name : names) paths.push_back(std::string(kDirectory) + "/" + name);
  return paths;
}

TEST(CheckpointTest, WriteThenReadTheNewest) {
  sim::DurableStore storage;
  ASSERT_TRUE(WriteCheckpoint(storage, sim::NodeId{0}, kDirectory, FullCheckpoint()).ok());
  EXPECT_EQ(CheckpointFileName(kDirectory, Ms(5000)), "checkpoints/app/checkpoint-5000");
  // Written to a temporary file and renamed: only the checkpoint is left.
  EXPECT_EQ(storage.List(kDirectory), Paths({"checkpoint-5000"}));
  const CheckpointReadResult read = ReadNewestCheckpoint(storage, kDirectory);
  ASSERT_TRUE(read.data.has_value());
  EXPECT_EQ(read.file, "checkpoints/app/checkpoint-5000");
  EXPECT_TRUE(read.skipped.empty());
  ExpectCheckpointsEqual(*read.data, FullCheckpoint());
}

TEST(CheckpointTest, NothingToReadInAnEmptyDirectory) {
  sim::DurableStore storage;
  const CheckpointReadResult read = ReadNewestCheckpoint(storage, kDirectory);
  EXPECT_FALSE(read.data.has_value());
  EXPECT_EQ(read.file, "");
  EXPECT_TRUE(read.skipped.empty());
}

TEST(CheckpointTest, OnlyTheNewestTenFilesAreKept) {
  sim::DurableStore storage;
  for (int64_t second = 1; second <= 12; ++second) {
    ASSERT_TRUE(WriteCheckpoint(storage, sim::NodeId{0}, kDirectory, AtTime(second * 1000)).ok());
  }
  // Newest first by time, not by name (checkpoint-9000 sorts after checkpoint-12000 as text).
  EXPECT_EQ(CheckpointFilesNewestFirst(storage, kDirectory),
            Paths({"checkpoint-12000", "checkpoint-11000", "checkpoint-10000", "checkpoint-9000",
                   "checkpoint-8000", "checkpoint-7000", "checkpoint-6000", "checkpoint-5000",
                   "checkpoint-4000", "checkpoint-3000"}));
  EXPECT_EQ(storage.List(kDirectory).size(), 10u);
  const CheckpointReadResult read = ReadNewestCheckpoint(storage, kDirectory);
  ASSERT_TRUE(read.data.has_value());
  EXPECT_EQ(read.data->checkpoint_time, Ms(12000));
}

TEST(CheckpointTest, ASecondWriteForTheSameTimeKeepsABackup) {
  sim::DurableStore storage;
  for (int64_t second = 1; second <= 12; ++second) {
    ASSERT_TRUE(WriteCheckpoint(storage, sim::NodeId{0}, kDirectory, AtTime(second * 1000)).ok());
  }
  // As after a batch completes: the checkpoint of its generation becomes the backup.
  ASSERT_TRUE(
      WriteCheckpoint(storage, sim::NodeId{0}, kDirectory, AtTime(12000, {Ms(12000)})).ok());
  // The backup counts as one of the ten files, so checkpoint-3000 goes.
  EXPECT_EQ(CheckpointFilesNewestFirst(storage, kDirectory),
            Paths({"checkpoint-12000", "checkpoint-12000.bk", "checkpoint-11000",
                   "checkpoint-10000", "checkpoint-9000", "checkpoint-8000", "checkpoint-7000",
                   "checkpoint-6000", "checkpoint-5000", "checkpoint-4000"}));
  CheckpointData backup;
  ASSERT_TRUE(DecodeCheckpoint(
      nlohmann::json::parse(storage.Read("checkpoints/app/checkpoint-12000.bk").value()), &backup));
  EXPECT_TRUE(backup.pending_batches.empty());
  CheckpointReadResult read = ReadNewestCheckpoint(storage, kDirectory);
  ASSERT_TRUE(read.data.has_value());
  EXPECT_EQ(read.file, "checkpoints/app/checkpoint-12000");
  EXPECT_EQ(read.data->pending_batches, (std::vector<sim::Instant>{Ms(12000)}));
  // A third write replaces the backup with the second one.
  ASSERT_TRUE(
      WriteCheckpoint(storage, sim::NodeId{0}, kDirectory, AtTime(12000, {Ms(11000), Ms(12000)}))
          .ok());
  ASSERT_TRUE(DecodeCheckpoint(
      nlohmann::json::parse(storage.Read("checkpoints/app/checkpoint-12000.bk").value()), &backup));
  EXPECT_EQ(backup.pending_batches, (std::vector<sim::Instant>{Ms(12000)}));
  EXPECT_EQ(CheckpointFilesNewestFirst(storage, kDirectory).size(), 10u);
}

TEST(CheckpointTest, CorruptNewestFilesAreSkipped) {
  sim::DurableStore storage;
  for (int64_t second = 10; second <= 12; ++second) {
    ASSERT_TRUE(WriteCheckpoint(storage, sim::NodeId{0}, kDirectory, AtTime(second * 1000)).ok());
  }
  ASSERT_TRUE(
      WriteCheckpoint(storage, sim::NodeId{0}, kDirectory, AtTime(12000, {Ms(12000)})).ok());
  // Garbage over the newest file: its backup is read instead.
  ASSERT_TRUE(storage
                  .WriteWholeFile(sim::NodeId{0}, "checkpoints/app/checkpoint-12000",
                                  "\x01\x02 not a checkpoint {")
                  .ok());
  CheckpointReadResult read = ReadNewestCheckpoint(storage, kDirectory);
  ASSERT_TRUE(read.data.has_value());
  EXPECT_EQ(read.file, "checkpoints/app/checkpoint-12000.bk");
  EXPECT_EQ(read.skipped, Paths({"checkpoint-12000"}));
  EXPECT_EQ(read.data->checkpoint_time, Ms(12000));
  EXPECT_TRUE(read.data->pending_batches.empty());
  // Valid JSON that is not a whole checkpoint, and an empty (torn) file, are skipped too.
  ASSERT_TRUE(
      storage
          .WriteWholeFile(sim::NodeId{0}, "checkpoints/app/checkpoint-12000.bk", "{\"version\": 1}")
          .ok());
  ASSERT_TRUE(storage.WriteWholeFile(sim::NodeId{0}, "checkpoints/app/checkpoint-11000", "").ok());
  read = ReadNewestCheckpoint(storage, kDirectory);
  ASSERT_TRUE(read.data.has_value());
  EXPECT_EQ(read.file, "checkpoints/app/checkpoint-10000");
  EXPECT_EQ(read.skipped, Paths({"checkpoint-12000", "checkpoint-12000.bk", "checkpoint-11000"}));
  EXPECT_EQ(read.data->checkpoint_time, Ms(10000));
}

TEST(CheckpointTest, OtherFilesInTheDirectoryAreNotCheckpoints) {
  sim::DurableStore storage;
  ASSERT_TRUE(WriteCheckpoint(storage, sim::NodeId{0}, kDirectory, AtTime(3000)).ok());
  for (const char* name :
       {"checkpoints/app/checkpoint-abc", "checkpoints/app/checkpoint-", "checkpoints/app/temp",
        "checkpoints/app/data/s/checkpoint-99000", "checkpoints/app/receivedBlockMetadata/log-1"}) {
    ASSERT_TRUE(storage.WriteWholeFile(sim::NodeId{0}, name, "x").ok());
  }
  EXPECT_EQ(CheckpointFilesNewestFirst(storage, kDirectory), Paths({"checkpoint-3000"}));
  const CheckpointReadResult read = ReadNewestCheckpoint(storage, kDirectory);
  ASSERT_TRUE(read.data.has_value());
  EXPECT_EQ(read.file, "checkpoints/app/checkpoint-3000");
  EXPECT_TRUE(read.skipped.empty());
}

// queueStream of one word per batch -> map((x, 1)) -> updateStateByKey(running count) on one
// partition as "state", collected, for `batches` batches with the given checkpoint interval.
std::unique_ptr<Harness> RunState(int64_t batches, sim::Duration checkpoint_interval) {
  StreamingConfig config = Batches(batches);
  config.checkpoint_dir = kDirectory;
  config.checkpoint_interval = checkpoint_interval;
  auto harness = std::make_unique<Harness>(config);
  std::vector<Values> queue;
  for (int64_t i = 0; i < batches; ++i) queue.push_back({S(i % 2 == 0 ? "even" : "odd")});
  DStream* input = harness->context->QueueStream("words", queue, 1, true);
  DStream* pairs =
      harness->context->Transform("pairs", {input}, {Op(OperatorKind::kMap, "(x, 1)")});
  harness->Collect(UpdateStateByKey(*harness->context, "state", pairs,
                                    Parse("if(state == null, 0, state) + sum(values)"), 1, {}),
                   "state");
  harness->Run();
  return harness;
}

TEST(CheckpointTest, DataCheckpointsCutTheLineageOfState) {
  std::unique_ptr<Harness> harness = RunState(32, sim::Duration::Seconds(5));
  const DStream* pairs = harness->context->FindStream("pairs");
  const DStream* state = harness->context->FindStream("state");
  ASSERT_NE(pairs, nullptr);
  ASSERT_NE(state, nullptr);
  // map over the queue's RDD: depth 2.
  EXPECT_EQ(pairs->generated().rbegin()->second->LineageDepth(), 2);
  // state(t) cogroups pairs(t) (depth 2) with state(t - 1): depth max(2, depth(t - 1)) + 1, and a
  // checkpointed state RDD (t a multiple of 5 s) has no parents left: depth 1. So t = 5c + j has
  // depth 1 for j = 0 and 2 + j for j = 1..4 — never more than 6, however long the run.
  // The stream remembers twice the checkpoint interval: batches 23..32.
  std::vector<std::pair<int64_t, int>> depths;
  for (const auto& [t, rdd] : state->generated())
    depths.emplace_back(t.millis(), rdd->LineageDepth());
  EXPECT_EQ(depths, (std::vector<std::pair<int64_t, int>>{{23000, 5},
                                                          {24000, 6},
                                                          {25000, 1},
                                                          {26000, 3},
                                                          {27000, 4},
                                                          {28000, 5},
                                                          {29000, 6},
                                                          {30000, 1},
                                                          {31000, 3},
                                                          {32000, 4}}));
  EXPECT_TRUE(state->generated().at(Ms(30000))->checkpointed());
  EXPECT_FALSE(state->generated().at(Ms(31000))->checkpointed());
  // The state is right across the cuts: 16 odd and 16 even words.
  EXPECT_EQ(harness->listener.collected["state"].back().records,
            (Values{testing::P(S("even"), I(16)), testing::P(S("odd"), I(16))}));
}

TEST(CheckpointTest, WithoutACheckpointInRangeTheLineageGrowsEveryBatch) {
  // Checkpoint interval 100 s: no cut in 32 batches. state(1) cogroups pairs(1) with an empty
  // RDD (depth 3), and each batch adds one: depth t + 2.
  std::unique_ptr<Harness> harness = RunState(32, sim::Duration::Seconds(100));
  const DStream* state = harness->context->FindStream("state");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->generated().rbegin()->first, Ms(32000));
  EXPECT_EQ(state->generated().rbegin()->second->LineageDepth(), 34);
}

TEST(CheckpointTest, OldDataCheckpointFilesAreDeleted) {
  std::unique_ptr<Harness> harness = RunState(32, sim::Duration::Seconds(5));
  sim::Storage& storage = harness->world->storage();
  // Data checkpoints were written at 5, 10, ..., 30 s; the last metadata checkpoint (32 s) refers
  // to those the stream still remembers (25 and 30 s), and everything older was deleted.
  EXPECT_EQ(storage.List("checkpoints/app/data/"),
            (std::vector<std::string>{"checkpoints/app/data/state/rdd-25000/part-00000",
                                      "checkpoints/app/data/state/rdd-30000/part-00000"}));
  const CheckpointReadResult read = ReadNewestCheckpoint(storage, kDirectory);
  ASSERT_TRUE(read.data.has_value());
  EXPECT_EQ(read.file, "checkpoints/app/checkpoint-32000");
  EXPECT_EQ(read.data->checkpoint_time, Ms(32000));
  EXPECT_TRUE(read.data->pending_batches.empty());
  EXPECT_EQ(read.data->stream_checkpoints,
            (std::map<std::string, std::map<sim::Instant, std::vector<std::string>>>{
                {"state",
                 {{Ms(25000), {"checkpoints/app/data/state/rdd-25000/part-00000"}},
                  {Ms(30000), {"checkpoints/app/data/state/rdd-30000/part-00000"}}}}}));
  // Two metadata checkpoints per batch (after generation, after completion): the newest ten files
  // are batches 28..32, each with its backup.
  EXPECT_EQ(
      CheckpointFilesNewestFirst(storage, kDirectory),
      Paths({"checkpoint-32000", "checkpoint-32000.bk", "checkpoint-31000", "checkpoint-31000.bk",
             "checkpoint-30000", "checkpoint-30000.bk", "checkpoint-29000", "checkpoint-29000.bk",
             "checkpoint-28000", "checkpoint-28000.bk"}));
}

// A socket source (100 lines/s, 200 ms blocks: 79 lines in batch 1, 100 in each later one)
// counted over a 10 s window for 12 batches.
std::unique_ptr<Harness> RunWindowOverSocket(std::optional<sim::Duration> cleaner_ttl) {
  StreamingConfig config = Batches(12);
  config.cleaner_ttl = cleaner_ttl;
  auto harness = std::make_unique<Harness>(config);
  harness->KeepTrace();
  externals::SocketServerConfig lines;
  lines.name = "lines";
  lines.port = 7777;
  lines.rate_per_second = 100;
  lines.generator.kind = "lines";
  lines.generator.lines = {"a", "b", "c"};
  DStream* input = harness->SocketTextStream(lines);
  DStream* window = Window(*harness->context, "window", input,
                           WindowArguments{sim::Duration::Seconds(10), sim::Duration::Seconds(1)});
  harness->TransformAndCollect({window}, {Op(OperatorKind::kCount)}, "count");
  harness->Run();
  return harness;
}

TEST(CheckpointTest, ATooShortCleanerTtlEvictsBlocksAWindowStillNeeds) {
  std::unique_ptr<Harness> harness = RunWindowOverSocket(sim::Duration::Seconds(3));
  // The cleaner runs every max(10 s, ttl / 10) = 10 s. At 10 s, just before batch 10 is generated,
  // it drops every block (received or cached) older than 7 s; the 10 s window of batch 10 still
  // covers batches 1..6, so its job fails; so do those of batches 11 and 12.
  EXPECT_EQ(harness->TraceLinesContaining(" cleaner ttl=3s removed "), 1u);
  const std::vector<BatchInfo> batches = harness->context->batches();
  ASSERT_EQ(batches.size(), 12u);
  for (const BatchInfo& batch : batches) {
    const int64_t t = batch.batch_time.millis();
    if (t < 10000) {
      EXPECT_EQ(batch.failure, "") << t;
      continue;
    }
    EXPECT_EQ(batch.failure.rfind("Job aborted due to stage failure: ", 0), 0u) << batch.failure;
    const size_t at =
        batch.failure.find("most recent failure: Could not compute split, block input-0-");
    EXPECT_NE(at, std::string::npos) << batch.failure;
    EXPECT_EQ(batch.failure.substr(batch.failure.size() - 10), " not found") << batch.failure;
  }
  // The failed batches output nothing; the earlier windows count everything received so far.
  std::vector<std::pair<int64_t, Values>> counts;
  for (const auto& batch : harness->listener.collected["count"]) {
    counts.emplace_back(batch.batch_time_ms, batch.records);
  }
  std::vector<std::pair<int64_t, Values>> expected;
  for (int64_t t = 1; t <= 9; ++t) expected.emplace_back(t * 1000, Values{I(79 + 100 * (t - 1))});
  EXPECT_EQ(counts, expected);
}

TEST(CheckpointTest, WithoutACleanerTtlTheWindowKeepsItsBlocks) {
  std::unique_ptr<Harness> harness = RunWindowOverSocket(std::nullopt);
  for (const BatchInfo& batch : harness->context->batches()) {
    EXPECT_EQ(batch.failure, "") << batch.batch_time.millis();
  }
  // Windows of the last ten batches from 10 s on: 79 + 9 x 100 at 10 s, 10 x 100 after.
  const auto& collected = harness->listener.collected["count"];
  ASSERT_EQ(collected.size(), 12u);
  EXPECT_EQ(collected[9].records, (Values{I(979)}));
  EXPECT_EQ(collected[10].records, (Values{I(1000)}));
  EXPECT_EQ(collected[11].records, (Values{I(1000)}));
}

}  // namespace
}  // namespace streamsim::engine
