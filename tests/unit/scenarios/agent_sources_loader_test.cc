// Tests of the flume and kinesis sources in scenarios (scenarios/agent_source_reader.cc,
// harness/source_factory.cc): the spelling loaded into exact model values, the defaults, every
// error with its exact "file:line:col: message", and built scenarios running their external
// systems ("flume/<name>", "kinesis/<name>"), also when a fault takes one down.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/connectors/flume_polling_source.h"
#include "engine/connectors/kinesis_source.h"
#include "externals/flume_agent.h"
#include "externals/kinesis_stream.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"
#include "tests/unit/scenarios/loader_test_support.h"

namespace streamsim::scenarios {
namespace {

using testing::ErrorOf;
using testing::Loaded;
using testing::WithSource;

TEST(AgentSourcesLoaderTest, FlumePullFullSpelling) {
  const SourceSpec source =
      Loaded(WithSource("  s: {kind: flume, mode: pull, rate: 500/s, channel_capacity: 2000,\n"
                        "      max_batch_size: 250, transaction_timeout: 10s,\n"
                        "      generator: {kind: words}}"))
          .sources.at(0);
  EXPECT_EQ(source.kind, scenarios::SourceKind::kFlume);
  EXPECT_EQ(source.mode, scenarios::SourceMode::kPull);
  EXPECT_EQ(source.rate_per_second, 500);
  EXPECT_EQ(source.channel_capacity, 2000);
  EXPECT_EQ(source.max_batch_size, 250);
  EXPECT_EQ(source.transaction_timeout, sim::Duration::Seconds(10));
  EXPECT_EQ(source.generator.kind, "words");
}

TEST(AgentSourcesLoaderTest, FlumeDefaults) {
  const SourceSpec source =
      Loaded(WithSource("  s: {kind: flume, mode: push, rate: 10/s}")).sources.at(0);
  EXPECT_EQ(source.mode, scenarios::SourceMode::kPush);
  EXPECT_EQ(source.channel_capacity, 1000000);
  EXPECT_EQ(source.max_batch_size, 1000);
  EXPECT_EQ(source.transaction_timeout, sim::Duration::Seconds(15));
  EXPECT_EQ(source.generator.kind, "log_lines");
}

TEST(AgentSourcesLoaderTest, FlumeErrors) {
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: flume, rate: 10/s}")),
            "t.yaml:2:6: missing key 'mode' in source 's'");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: flume, mode: pul, rate: 10/s}")),
            "t.yaml:2:26: unknown flume mode 'pul'; expected one of push, pull; did you mean "
            "'pull'?");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: flume, mode: push, rate: 10/s, max_batch_size: 5}")),
            "t.yaml:2:60: 'max_batch_size' is for flume sources with mode: pull (SparkSink's "
            "setting); source 's' has mode: push");
  EXPECT_EQ(
      ErrorOf(WithSource("  s: {kind: flume, mode: push, rate: 10/s, transaction_timeout: 5s}")),
      "t.yaml:2:65: 'transaction_timeout' is for flume sources with mode: pull (SparkSink's "
      "setting); source 's' has mode: push");
  EXPECT_EQ(
      ErrorOf(WithSource("  s: {kind: flume, mode: pull, rate: 10/s, transaction_timeout: 0s}")),
      "t.yaml:2:65: 'transaction_timeout' must be greater than 0");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: flume, mode: pull, rate: 10/s, max_batch_size: 0}")),
            "t.yaml:2:60: 'max_batch_size' must be between 1 and 1000000, got 0");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: flume, mode: push, rate: 10/s, channel_capacity: -1}")),
            "t.yaml:2:62: 'channel_capacity' must be between 1 and 100000000, got -1");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: flume, mode: push, rate: 10/s, shards: 2}")),
            "t.yaml:2:44: unknown key 'shards' in source 's'");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: flume, mode: push}")),
            "t.yaml:2:6: missing key 'rate' in source 's'");
}

TEST(AgentSourcesLoaderTest, KinesisFullSpellingAndDefaults) {
  const Scenario scenario = Loaded(
      "sources:\n"
      "  s: {kind: kinesis, shards: 4, rate: 500/s, checkpoint_interval: 3s,\n"
      "      initial_position: trim_horizon}\n"
      "  t: {kind: kinesis, rate: 1/s}\n"
      "outputs:\n  - {stream: s, print: true}\n  - {stream: t, print: true}\n");
  ASSERT_EQ(scenario.sources.size(), 2u);
  const SourceSpec& s = scenario.sources[0];
  EXPECT_EQ(s.kind, scenarios::SourceKind::kKinesis);
  EXPECT_EQ(s.shards, 4);
  EXPECT_EQ(s.rate_per_second, 500);
  EXPECT_EQ(s.kinesis_checkpoint_interval, sim::Duration::Seconds(3));
  EXPECT_EQ(s.initial_position, "trim_horizon");
  const SourceSpec& t = scenario.sources[1];
  EXPECT_EQ(t.shards, 1);
  EXPECT_EQ(t.kinesis_checkpoint_interval, std::nullopt);  // the batch interval, at build time
  EXPECT_EQ(t.initial_position, "latest");
}

TEST(AgentSourcesLoaderTest, KinesisErrors) {
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kinesis, shards: 0, rate: 1/s}")),
            "t.yaml:2:30: 'shards' must be between 1 and 10000, got 0");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kinesis, rate: 1/s, initial_position: earliest}")),
            "t.yaml:2:51: unknown initial position 'earliest'; expected one of latest, "
            "trim_horizon");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kinesis, rate: 1/s, checkpoint_interval: 0s}")),
            "t.yaml:2:54: 'checkpoint_interval' must be greater than 0");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kinesis, rate: 1/s, mode: pull}")),
            "t.yaml:2:33: unknown key 'mode' in source 's'");
  EXPECT_EQ(ErrorOf(WithSource("  s: {kind: kinesis, shards: 2}")),
            "t.yaml:2:6: missing key 'rate' in source 's'");
}

// Builds and runs a scenario; returns the input records of each batch.
std::vector<int64_t> RunInputs(const std::string& yaml,
                               std::unique_ptr<harness::Simulation>* kept) {
  const Scenario scenario = Loaded(yaml);
  static engine::OutputListener listener;
  LoadError error;
  auto built = harness::Simulation::Build(scenario, {}, &listener);
  if (!built.ok()) error = built.error();
  *kept = built.ok() ? std::move(built.value()) : nullptr;
  EXPECT_NE(*kept, nullptr) << error.ToString();
  if (!*kept) return {};
  EXPECT_TRUE((*kept)->Run().ok());
  std::vector<int64_t> records;
  for (const auto& batch : (*kept)->context().batches()) records.push_back(batch.input_records);
  return records;
}

TEST(AgentSourcesLoaderTest, ABuiltFlumePullSourceRunsItsAgentAndAReliableReceiver) {
  std::unique_ptr<harness::Simulation> simulation;
  const std::vector<int64_t> records = RunInputs(
      "stop: {batches: 3}\n"
      "sources:\n"
      "  s: {kind: flume, mode: pull, rate: 100/s}\n"
      "outputs:\n  - {stream: s, print: true}\n",
      &simulation);
  ASSERT_NE(simulation, nullptr);
  EXPECT_TRUE(simulation->world().FindNode("flume/s").valid());
  EXPECT_TRUE(simulation->context().receiver_sources().at(0)->reliable());
  const auto& source =
      dynamic_cast<const engine::FlumePollingSource&>(*simulation->context().receiver_sources()[0]);
  EXPECT_EQ(source.config().max_batch_size, 1000);
  EXPECT_EQ(simulation->externals().flume_spark_sinks.at(0)->config().transaction_timeout,
            sim::Duration::Seconds(15));
  EXPECT_EQ(simulation->externals().flume_agents.at(0)->config().channel_capacity, 1000000);
  // Polled batches of about 20 events every 200 ms, each acked before the next poll.
  EXPECT_EQ(records, (std::vector<int64_t>{81, 103, 102}));
}

TEST(AgentSourcesLoaderTest, ABuiltFlumePushSourceIsUnreliable) {
  std::unique_ptr<harness::Simulation> simulation;
  const std::vector<int64_t> records = RunInputs(
      "stop: {batches: 3}\n"
      "sources:\n"
      "  s: {kind: flume, mode: push, rate: 100/s}\n"
      "outputs:\n  - {stream: s, print: true}\n",
      &simulation);
  ASSERT_NE(simulation, nullptr);
  EXPECT_TRUE(simulation->world().FindNode("flume/s").valid());
  EXPECT_FALSE(simulation->context().receiver_sources().at(0)->reliable());
  // The Avro sink backs off 1 s on an empty channel: the lump pushed just after 1 s is cut at
  // 1.2 s and lands in batch 2.
  EXPECT_EQ(records, (std::vector<int64_t>{0, 100, 100}));
}

TEST(AgentSourcesLoaderTest, ABuiltKinesisSourceCheckpointsEveryBatchIntervalByDefault) {
  std::unique_ptr<harness::Simulation> simulation;
  const std::vector<int64_t> records = RunInputs(
      "stop: {batches: 3}\n"
      "streaming: {batch_interval: 2s}\n"
      "sources:\n"
      "  s: {kind: kinesis, shards: 2, rate: 100/s}\n"
      "outputs:\n  - {stream: s, print: true}\n",
      &simulation);
  ASSERT_NE(simulation, nullptr);
  EXPECT_TRUE(simulation->world().FindNode("kinesis/s").valid());
  EXPECT_TRUE(simulation->context().receiver_sources().at(0)->reliable());
  const auto& source =
      dynamic_cast<const engine::KinesisSource&>(*simulation->context().receiver_sources()[0]);
  EXPECT_EQ(source.config().checkpoint_interval, sim::Duration::Seconds(2));
  EXPECT_EQ(source.config().application, "s");
  EXPECT_TRUE(source.config().initial_position_latest);
  EXPECT_EQ(simulation->externals().kinesis_streams.at(0)->shards(), 2);
  // Both shards start at LATEST (nothing put yet) and are read every second: batch 1 (2 s) holds
  // the read of 1 s, batches 2 and 3 two reads each.
  EXPECT_EQ(records, (std::vector<int64_t>{100, 200, 200}));
}

TEST(AgentSourcesLoaderTest, AFaultTakesTheFlumeAgentDownAndItsChannelSurvives) {
  std::unique_ptr<harness::Simulation> simulation;
  const std::vector<int64_t> records = RunInputs(
      "stop: {batches: 4}\n"
      "sources:\n"
      "  s: {kind: flume, mode: pull, rate: 100/s}\n"
      "faults: [{at: 1500ms, down: flume/s, for: 1s}]\n"
      "outputs:\n  - {stream: s, print: true}\n",
      &simulation);
  ASSERT_NE(simulation, nullptr);
  // The agent crashes at 1.5 s with events 143-148 in its file channel; events 149-249 fall due
  // while it is down and are never produced. The poller notices the broken connection at 2.43 s,
  // finds the agent back at 3.43 s and gets the 6 kept events with 250-383: batch 4. Every
  // produced event was committed.
  const externals::FlumeAgent& agent = *simulation->externals().flume_agents.at(0);
  EXPECT_EQ(agent.events_not_produced(), 101);
  EXPECT_EQ(agent.events_committed(), 283);
  EXPECT_EQ(records, (std::vector<int64_t>{81, 62, 0, 140}));
}

}  // namespace
}  // namespace streamsim::scenarios
