// Tests checker/durable_batch_ledger: decoding the driver's durable metadata from the durable
// store's history — tracker log lines synced in pieces, torn and malformed lines, checkpoints
// renamed into place, and which life each allocation belongs to.
#include "checker/durable_batch_ledger.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamsim::checker {
namespace {

using Kind = sim::DurableChange::Kind;

sim::Instant Ms(int64_t millis) { return sim::Instant{millis * 1000}; }

const std::string kLog = "ck/receivedBlockMetadata/log-0-60000";

std::string Block(const std::string& id, int records, const std::string& wal_path = "",
                  int offset = 0) {
  return R"({"id":")" + id + R"(","records":)" + std::to_string(records) +
         R"(,"executors":[0],"wal_path":")" + wal_path + R"(","wal_offset":)" +
         std::to_string(offset) + R"(,"wal_length":10})";
}

std::string AllocateLine(int64_t t_ms, const std::string& blocks) {
  return R"({"event":"allocate","time_us":)" + std::to_string(t_ms * 1000) +
         R"(,"allocations":[{"stream":0,"blocks":[)" + blocks + "]}]}\n";
}

sim::DurableChange Synced(int64_t at_ms, const std::string& path, const std::string& bytes) {
  return {Kind::kSynced, Ms(at_ms), path, bytes};
}

std::vector<std::string> Ids(const DurableAllocation& allocation) {
  std::vector<std::string> ids;
  for (const DurableBlock& block : allocation.blocks) ids.push_back(block.id);
  return ids;
}

const std::map<int, sim::Instant> kOneLife = {{1, Ms(0)}};

TEST(DurableBatchLedgerTest, ReadsAllocateEventsOfTheTrackerLogOnceTheirLineIsWhole) {
  const std::string line = AllocateLine(2000, Block("input-0-3", 4) + "," + Block("input-0-4", 1));
  const std::vector<sim::DurableChange> history = {
      Synced(1500, kLog,
             R"({"event":"add","stream":0,"blocks":[)" + Block("input-0-3", 4) + "]}\n"),
      Synced(2000, kLog, line.substr(0, 20)),  // half a line: not a record yet
      Synced(2001, kLog, line.substr(20)),
  };
  const DurableBatchLedger ledger = ReadDurableBatchLedger(history, "ck", kOneLife);
  ASSERT_EQ(ledger.allocations.size(), 1u);
  const DurableAllocation& allocation = ledger.allocations[0];
  EXPECT_EQ(allocation.batch_time, Ms(2000));
  EXPECT_EQ(allocation.stream_id, 0);
  EXPECT_EQ(allocation.driver_life, 1);
  EXPECT_EQ(Ids(allocation), (std::vector<std::string>{"input-0-3", "input-0-4"}));
  EXPECT_EQ(allocation.blocks[0].records, 4);
  EXPECT_EQ(allocation.where, kLog);
  EXPECT_EQ(allocation.durable_at, Ms(2001));
  EXPECT_EQ(ledger.undecodable, 0);
}

TEST(DurableBatchLedgerTest, CountsMalformedLinesAndIgnoresATornTail) {
  const std::vector<sim::DurableChange> history = {
      Synced(1000, kLog, "{not json}\n"),
      Synced(1000, kLog,
             R"({"event":"allocate","time_us":1000000})"
             "\n"),  // no allocations
      Synced(2000, kLog, AllocateLine(2000, Block("input-0-1", 2)).substr(0, 30)),  // torn
  };
  const DurableBatchLedger ledger = ReadDurableBatchLedger(history, "ck", kOneLife);
  EXPECT_TRUE(ledger.allocations.empty());
  EXPECT_EQ(ledger.undecodable, 2);
}

TEST(DurableBatchLedgerTest, ReadsCheckpointsRenamedIntoPlaceButNotTheirBackups) {
  const std::string checkpoint =
      R"({"block_allocations":[{"time_us":3000000,"stream":1,"blocks":[)" +
      Block("input-1-7", 5, "ck/receivedData/1/log-0-60000", 120) + "]}]}";
  const std::vector<sim::DurableChange> history = {
      Synced(3000, "ck/temp", checkpoint),
      {Kind::kRenamed, Ms(3000), "ck/temp", "ck/checkpoint-3000"},
      {Kind::kRenamed, Ms(3100), "ck/checkpoint-3000", "ck/checkpoint-3000.bk"},
  };
  const DurableBatchLedger ledger = ReadDurableBatchLedger(history, "ck", kOneLife);
  ASSERT_EQ(ledger.allocations.size(), 1u);
  const DurableAllocation& allocation = ledger.allocations[0];
  EXPECT_EQ(allocation.batch_time, Ms(3000));
  EXPECT_EQ(allocation.stream_id, 1);
  EXPECT_EQ(allocation.where, "ck/checkpoint-3000");
  ASSERT_EQ(allocation.blocks.size(), 1u);
  EXPECT_EQ(allocation.blocks[0].wal_path, "ck/receivedData/1/log-0-60000");
  EXPECT_EQ(allocation.blocks[0].wal_offset, 120);
}

TEST(DurableBatchLedgerTest, ReadsTheOffsetRangesOfDirectStreamsFromCheckpoints) {
  const std::string checkpoint =
      R"({"block_allocations":[],"source_positions":{"files":{"remembered":[]},)"
      R"("clicks":{"topic":"t","current":[9,4],"batches":[)"
      R"({"time_us":1000000,"ranges":[[0,0,5],[1,0,2]]},)"
      R"({"time_us":2000000,"ranges":[[0,5,9]]}]}}})";
  const std::vector<sim::DurableChange> history = {
      Synced(2000, "ck/temp", checkpoint),
      {Kind::kRenamed, Ms(2000), "ck/temp", "ck/checkpoint-2000"},
  };
  const DurableBatchLedger ledger = ReadDurableBatchLedger(history, "ck", kOneLife);
  EXPECT_TRUE(ledger.allocations.empty());
  ASSERT_EQ(ledger.offsets.size(), 2u);
  const DurableOffsets* first = DurableOffsetsFor(ledger, Ms(1000), "clicks", 1);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->topic, "t");
  EXPECT_EQ(first->where, "ck/checkpoint-2000");
  ASSERT_EQ(first->ranges.size(), 2u);
  EXPECT_EQ(first->ranges[1].partition, 1);
  EXPECT_EQ(first->ranges[1].from, 0);
  EXPECT_EQ(first->ranges[1].until, 2);
  const DurableOffsets* second = DurableOffsetsFor(ledger, Ms(2000), "clicks", 1);
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(second->ranges.size(), 1u);
  EXPECT_EQ(second->ranges[0].from, 5);
  EXPECT_EQ(DurableOffsetsFor(ledger, Ms(3000), "clicks", 1), nullptr);
  EXPECT_EQ(ledger.undecodable, 0);
}

TEST(DurableBatchLedgerTest, ReadsTheFilesOfFileStreamsFromCheckpoints) {
  const std::string checkpoint =
      R"({"block_allocations":[],"source_positions":{"logs":{"processed":["in/a","in/b"],)"
      R"("existing_at_start":[],"batches":[{"time_us":2000000,"files":["in/a","in/b"]},)"
      R"({"time_us":4000000,"files":[]}]}}})";
  const std::vector<sim::DurableChange> history = {
      Synced(4000, "ck/temp", checkpoint),
      {Kind::kRenamed, Ms(4000), "ck/temp", "ck/checkpoint-4000"},
  };
  const DurableBatchLedger ledger = ReadDurableBatchLedger(history, "ck", kOneLife);
  EXPECT_TRUE(ledger.offsets.empty());
  ASSERT_EQ(ledger.files.size(), 2u);
  const DurableFiles* first = DurableFilesFor(ledger, Ms(2000), "logs", 1);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->files, (std::vector<std::string>{"in/a", "in/b"}));
  EXPECT_EQ(first->where, "ck/checkpoint-4000");
  const DurableFiles* second = DurableFilesFor(ledger, Ms(4000), "logs", 1);
  ASSERT_NE(second, nullptr);
  EXPECT_TRUE(second->files.empty());
}

TEST(DurableBatchLedgerTest, AnAllocationBelongsToTheLifeRunningWhenItBecameDurable) {
  const std::map<int, sim::Instant> lives = {{1, Ms(0)}, {2, Ms(6000)}};
  const std::vector<sim::DurableChange> history = {
      Synced(5000, kLog, AllocateLine(5000, Block("input-0-9", 1))),
      Synced(7000, kLog, AllocateLine(7000, Block("input-0-1", 1))),
      Synced(7000, kLog, AllocateLine(5000, Block("input-0-2", 1))),  // life 2 again at 5000
  };
  const DurableBatchLedger ledger = ReadDurableBatchLedger(history, "ck", lives);
  ASSERT_EQ(ledger.allocations.size(), 3u);
  EXPECT_EQ(ledger.allocations[0].driver_life, 1);
  EXPECT_EQ(ledger.allocations[1].driver_life, 2);
  // Life 1 ran 5000 on its own allocation; life 2 on the one it made durable.
  const DurableAllocation* first = DurableAllocationFor(ledger, Ms(5000), 0, 1);
  const DurableAllocation* second = DurableAllocationFor(ledger, Ms(5000), 0, 2);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(Ids(*first), std::vector<std::string>{"input-0-9"});
  EXPECT_EQ(Ids(*second), std::vector<std::string>{"input-0-2"});
  EXPECT_EQ(DurableAllocationFor(ledger, Ms(7000), 0, 1), nullptr);  // life 1 never had it
  EXPECT_EQ(DurableAllocationFor(ledger, Ms(5000), 1, 2), nullptr);  // another stream
}

TEST(DurableBatchLedgerTest, ADeletedLogFileStillCountsWhatItHeld) {
  const std::vector<sim::DurableChange> history = {
      Synced(1000, kLog, AllocateLine(1000, Block("input-0-0", 3))),
      {Kind::kDeleted, Ms(70000), kLog, ""},
  };
  const DurableBatchLedger ledger = ReadDurableBatchLedger(history, "ck", kOneLife);
  EXPECT_EQ(ledger.allocations.size(), 1u);
  EXPECT_EQ(DriverMetadataPaths("ck"),
            (std::vector<std::string>{"ck/receivedBlockMetadata/", "ck/checkpoint-", "ck/temp"}));
}

}  // namespace
// Checkpoints repeat the allocations the driver remembers: a repeated one is read once; a torn
// checkpoint (a prefix of one) or one with a malformed new allocation is rejected whole.
TEST(DurableBatchLedgerTest, RepeatedAllocationsAreReadOnceAndATornCheckpointNotAtAll) {
  const std::string first =
      R"({"time_us":3000000,"stream":1,"blocks":[)" + Block("input-1-7", 5) + "]}";
  const std::string second =
      R"({"time_us":4000000,"stream":1,"blocks":[)" + Block("input-1-8", 6) + "]}";
  auto checkpoint = [](const std::string& allocations) {
    return R"({"version":1,"block_allocations":[)" + allocations +
           R"(],"source_positions":{},"graph":{"streams":[]}})";
  };
  const std::string whole = checkpoint(first + "," + second);
  const std::vector<sim::DurableChange> history = {
      Synced(3000, "ck/temp", checkpoint(first)),
      {Kind::kRenamed, Ms(3000), "ck/temp", "ck/checkpoint-3000"},
      Synced(4000, "ck/temp", whole.substr(0, whole.size() - 2)),  // torn: its end never synced
      {Kind::kRenamed, Ms(4000), "ck/temp", "ck/checkpoint-4000"},
      Synced(4100, "ck/temp", checkpoint(first + "," + R"({"time_us":4000000,"stream":)")),
      {Kind::kRenamed, Ms(4100), "ck/temp", "ck/checkpoint-4100"},
      Synced(5000, "ck/temp", whole),
      {Kind::kRenamed, Ms(5000), "ck/temp", "ck/checkpoint-5000"},
  };
  const DurableBatchLedger ledger = ReadDurableBatchLedger(history, "ck", kOneLife);
  EXPECT_EQ(ledger.undecodable, 2);
  ASSERT_EQ(ledger.allocations.size(), 2u);
  EXPECT_EQ(Ids(ledger.allocations[0]), std::vector<std::string>{"input-1-7"});
  EXPECT_EQ(ledger.allocations[0].where, "ck/checkpoint-3000");
  EXPECT_EQ(Ids(ledger.allocations[1]), std::vector<std::string>{"input-1-8"});
  EXPECT_EQ(ledger.allocations[1].where, "ck/checkpoint-5000");
}

}  // namespace streamsim::checker
