// Tests of the receiver-based Kafka source (`kind: kafka, mode: receiver`) and custom receivers
// (`kind: custom`) in scenarios (scenarios/source_reader.cc, harness/simulation.cc): the spelling
// loaded into exact model values, the defaults, every error with its exact "file:line:col:
// message", and built scenarios running their external systems ("kafka/<topic>", "zookeeper",
// "custom/<name>").
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
using testing::WithSource;

TEST(ReceiverSourcesLoaderTest, KafkaReceiverFullSpelling) {
  const Scenario scenario = Loaded(WithSource(
      "  s: {kind: kafka, mode: receiver, topic: events, partitions: 4, rate: 1000/s,\n"
      "      group: counters, auto_commit_interval: 5s, start: earliest, retention: 5000}"));
  const SourceSpec& source = scenario.sources.at(0);
  EXPECT_EQ(source.kind, scenarios::SourceKind::kKafka);
  EXPECT_EQ(source.mode, scenarios::SourceMode::kReceiver);
  EXPECT_EQ(source.topic, "events");
  EXPECT_EQ(source.kafka_partitions, 4);
  EXPECT_EQ(source.rate_per_second, 1000);
  EXPECT_EQ(source.group, "counters");
  EXPECT_EQ(source.auto_commit_interval, sim::Duration::Seconds(5));
  EXPECT_EQ(source.start, "earliest");
  EXPECT_EQ(source.retention, 5000);
}

TEST(ReceiverSourcesLoaderTest, KafkaReceiverDefaults) {
  const SourceSpec source =
      Loaded(WithSource("  s: {kind: kafka, mode: receiver, topic: events, rate: 10/s}"))
          .sources.at(0);
  EXPECT_EQ(source.group, "");  // the source's name, at build time
  EXPECT_EQ(source.auto_commit_interval, sim::Duration::Seconds(60));
  EXPECT_EQ(source.start, "latest");
  EXPECT_EQ(source.kafka_partitions, 1);
}

TEST(ReceiverSourcesLoaderTest, KeysOfTheOtherKafkaModeAreRejected) {
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kafka, mode: receiver, topic: e, rate: 10/s, "
                               "max_rate_per_partition: 5/s}")),
            "t.yaml:2:82: 'max_rate_per_partition' is for kafka sources with mode: direct (a "
            "receiver's rate limit is spark.streaming.receiver.maxRate); source 's' has mode: "
            "receiver");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kafka, topic: e, rate: 10/s, group: g}")),
            "t.yaml:2:49: 'group' is for kafka sources with mode: receiver (the direct stream has "
            "no group); source 's' has mode: direct");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kafka, mode: direct, topic: e, rate: 10/s, "
                               "auto_commit_interval: 1s}")),
            "t.yaml:2:78: 'auto_commit_interval' is for kafka sources with mode: receiver (the "
            "direct stream commits nothing); source 's' has mode: direct");
}

TEST(ReceiverSourcesLoaderTest, KafkaReceiverValuesAreChecked) {
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kafka, mode: receiver, topic: e, rate: 10/s, "
                               "auto_commit_interval: 0s}")),
            "t.yaml:2:80: 'auto_commit_interval' must be greater than 0");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kafka, mode: receiver, topic: e, rate: 10/s, "
                               "auto_commit_interval: soon}")),
            "t.yaml:2:80: expected a duration like 1s or 200ms, got 'soon'");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kafka, mode: receiver, topic: e, rate: 10/s, "
                               "group: [a]}")),
            "t.yaml:2:65: expected a string, got a sequence");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kafka, mode: receiver, topic: e, rate: 10/s, "
                               "commit: 1s}")),
            "t.yaml:2:58: unknown key 'commit' in source 's'");
}

TEST(ReceiverSourcesLoaderTest, CustomSpellingAndDefaults) {
  const Scenario scenario = Loaded(
      "sources:\n"
      "  s: {kind: custom, reliable: true, rate: 100/s, generator: {kind: integers, max: 9}}\n"
      "  t: {kind: custom, rate: 2/s}\n"
      "outputs:\n  - {stream: s, print: true}\n  - {stream: t, print: true}\n");
  ASSERT_EQ(scenario.sources.size(), 2u);
  EXPECT_EQ(scenario.sources[0].kind, scenarios::SourceKind::kCustom);
  EXPECT_TRUE(scenario.sources[0].reliable);
  EXPECT_EQ(scenario.sources[0].rate_per_second, 100);
  EXPECT_EQ(scenario.sources[0].generator.kind, "integers");
  EXPECT_EQ(scenario.sources[0].generator.max, 9);
  EXPECT_FALSE(scenario.sources[1].reliable);
  EXPECT_EQ(scenario.sources[1].generator.kind, "log_lines");
}

TEST(ReceiverSourcesLoaderTest, CustomErrors) {
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: custom, reliable: true}")),
            "t.yaml:2:6: missing key 'rate' in source 's'");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: custom, reliable: maybe, rate: 1/s}")),
            "t.yaml:2:31: expected true or false, got 'maybe'");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: custom, rate: 1/s, topic: x}")),
            "t.yaml:2:32: unknown key 'topic' in source 's'");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: custom, rate: 0/s}")),
            "t.yaml:2:27: 'rate' must be greater than 0 and at most 1000000/s, got 0/s");
}

// Runs a scenario for `batches` batches; returns the input records of each batch.
std::vector<int64_t> RunInputs(const std::string& yaml, harness::Simulation** out = nullptr) {
  static std::unique_ptr<harness::Simulation> kept;
  const Scenario scenario = Loaded(yaml);
  engine::OutputListener listener;
  LoadError error;
  auto built = harness::Simulation::Build(scenario, {}, &listener);
  if (!built.ok()) error = built.error();
  kept = built.ok() ? std::move(built.value()) : nullptr;
  EXPECT_NE(kept, nullptr) << error.ToString();
  if (!kept) return {};
  EXPECT_TRUE(kept->Run().ok());
  if (out) *out = kept.get();
  std::vector<int64_t> records;
  for (const auto& batch : kept->context().batches()) records.push_back(batch.input_records);
  return records;
}

TEST(ReceiverSourcesLoaderTest, ABuiltKafkaReceiverRunsTheBrokerZooKeeperAndAReceiver) {
  harness::Simulation* simulation = nullptr;
  const std::vector<int64_t> records = RunInputs(
      "stop: {batches: 3}\n"
      "sources:\n"
      "  s: {kind: kafka, mode: receiver, topic: events, partitions: 2, rate: 100/s,\n"
      "      start: earliest, auto_commit_interval: 1s}\n"
      "outputs:\n  - {stream: s, print: true}\n",
      &simulation);
  ASSERT_NE(simulation, nullptr);
  EXPECT_TRUE(simulation->world().FindNode("kafka/events").valid());
  EXPECT_TRUE(simulation->world().FindNode("zookeeper").valid());
  EXPECT_EQ(simulation->context().receiver_tracker().statuses().at(0).name, "s");
  // From the earliest offsets: 79 records stored before batch 1, then 100 a batch.
  EXPECT_EQ(records, (std::vector<int64_t>{79, 100, 100}));
  // Auto-commits at 1 s and 2 s, and the shutdown commit of the graceful stop.
  EXPECT_EQ(simulation->externals().zookeeper->commits(), 3);
}

TEST(ReceiverSourcesLoaderTest, TheReceiverWalMakesTheKafkaReceiverReliable) {
  harness::Simulation* simulation = nullptr;
  RunInputs(
      "stop: {batches: 2}\n"
      "streaming: {checkpoint: {dir: cp}, write_ahead_log: true}\n"
      "sources:\n"
      "  s: {kind: kafka, mode: receiver, topic: events, rate: 100/s}\n"
      "outputs:\n  - {stream: s, print: true}\n",
      &simulation);
  ASSERT_NE(simulation, nullptr);
  EXPECT_TRUE(simulation->context().receiver_sources().at(0)->reliable());
}

TEST(ReceiverSourcesLoaderTest, ABuiltCustomSourceRunsItsDevice) {
  harness::Simulation* simulation = nullptr;
  const std::vector<int64_t> records = RunInputs(
      "stop: {batches: 3}\n"
      "sources:\n"
      "  s: {kind: custom, reliable: true, rate: 100/s}\n"
      "outputs:\n  - {stream: s, print: true}\n",
      &simulation);
  ASSERT_NE(simulation, nullptr);
  EXPECT_TRUE(simulation->world().FindNode("custom/s").valid());
  EXPECT_TRUE(simulation->context().receiver_sources().at(0)->reliable());
  EXPECT_EQ(records, (std::vector<int64_t>{79, 100, 100}));
}

}  // namespace
}  // namespace streamsim::scenarios
