// The fault-kind vocabulary: names parse to kinds and back, and every concrete fault has its kind.
#include "faults/fault_kind.h"

#include <gtest/gtest.h>

namespace streamsim::faults {
namespace {

TEST(FaultKindTest, NamesRoundTripInTheirOrder) {
  const std::vector<std::string_view> names = {"driver_crash",   "worker_crash",  "executor_crash",
                                               "receiver_crash", "pause",         "partition",
                                               "network",        "refuse_writes", "slow_storage",
                                               "torn_writes",    "external_down"};
  ASSERT_EQ(AllFaultKinds().size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(FaultKindName(AllFaultKinds()[i]), names[i]);
    EXPECT_EQ(FaultKindFromName(names[i]), AllFaultKinds()[i]);
  }
  EXPECT_EQ(FaultKindFromName("meteor_strike"), std::nullopt);
  EXPECT_EQ(FaultKindFromName("Pause"), std::nullopt);
}

TEST(FaultKindTest, AConcreteFaultHasTheKindItWasDrawnAs) {
  EXPECT_EQ(KindOf(CrashFault("driver", sim::Duration::Seconds(1), std::nullopt)),
            FaultKind::kDriverCrash);
  EXPECT_EQ(KindOf(CrashFault("worker/1", sim::Duration::Seconds(1), std::nullopt)),
            FaultKind::kWorkerCrash);
  EXPECT_EQ(KindOf(CrashFault("executor/0", sim::Duration::Seconds(1), std::nullopt)),
            FaultKind::kExecutorCrash);
  EXPECT_EQ(KindOf(CrashFault("receiver/lines", sim::Duration::Seconds(1), std::nullopt)),
            FaultKind::kReceiverCrash);
  Fault storage;
  storage.kind = Fault::Kind::kStorage;
  storage.storage = Fault::StorageMode::kSlow;
  EXPECT_EQ(KindOf(storage), FaultKind::kSlowStorage);
  storage.storage = Fault::StorageMode::kTornWrites;
  EXPECT_EQ(KindOf(storage), FaultKind::kTornWrites);
  Fault down;
  down.kind = Fault::Kind::kDown;
  EXPECT_EQ(KindOf(down), FaultKind::kExternalDown);
}

}  // namespace
}  // namespace streamsim::faults
