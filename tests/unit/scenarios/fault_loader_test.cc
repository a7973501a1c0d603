// Tests the loader's `faults:` section beyond crashes: pauses, partitions, network and storage
// faults, external systems down and random schedules — exact model values and every error with
// its file:line:col.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/loader.h"

namespace streamsim::scenarios {
namespace {

using faults::Fault;
using sim::Duration;

constexpr char kBase[] =
    "cluster: {workers: 2, cores: 2}\n"
    "sources:\n"
    "  lines: {kind: socket, port: 7777, rate: 10/s}\n"
    "  events: {kind: kafka, mode: direct, topic: events, partitions: 2, rate: 10/s}\n"
    "outputs:\n"
    "  - {stream: lines, print: 1}\n"
    "  - {stream: events, print: 1}\n";

std::string ErrorOf(const std::string& faults) {
  const LoadResult<Scenario> loaded = LoadScenarioText(kBase + faults, "t.yaml");
  return loaded.ok() ? "loaded" : loaded.error().ToString();
}

Scenario Loaded(const std::string& faults) {
  LoadResult<Scenario> loaded = LoadScenarioText(kBase + faults, "t.yaml");
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
  return loaded.ok() ? std::move(loaded.value()) : Scenario{};
}

TEST(FaultLoaderTest, EveryKindOfTheIssueLoads) {
  const Scenario scenario = Loaded(
      "faults:\n"
      "  - {at: 90s, down: kafka/events, for: 10s}\n"
      "  - {at: 50s, pause: worker/0, for: 2s}\n"
      "  - {at: 60s, partition: [[driver], [worker/1]], for: 5s}\n"
      "  - {at: 70s, network: {loss: 0.2, extra_latency: 50ms}, for: 10s}\n"
      "  - {at: 80s, storage: refuse_writes, for: 5s}\n"
      "  - {at: 85s, storage: slow, extra_latency: 300ms, for: 5s}\n"
      "  - {at: 86s, storage: torn_writes, for: 1s}\n"
      "  - {at: 10s, crash: worker/1, restart_after: 5s}\n");
  std::vector<std::string> yaml;
  for (const FaultSpec& spec : scenario.faults) yaml.push_back(faults::ToYaml(spec.fault));
  EXPECT_EQ(
      yaml,
      (std::vector<std::string>{
          "{at: 10s, crash: worker/1, restart_after: 5s}", "{at: 50s, pause: worker/0, for: 2s}",
          "{at: 60s, partition: [[driver], [worker/1]], for: 5s}",
          "{at: 70s, network: {loss: 0.2, extra_latency: 50ms}, for: 10s}",
          "{at: 80s, storage: refuse_writes, for: 5s}",
          "{at: 85s, storage: slow, extra_latency: 300ms, for: 5s}",
          "{at: 86s, storage: torn_writes, for: 1s}", "{at: 90s, down: kafka/events, for: 10s}"}));
  EXPECT_EQ(scenario.faults[1].position.line, 10);
  EXPECT_EQ(scenario.faults[3].fault.loss, 0.2);
}

TEST(FaultLoaderTest, OneKindPerEntry) {
  EXPECT_EQ(ErrorOf("faults: [{at: 1s}]\n"),
            "t.yaml:8:10: fault 1 needs one of: crash, pause, partition, network, storage, down");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, crash: driver, pause: worker/0, for: 1s}]\n"),
            "t.yaml:8:34: fault 1 has both 'crash' and 'pause'; give one fault per entry");
}

TEST(FaultLoaderTest, WindowsNeedAPositiveLength) {
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, pause: worker/0}]\n"),
            "t.yaml:8:10: missing key 'for' in fault 1");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, pause: worker/0, for: 0s}]\n"),
            "t.yaml:8:41: 'for' must be greater than 0");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, crash: driver, for: 2s}]\n"),
            "t.yaml:8:34: 'for' is for windowed faults; a crash takes restart_after");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, pause: driver, for: 2s, restart_after: 1s}]\n"),
            "t.yaml:8:43: 'restart_after' is for crashes; a pause fault takes 'for'");
}

TEST(FaultLoaderTest, TargetsAreCheckedAgainstTheScenario) {
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, pause: worker/5, for: 1s}]\n"),
            "t.yaml:8:10: fault pauses worker/5 but the cluster has 2 worker(s), numbered from 0");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, pause: kafka/events, for: 1s}]\n"),
            "t.yaml:8:26: unknown pause target 'kafka/events'; expected driver, worker/N or "
            "executor/N");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, partition: [[driver], [worker/2]], for: 1s}]\n"),
            "t.yaml:8:10: partition: the cluster has 2 worker(s), numbered from 0");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, partition: [[driver], [zookeeper]], for: 1s}]\n"),
            "t.yaml:8:10: partition: no node is named 'zookeeper'; nodes are driver, worker/N and "
            "the sources' systems (kafka/NAME, socket/NAME, flume/NAME, kinesis/NAME, "
            "custom/NAME)");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, partition: [[driver]], for: 1s}]\n"),
            "t.yaml:8:30: a partition needs at least two sides, e.g. [[driver], [worker/1]]");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, down: kafka/orders, for: 1s}]\n"),
            "t.yaml:8:10: fault takes down 'kafka/orders' but no source of the scenario runs "
            "that system");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, down: mysql/x, for: 1s}]\n"),
            "t.yaml:8:25: unknown external system 'mysql/x'; expected kafka/NAME, flume/NAME, "
            "kinesis/NAME or custom/NAME");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, partition: [[socket/lines], [worker/0]], for: 1s}]\n"),
            "loaded");
}

TEST(FaultLoaderTest, NetworkAndStorageValues) {
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, network: {loss: 1.5}, for: 1s}]\n"),
            "t.yaml:8:35: 'loss' must be between 0 and 1, got 1.5");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, network: {}, for: 1s}]\n"),
            "t.yaml:8:28: a network fault needs a loss above 0 or an extra_latency above 0");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, network: {lost: 0.1}, for: 1s}]\n"),
            "t.yaml:8:29: unknown key 'lost' in network fault; did you mean 'loss'?");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, storage: slow, for: 1s}]\n"),
            "t.yaml:8:10: missing key 'extra_latency' in fault 1");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, storage: refuse, for: 1s}]\n"),
            "t.yaml:8:28: unknown storage fault 'refuse'; expected one of refuse_writes, slow, "
            "torn_writes");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, storage: torn_writes, extra_latency: 1s, for: 1s}]\n"),
            "t.yaml:8:41: 'extra_latency' is for storage: slow");
}

TEST(FaultLoaderTest, RandomSchedule) {
  const Scenario scenario = Loaded(
      "faults:\n"
      "  random: {kinds: [worker_crash, pause, network], mean_interval: 20s, start: 10s,\n"
      "           until: 100s, restart_after: 3s, for: 2s}\n");
  ASSERT_TRUE(scenario.random_faults.has_value());
  const faults::RandomFaults& random = scenario.random_faults->random;
  EXPECT_EQ(random.kinds, (std::vector<faults::FaultKind>{faults::FaultKind::kWorkerCrash,
                                                          faults::FaultKind::kPause,
                                                          faults::FaultKind::kNetwork}));
  EXPECT_EQ(random.mean_interval, Duration::Seconds(20));
  EXPECT_EQ(random.start, Duration::Seconds(10));
  EXPECT_EQ(random.until, Duration::Seconds(100));
  EXPECT_EQ(random.restart_after, Duration::Seconds(3));
  EXPECT_EQ(random.length, Duration::Seconds(2));
  EXPECT_TRUE(scenario.faults.empty());
}

TEST(FaultLoaderTest, RandomScheduleErrors) {
  EXPECT_EQ(ErrorOf("faults: {random: {kinds: [crash], mean_interval: 1s}}\n"),
            "t.yaml:8:27: unknown random fault kind 'crash'; expected one of driver_crash, "
            "worker_crash, executor_crash, receiver_crash, pause, partition, network, "
            "refuse_writes, slow_storage, torn_writes, external_down");
  EXPECT_EQ(ErrorOf("faults: {random: {kinds: [pause]}}\n"),
            "t.yaml:8:18: missing key 'mean_interval' in random faults");
  EXPECT_EQ(ErrorOf("faults: {random: {kinds: [], mean_interval: 1s}}\n"),
            "t.yaml:8:26: random faults need at least one kind: driver_crash, worker_crash, "
            "executor_crash, receiver_crash, pause, partition, network, refuse_writes, "
            "slow_storage, torn_writes, external_down");
  EXPECT_EQ(ErrorOf("faults: {random: {kinds: [pause], mean_interval: 0s}}\n"),
            "t.yaml:8:50: 'mean_interval' must be greater than 0");
}

}  // namespace
}  // namespace streamsim::scenarios
