// Tests faults/random_faults: the nemesis draws a reproducible schedule from its generator, only
// of the allowed kinds, inside [start, until), never hitting a target that is still down, and
// with values that survive being written as YAML.
#include "faults/random_faults.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace streamsim::faults {
namespace {

using sim::Duration;

std::vector<FaultKind> AllKinds() { return AllFaultKinds(); }

FaultTargets Targets() {
  FaultTargets targets;
  targets.workers = 3;
  targets.receivers = {"lines", "events"};
  targets.external = {"kafka/events"};
  return targets;
}

std::vector<std::string> Yaml(const std::vector<Fault>& faults) {
  std::vector<std::string> lines;
  for (const Fault& fault : faults) lines.push_back(ToYaml(fault));
  return lines;
}

TEST(RandomFaultsTest, OneSeedOneSchedule) {
  RandomFaults spec;
  spec.kinds = AllKinds();
  spec.mean_interval = Duration::Seconds(10);
  sim::Prng first = sim::Prng(42).Child("faults/random");
  sim::Prng second = sim::Prng(42).Child("faults/random");
  sim::Prng other = sim::Prng(43).Child("faults/random");
  const auto a = Yaml(ExpandRandomFaults(spec, Targets(), Duration::Seconds(600), first));
  const auto b = Yaml(ExpandRandomFaults(spec, Targets(), Duration::Seconds(600), second));
  const auto c = Yaml(ExpandRandomFaults(spec, Targets(), Duration::Seconds(600), other));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // About 600 s / 10 s = 60 draws, minus those that hit a busy target.
  EXPECT_GT(a.size(), 30u);
  EXPECT_LE(a.size(), 90u);
}

TEST(RandomFaultsTest, PinnedScheduleForSeedSeven) {
  RandomFaults spec;
  spec.kinds = {FaultKind::kWorkerCrash, FaultKind::kPause, FaultKind::kNetwork};
  spec.mean_interval = Duration::Seconds(20);
  spec.start = Duration::Seconds(5);
  sim::Prng random = sim::Prng(7).Child("faults/random");
  EXPECT_EQ(Yaml(ExpandRandomFaults(spec, Targets(), Duration::Seconds(100), random)),
            (std::vector<std::string>{
                "{at: 42.29s, pause: worker/1, for: 2.233s}",
                "{at: 59.247s, network: {loss: 0.05, extra_latency: 180ms}, for: 8.91s}",
                "{at: 94.369s, crash: worker/1, restart_after: 8.609s}",
                "{at: 99.07s, crash: worker/0, restart_after: 2.309s}"}));
}

TEST(RandomFaultsTest, OnlyAllowedKindsInsideTheWindow) {
  RandomFaults spec;
  spec.kinds = {FaultKind::kPause, FaultKind::kReceiverCrash};
  spec.mean_interval = Duration::Seconds(3);
  spec.start = Duration::Seconds(30);
  spec.until = Duration::Seconds(200);
  sim::Prng random = sim::Prng(5).Child("faults/random");
  const std::vector<Fault> faults =
      ExpandRandomFaults(spec, Targets(), Duration::Seconds(1000), random);
  ASSERT_FALSE(faults.empty());
  std::set<Fault::Kind> kinds;
  for (const Fault& fault : faults) {
    kinds.insert(fault.kind);
    EXPECT_GT(fault.at, Duration::Seconds(30));
    EXPECT_LT(fault.at, Duration::Seconds(200));
    EXPECT_EQ(fault.at.us % 1000, 0) << "millisecond granularity";
  }
  EXPECT_EQ(kinds, (std::set<Fault::Kind>{Fault::Kind::kPause, Fault::Kind::kCrashReceiver}));
}

TEST(RandomFaultsTest, ATargetIsNotHitAgainWhileItIsDown) {
  RandomFaults spec;
  spec.kinds = {FaultKind::kWorkerCrash};
  spec.mean_interval = Duration::Millis(500);
  spec.restart_after = Duration::Seconds(4);
  FaultTargets targets;
  targets.workers = 2;
  sim::Prng random = sim::Prng(11).Child("faults/random");
  const std::vector<Fault> faults =
      ExpandRandomFaults(spec, targets, Duration::Seconds(120), random);
  std::map<int, Duration> back_at;
  for (const Fault& fault : faults) {
    auto it = back_at.find(fault.worker);
    if (it != back_at.end()) {
      EXPECT_GE(fault.at, it->second) << ToYaml(fault);
    }
    back_at[fault.worker] = fault.at + *fault.restart_after;
    EXPECT_EQ(fault.restart_after, Duration::Seconds(4));
  }
  // Two workers each down 4 s at a time: at most 60 crashes fit in 120 s.
  EXPECT_LE(faults.size(), 60u);
  EXPECT_GE(faults.size(), 40u);
}

TEST(RandomFaultsTest, KindsWithoutTargetsAreNeverDrawn) {
  RandomFaults spec;
  spec.kinds = {FaultKind::kReceiverCrash, FaultKind::kExternalDown};
  spec.mean_interval = Duration::Seconds(1);
  FaultTargets targets;
  targets.workers = 2;
  sim::Prng random = sim::Prng(3).Child("faults/random");
  EXPECT_TRUE(ExpandRandomFaults(spec, targets, Duration::Seconds(60), random).empty());
}

TEST(RandomFaultsTest, DrawnValuesStayInTheirRanges) {
  RandomFaults spec;
  spec.kinds = {FaultKind::kNetwork, FaultKind::kSlowStorage, FaultKind::kDriverCrash,
                FaultKind::kPartition};
  spec.mean_interval = Duration::Seconds(2);
  sim::Prng random = sim::Prng(9).Child("faults/random");
  for (const Fault& fault : ExpandRandomFaults(spec, Targets(), Duration::Seconds(300), random)) {
    switch (fault.kind) {
      case Fault::Kind::kNetwork:
        EXPECT_GE(fault.loss, 0.05);
        EXPECT_LE(fault.loss, 0.3);
        EXPECT_GE(fault.extra_latency, Duration::Millis(10));
        EXPECT_LE(fault.extra_latency, Duration::Millis(200));
        break;
      case Fault::Kind::kStorage:
        EXPECT_EQ(fault.storage, Fault::StorageMode::kSlow);
        EXPECT_GE(fault.extra_latency, Duration::Millis(50));
        EXPECT_LE(fault.extra_latency, Duration::Millis(500));
        break;
      case Fault::Kind::kPartition:
        ASSERT_EQ(fault.sides.size(), 2u);
        EXPECT_EQ(fault.sides[0].size(), 1u);
        EXPECT_EQ(fault.sides[1].size(), 3u);  // the driver and the two other workers
        EXPECT_EQ(fault.sides[1][0], "driver");
        break;
      default:
        EXPECT_EQ(fault.kind, Fault::Kind::kCrashDriver);
        EXPECT_GE(*fault.restart_after, Duration::Seconds(1));
        EXPECT_LE(*fault.restart_after, Duration::Seconds(10));
    }
    if (fault.kind != Fault::Kind::kCrashDriver) {
      EXPECT_GE(fault.length, Duration::Seconds(1));
      EXPECT_LE(fault.length, Duration::Seconds(10));
    }
  }
}

}  // namespace
}  // namespace streamsim::faults
