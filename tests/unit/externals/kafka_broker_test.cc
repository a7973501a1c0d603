// Tests of the simulated Kafka broker (externals/kafka_broker.cc): offsets per partition, reads of
// offset ranges, retention and OffsetOutOfRange, reads while the broker is down, and the producer
// that spreads records round-robin at its rate (and produces nothing while the broker is down).
#include "externals/kafka_broker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamsim::externals {
namespace {

externals::KafkaBrokerConfig Config(int partitions, int64_t retention = 1000000,
                                    double rate = 100) {
  externals::KafkaBrokerConfig config;
  config.topic = "orders";
  config.source_name = "orders";
  config.partitions = partitions;
  config.retention_records = retention;
  config.rate_per_second = rate;
  config.generator.kind = "lines";
  config.generator.lines = {"a", "b", "c", "d", "e"};
  return config;
}

// The values of a successful read.
std::vector<std::string> ValuesOf(const Result<std::vector<protocols::KafkaRecord>>& read) {
  EXPECT_TRUE(read.ok()) << read.status().message();
  std::vector<std::string> values;
  if (!read.ok()) return values;
  for (const protocols::KafkaRecord& record : read.value()) values.push_back(record.value);
  return values;
}

std::vector<int64_t> Offsets(const Result<std::vector<protocols::KafkaRecord>>& read) {
  std::vector<int64_t> offsets;
  if (!read.ok()) return offsets;
  for (const protocols::KafkaRecord& record : read.value()) offsets.push_back(record.offset);
  return offsets;
}

std::string ErrorOf(const Result<std::vector<protocols::KafkaRecord>>& read) {
  return read.ok() ? "ok" : read.status().message();
}

class KafkaBrokerTest : public ::testing::Test {
 protected:
  sim::World world_{1};
};

TEST_F(KafkaBrokerTest, IsANodeNamedAfterItsTopic) {
  externals::KafkaBroker broker(&world_, Config(2));
  EXPECT_EQ(world_.NodeName(broker.node()), "kafka/orders");
  EXPECT_EQ(world_.FindNode("kafka/orders"), broker.node());
  EXPECT_EQ(broker.partitions(), 2);
  EXPECT_FALSE(broker.available());  // not started yet
  broker.Up();
  EXPECT_TRUE(broker.available());
}

TEST_F(KafkaBrokerTest, AppendNumbersRecordsPerPartition) {
  externals::KafkaBroker broker(&world_, Config(2));
  EXPECT_EQ(broker.Append(0, "x0"), 0);
  EXPECT_EQ(broker.Append(0, "x1"), 1);
  EXPECT_EQ(broker.Append(1, "y0"), 0);
  EXPECT_EQ(broker.Append(0, "x2"), 2);
  EXPECT_EQ(broker.LatestOffset(0), 3);
  EXPECT_EQ(broker.LatestOffset(1), 1);
  EXPECT_EQ(broker.LogStartOffset(0), 0);
  broker.Up();
  const auto read = broker.Read(0, 1, 3);
  EXPECT_EQ(ValuesOf(read), (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(Offsets(read), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(ValuesOf(broker.Read(1, 0, 1)), (std::vector<std::string>{"y0"}));
  EXPECT_EQ(ValuesOf(broker.Read(1, 1, 1)), (std::vector<std::string>{}));
}

TEST_F(KafkaBrokerTest, ReadingPastTheLogEndFails) {
  externals::KafkaBroker broker(&world_, Config(1));
  broker.Up();
  broker.Append(0, "x0");
  EXPECT_EQ(ErrorOf(broker.Read(0, 0, 2)),
            "Ran out of messages before reaching ending offset 2 for topic orders partition 0 "
            "start 0. This should not happen, and indicates that messages may have been lost");
}

TEST_F(KafkaBrokerTest, RetentionDeletesTheOldestAndAdvancesTheLogStart) {
  externals::KafkaBroker broker(&world_, Config(2, /*retention=*/3));
  broker.Up();
  // Built by appending: at -O3 GCC 12 warns falsely (-Wrestrict) on "x" + std::to_string(i).
  for (int i = 0; i < 5; ++i) broker.Append(0, std::string("x").append(std::to_string(i)));
  broker.Append(1, "y0");
  EXPECT_EQ(broker.LogStartOffset(0), 2);
  EXPECT_EQ(broker.LatestOffset(0), 5);
  EXPECT_EQ(broker.LogStartOffset(1), 0);
  EXPECT_EQ(ValuesOf(broker.Read(0, 2, 5)), (std::vector<std::string>{"x2", "x3", "x4"}));
  EXPECT_EQ(Offsets(broker.Read(0, 3, 5)), (std::vector<int64_t>{3, 4}));
  // A reader behind the log start: the records it wants are gone.
  EXPECT_EQ(ErrorOf(broker.Read(0, 1, 4)),
            "Offsets out of range with no configured reset policy for partitions: {orders-0=1}");
  EXPECT_EQ(ErrorOf(broker.Read(0, 0, 0)),
            "Offsets out of range with no configured reset policy for partitions: {orders-0=0}");
}

TEST_F(KafkaBrokerTest, ReadsFailWhileDownAndTheLogSurvives) {
  externals::KafkaBroker broker(&world_, Config(1));
  broker.Up();
  broker.Append(0, "x0");
  broker.Down();
  EXPECT_FALSE(broker.available());
  EXPECT_EQ(ErrorOf(broker.Read(0, 0, 1)),
            "Couldn't connect to leader for topic orders 0: broker kafka/orders is down");
  EXPECT_EQ(broker.LatestOffset(0), 1);
  broker.Up();
  EXPECT_EQ(ValuesOf(broker.Read(0, 0, 1)), (std::vector<std::string>{"x0"}));
}

TEST_F(KafkaBrokerTest, ProducerSpreadsRecordsRoundRobinAtItsRate) {
  externals::KafkaBroker broker(&world_, Config(3, 1000000, /*rate=*/100));
  world_.Start(broker.node());
  world_.loop().RunUntil(sim::Instant{1000000});
  // 100 records in the first second: 34, 33, 33 over three partitions.
  EXPECT_EQ(broker.records_produced(), 100);
  EXPECT_EQ(broker.LatestOffset(0), 34);
  EXPECT_EQ(broker.LatestOffset(1), 33);
  EXPECT_EQ(broker.LatestOffset(2), 33);
  // Record n goes to partition n % 3 and is line n % 5 of the generator.
  EXPECT_EQ(ValuesOf(broker.Read(0, 0, 3)), (std::vector<std::string>{"a", "d", "b"}));
  EXPECT_EQ(ValuesOf(broker.Read(1, 0, 3)), (std::vector<std::string>{"b", "e", "c"}));
  EXPECT_EQ(ValuesOf(broker.Read(2, 0, 2)), (std::vector<std::string>{"c", "a"}));
}

TEST_F(KafkaBrokerTest, NothingIsProducedWhileDownAndTheRateHoldsAfter) {
  externals::KafkaBroker broker(&world_, Config(2, 1000000, /*rate=*/100));
  world_.Start(broker.node());
  world_.loop().RunUntil(sim::Instant{500000});
  EXPECT_EQ(broker.records_produced(), 50);
  broker.Down();
  world_.loop().RunUntil(sim::Instant{800000});
  EXPECT_EQ(broker.records_produced(), 50);
  broker.Up();
  world_.loop().RunUntil(sim::Instant{1000000});
  // The 30 records due from 0.5 s to 0.8 s were never produced; the rest of the second was.
  EXPECT_EQ(broker.records_not_produced(), 30);
  EXPECT_EQ(broker.records_produced(), 70);
  EXPECT_EQ(broker.LatestOffset(0) + broker.LatestOffset(1), 70);
  // Record 80 (the first after the gap) went to partition 0 at offset 25.
  EXPECT_EQ(ValuesOf(broker.Read(0, 24, 26)), (std::vector<std::string>{"d", "a"}));
}

}  // namespace
}  // namespace streamsim::externals
