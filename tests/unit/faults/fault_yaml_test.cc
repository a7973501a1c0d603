// Tests faults/fault: every kind written as words and as the YAML a scenario would hold.
#include <gtest/gtest.h>

#include "faults/fault.h"

namespace streamsim::faults {
namespace {

using sim::Duration;

Fault Windowed(Fault::Kind kind, int64_t at_s, int64_t for_ms) {
  Fault fault;
  fault.kind = kind;
  fault.at = Duration::Seconds(at_s);
  fault.length = Duration::Millis(for_ms);
  return fault;
}

TEST(FaultTest, CrashTargetsParse) {
  const Fault worker = CrashFault("worker/3", Duration::Seconds(10), Duration::Seconds(5));
  EXPECT_EQ(worker.kind, Fault::Kind::kCrashWorker);
  EXPECT_EQ(worker.worker, 3);
  const Fault executor = CrashFault("executor/0", Duration::Seconds(1), std::nullopt);
  EXPECT_EQ(executor.kind, Fault::Kind::kCrashExecutor);
  EXPECT_EQ(executor.restart_after, Duration::Seconds(1));  // the worker relaunches it
  const Fault receiver = CrashFault("receiver/lines", Duration::Seconds(1), std::nullopt);
  EXPECT_EQ(receiver.kind, Fault::Kind::kCrashReceiver);
  EXPECT_EQ(receiver.target, "lines");
  EXPECT_EQ(CrashFault("driver", Duration{}, std::nullopt).kind, Fault::Kind::kCrashDriver);
}

TEST(FaultTest, CrashesAsWordsAndYaml) {
  const Fault fault = CrashFault("worker/1", Duration::Millis(12345), Duration::Seconds(5));
  EXPECT_EQ(Describe(fault), "crash worker/1 at 12.345s, restart after 5s");
  EXPECT_EQ(ToYaml(fault), "{at: 12.345s, crash: worker/1, restart_after: 5s}");
  EXPECT_EQ(ToYaml(CrashFault("receiver/lines", Duration::Seconds(20), std::nullopt)),
            "{at: 20s, crash: receiver/lines}");
}

TEST(FaultTest, WindowedFaultsAsWordsAndYaml) {
  Fault pause = Windowed(Fault::Kind::kPause, 50, 2000);
  pause.target = "worker/0";
  EXPECT_EQ(Describe(pause), "pause worker/0 at 50s for 2s");
  EXPECT_EQ(ToYaml(pause), "{at: 50s, pause: worker/0, for: 2s}");

  Fault partition = Windowed(Fault::Kind::kPartition, 60, 5000);
  partition.sides = {{"driver"}, {"worker/1", "worker/2"}};
  EXPECT_EQ(ToYaml(partition), "{at: 60s, partition: [[driver], [worker/1, worker/2]], for: 5s}");

  Fault network = Windowed(Fault::Kind::kNetwork, 70, 10000);
  network.loss = 0.15;
  network.extra_latency = Duration::Millis(50);
  EXPECT_EQ(ToYaml(network), "{at: 70s, network: {loss: 0.15, extra_latency: 50ms}, for: 10s}");
  EXPECT_EQ(Describe(network), "network {loss: 0.15, extra_latency: 50ms} at 70s for 10s");

  Fault slow = Windowed(Fault::Kind::kStorage, 80, 5000);
  slow.storage = Fault::StorageMode::kSlow;
  slow.extra_latency = Duration::Millis(200);
  EXPECT_EQ(ToYaml(slow), "{at: 80s, storage: slow, extra_latency: 200ms, for: 5s}");
  EXPECT_EQ(Describe(slow), "storage slow (+200ms per write) at 80s for 5s");
  Fault torn = Windowed(Fault::Kind::kStorage, 81, 1500);
  torn.storage = Fault::StorageMode::kTornWrites;
  EXPECT_EQ(ToYaml(torn), "{at: 81s, storage: torn_writes, for: 1.5s}");

  Fault down = Windowed(Fault::Kind::kDown, 90, 10000);
  down.target = "kafka/events";
  EXPECT_EQ(Describe(down), "kafka/events down at 90s for 10s");
  EXPECT_EQ(ToYaml(down), "{at: 90s, down: kafka/events, for: 10s}");
}

TEST(FaultTest, StorageModeNamesRoundTrip) {
  for (Fault::StorageMode mode : {Fault::StorageMode::kRefuseWrites, Fault::StorageMode::kSlow,
                                  Fault::StorageMode::kTornWrites}) {
    Fault::StorageMode parsed = Fault::StorageMode::kRefuseWrites;
    ASSERT_TRUE(StorageModeFromName(StorageModeName(mode), &parsed));
    EXPECT_EQ(parsed, mode);
  }
  Fault::StorageMode unused;
  EXPECT_FALSE(StorageModeFromName("refuse", &unused));
}

}  // namespace
}  // namespace streamsim::faults
