// Tests of the simulated Kinesis stream (externals/kinesis_stream.cc): per-shard sequence numbers,
// GetRecords from a sequence number, trimming by retention, the producer's round-robin at its
// rate, the lease table, and a crash of the node (shards and lease table survive; nothing is
// produced while down).
#include "externals/kinesis_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamsim::externals {
namespace {

externals::KinesisStreamConfig Config(int shards, double rate = 100) {
  externals::KinesisStreamConfig config;
  config.source_name = "taps";
  config.shards = shards;
  config.rate_per_second = rate;
  config.generator.kind = "lines";
  config.generator.lines = {"a", "b", "c", "d", "e"};
  return config;
}

std::vector<std::string> Data(const Result<std::vector<protocols::KinesisRecord>>& read) {
  EXPECT_TRUE(read.ok()) << read.status().message();
  std::vector<std::string> data;
  if (!read.ok()) return data;
  for (const protocols::KinesisRecord& record : read.value()) data.push_back(record.data);
  return data;
}

std::vector<int64_t> SequenceNumbers(const Result<std::vector<protocols::KinesisRecord>>& read) {
  std::vector<int64_t> numbers;
  if (!read.ok()) return numbers;
  for (const protocols::KinesisRecord& record : read.value())
    numbers.push_back(record.sequence_number);
  return numbers;
}

class KinesisStreamTest : public ::testing::Test {
 protected:
  sim::World world_{1};
};

TEST_F(KinesisStreamTest, IsANodeNamedAfterItsSource) {
  externals::KinesisStream stream(&world_, Config(2));
  EXPECT_EQ(world_.NodeName(stream.node()), "kinesis/taps");
  EXPECT_EQ(stream.shards(), 2);
  EXPECT_FALSE(stream.available());
}

TEST_F(KinesisStreamTest, GetRecordsReadsFromASequenceNumberUpToALimit) {
  externals::KinesisStream stream(&world_, Config(2));
  EXPECT_EQ(stream.Put(0, "x0"), 0);
  EXPECT_EQ(stream.Put(0, "x1"), 1);
  EXPECT_EQ(stream.Put(1, "y0"), 0);
  EXPECT_EQ(stream.Put(0, "x2"), 2);
  EXPECT_EQ(stream.NextSequenceNumber(0), 3);
  world_.Start(stream.node());
  EXPECT_EQ(Data(stream.GetRecords(0, 1, 10)), (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(SequenceNumbers(stream.GetRecords(0, 0, 2)), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(Data(stream.GetRecords(1, 1, 10)), (std::vector<std::string>{}));
  EXPECT_EQ(Data(stream.GetRecords(0, 3, 10)), (std::vector<std::string>{}));
}

TEST_F(KinesisStreamTest, RecordsOlderThanTheRetentionAreTrimmed) {
  externals::KinesisStreamConfig config = Config(1);
  config.retention = sim::Duration::Seconds(10);
  externals::KinesisStream stream(&world_, config);
  // The node stays down (no producer) while the test puts records at 0, 5 and 10.5 s.
  stream.Put(0, "old0");
  stream.Put(0, "old1");
  world_.loop().RunUntil(sim::Instant{5000000});
  stream.Put(0, "mid");
  world_.loop().RunUntil(sim::Instant{10500000});
  EXPECT_EQ(stream.TrimHorizon(0), 0);  // trimming happens on put
  EXPECT_EQ(stream.Put(0, "new"), 3);
  EXPECT_EQ(stream.TrimHorizon(0), 2);  // the two records of 0 s are older than 10 s
  world_.Start(stream.node());
  // Reading from a trimmed sequence number starts at the trim horizon.
  const auto read = stream.GetRecords(0, 0, 10);
  EXPECT_EQ(SequenceNumbers(read), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Data(read), (std::vector<std::string>{"mid", "new"}));
}

TEST_F(KinesisStreamTest, TheProducerSpreadsRecordsRoundRobinAtItsRate) {
  externals::KinesisStream stream(&world_, Config(3));
  world_.Start(stream.node());
  world_.loop().RunUntil(sim::Instant{1000000});
  EXPECT_EQ(stream.records_produced(), 100);
  EXPECT_EQ(stream.NextSequenceNumber(0), 34);
  EXPECT_EQ(stream.NextSequenceNumber(1), 33);
  EXPECT_EQ(stream.NextSequenceNumber(2), 33);
  // Record n goes to shard n % 3 and is line n % 5.
  EXPECT_EQ(Data(stream.GetRecords(0, 0, 3)), (std::vector<std::string>{"a", "d", "b"}));
  EXPECT_EQ(Data(stream.GetRecords(2, 0, 2)), (std::vector<std::string>{"c", "a"}));
}

TEST_F(KinesisStreamTest, TheLeaseTableKeepsACheckpointPerApplicationAndShard) {
  externals::KinesisStream stream(&world_, Config(2));
  world_.Start(stream.node());
  EXPECT_FALSE(stream.CheckpointOf("app", 0).value().has_value());
  ASSERT_TRUE(stream.Checkpoint("app", 0, 41).ok());
  ASSERT_TRUE(stream.Checkpoint("app", 0, 42).ok());
  ASSERT_TRUE(stream.Checkpoint("other", 1, 7).ok());
  EXPECT_EQ(stream.CheckpointOf("app", 0).value(), std::optional<int64_t>{42});
  EXPECT_FALSE(stream.CheckpointOf("app", 1).value().has_value());
  EXPECT_EQ(stream.CheckpointOf("other", 1).value(), std::optional<int64_t>{7});
}

TEST_F(KinesisStreamTest, ACrashStopsReadsCheckpointsAndPutsAndLosesNothingStored) {
  externals::KinesisStream stream(&world_, Config(2));
  world_.Start(stream.node());
  world_.loop().RunUntil(sim::Instant{500000});
  ASSERT_TRUE(stream.Checkpoint("app", 1, 20).ok());
  world_.Crash(stream.node());
  EXPECT_EQ(stream.GetRecords(0, 0, 1).status().message(),
            "GetRecords failed: stream kinesis/taps is not available");
  EXPECT_EQ(stream.Checkpoint("app", 0, 3).message(),
            "checkpoint failed: stream kinesis/taps is not available");
  EXPECT_FALSE(stream.CheckpointOf("app", 1).ok());
  world_.loop().RunUntil(sim::Instant{800000});
  world_.Start(stream.node());
  world_.loop().RunUntil(sim::Instant{1000000});
  // The 30 records due from 0.5 to 0.8 s were never produced; shards and checkpoints survived.
  EXPECT_EQ(stream.records_not_produced(), 30);
  EXPECT_EQ(stream.records_produced(), 70);
  EXPECT_EQ(stream.NextSequenceNumber(0) + stream.NextSequenceNumber(1), 70);
  EXPECT_EQ(stream.CheckpointOf("app", 1).value(), std::optional<int64_t>{20});
  EXPECT_EQ(stream.CheckpointOf("app", 0).value(), std::optional<int64_t>{});
  // Record 80, the first after the gap, is sequence number 25 of shard 0.
  EXPECT_EQ(Data(stream.GetRecords(0, 24, 2)), (std::vector<std::string>{"d", "a"}));
}

}  // namespace
}  // namespace streamsim::externals
