// Tests of kafka sources in scenarios (scenarios/source_reader.cc, harness/simulation.cc): the full
// spelling loaded into exact model values, the defaults, every error with its exact
// "file:line:col: message", topics shared by two sources, and a built scenario running its
// broker and direct stream.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/simulation.h"
#include "scenarios/loader.h"
#include "tests/unit/scenarios/loader_test_support.h"

namespace streamsim::scenarios {
namespace {

using testing::ErrorOf;
using testing::Loaded;

std::string WithSource(const std::string& source_line) {
  return testing::WithSource(source_line, "orders");
}

TEST(KafkaLoaderTest, FullSpellingLoadsIntoTheModel) {
  const Scenario scenario = Loaded(WithSource(
      "  orders: {kind: kafka, mode: direct, topic: orders, partitions: 4, rate: 1000/s,\n"
      "           max_rate_per_partition: 500/s, generator: {kind: words, vocabulary: [a, b]},\n"
      "           retention: 100000, start: earliest}"));
  ASSERT_EQ(scenario.sources.size(), 1u);
  const SourceSpec& source = scenario.sources[0];
  EXPECT_EQ(source.kind, scenarios::SourceKind::kKafka);
  EXPECT_EQ(source.mode, scenarios::SourceMode::kDirect);
  EXPECT_EQ(source.topic, "orders");
  EXPECT_EQ(source.topic_position.line, 2);
  EXPECT_EQ(source.topic_position.column, 46);
  EXPECT_EQ(source.kafka_partitions, 4);
  EXPECT_EQ(source.rate_per_second, 1000);
  EXPECT_EQ(source.max_rate_per_partition, 500);
  EXPECT_EQ(source.retention, 100000);
  EXPECT_EQ(source.start, "earliest");
  EXPECT_EQ(source.generator.kind, "words");
  EXPECT_EQ(source.generator.vocabulary, (std::vector<std::string>{"a", "b"}));
}

TEST(KafkaLoaderTest, Defaults) {
  const Scenario scenario =
      Loaded(WithSource("  orders: {kind: kafka, topic: o.r-d_1, rate: 5/s}"));
  const SourceSpec& source = scenario.sources.at(0);
  EXPECT_EQ(source.mode, scenarios::SourceMode::kDirect);
  EXPECT_EQ(source.topic, "o.r-d_1");
  EXPECT_EQ(source.kafka_partitions, 1);
  EXPECT_EQ(source.rate_per_second, 5);
  EXPECT_EQ(source.max_rate_per_partition, 0);  // unlimited
  EXPECT_EQ(source.retention, 1000000);
  EXPECT_EQ(source.start, "latest");
  EXPECT_EQ(source.generator.kind, "log_lines");
}

TEST(KafkaLoaderTest, UnknownModeSuggestsTheClosest) {
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, mode: dirct, topic: orders, rate: 10/s}")),
            "t.yaml:2:31: unknown kafka mode 'dirct'; expected one of direct, receiver; did you "
            "mean 'direct'?");
}

TEST(KafkaLoaderTest, TopicAndRateAreRequired) {
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, rate: 10/s}")),
            "t.yaml:2:11: missing key 'topic' in source 'orders'");
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, topic: orders}")),
            "t.yaml:2:11: missing key 'rate' in source 'orders'");
}

TEST(KafkaLoaderTest, TopicMustBeAKafkaTopicName) {
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, topic: \"a b\", rate: 10/s}")),
            "t.yaml:2:32: 'topic' must be a Kafka topic name (letters, digits, '.', '_' and '-', "
            "at most 249 characters), got 'a b'");
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, topic: \"..\", rate: 10/s}")),
            "t.yaml:2:32: 'topic' must be a Kafka topic name (letters, digits, '.', '_' and '-', "
            "at most 249 characters), got '..'");
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, topic: \"\", rate: 10/s}")),
            "t.yaml:2:32: 'topic' must not be empty");
}

TEST(KafkaLoaderTest, NumbersAreInRange) {
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, topic: o, partitions: 0, rate: 1/s}")),
            "t.yaml:2:47: 'partitions' must be between 1 and 10000, got 0");
  EXPECT_EQ(
      ErrorOf(
          WithSource("  orders: {kind: kafka, topic: o, rate: 1/s, max_rate_per_partition: 0}")),
      "t.yaml:2:70: 'max_rate_per_partition' must be greater than 0 and at most 1000000/s, got 0");
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, topic: o, rate: 1/s, retention: 0}")),
            "t.yaml:2:57: 'retention' must be between 1 and 100000000, got 0");
}

TEST(KafkaLoaderTest, StartIsLatestOrEarliest) {
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, topic: o, rate: 1/s, start: oldest}")),
            "t.yaml:2:53: unknown starting offset 'oldest'; expected one of latest, earliest");
}

TEST(KafkaLoaderTest, KeysOfOtherKindsAreUnknown) {
  EXPECT_EQ(ErrorOf(WithSource("  orders: {kind: kafka, topic: o, rate: 1/s, port: 9}")),
            "t.yaml:2:46: unknown key 'port' in source 'orders'");
}

TEST(KafkaLoaderTest, SourcesOfOneTopicMustDescribeTheSameProducer) {
  EXPECT_EQ(ErrorOf("sources:\n"
                    "  a: {kind: kafka, topic: t, partitions: 2, rate: 10/s}\n"
                    "  b: {kind: kafka, topic: t, partitions: 3, rate: 10/s}\n"
                    "outputs:\n  - {stream: a, print: true}\n"),
            "t.yaml:3:27: source 'b' reads topic 't' as source 'a' does, but describes another "
            "producer: sources of one topic must agree on partitions, rate, retention and "
            "generator");
  const Scenario scenario = Loaded(
      "sources:\n"
      "  a: {kind: kafka, topic: t, partitions: 2, rate: 10/s}\n"
      "  b: {kind: kafka, topic: t, partitions: 2, rate: 10/s,\n"
      "      max_rate_per_partition: 1/s, start: earliest}\n"
      "outputs:\n  - {stream: a, print: true}\n");
  EXPECT_EQ(scenario.sources.size(), 2u);
}

TEST(KafkaLoaderTest, ABuiltScenarioRunsTheBrokerAndTheDirectStream) {
  const Scenario scenario = Loaded(
      "stop: {batches: 2}\n"
      "sources:\n"
      "  a: {kind: kafka, topic: orders, partitions: 2, rate: 100/s}\n"
      "  b: {kind: kafka, topic: orders, partitions: 2, rate: 100/s, max_rate_per_partition: "
      "10/s}\n"
      "outputs:\n  - {stream: a, print: true}\n  - {stream: b, print: true}\n");
  engine::OutputListener listener;
  LoadError error;
  auto built = harness::Simulation::Build(scenario, {}, &listener);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  ASSERT_NE(simulation, nullptr) << error.ToString();
  ASSERT_TRUE(simulation->Run().ok());
  // One broker for the topic, read by both streams.
  ASSERT_EQ(simulation->externals().kafka_brokers.size(), 1u);
  EXPECT_TRUE(simulation->world().FindNode("kafka/orders").valid());
  std::vector<int64_t> records;
  for (const auto& batch : simulation->context().batches()) records.push_back(batch.input_records);
  // a: 99 then 100 records; b: 10 per partition per batch.
  EXPECT_EQ(records, (std::vector<int64_t>{99 + 20, 100 + 20}));
}

}  // namespace
}  // namespace streamsim::scenarios
