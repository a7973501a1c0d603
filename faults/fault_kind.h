// The kinds of fault, as one vocabulary for the loader (a random schedule's `kinds:`), the
// nemesis that draws them (faults/random_faults.h), the guarantee calculator that predicts under
// each (checker/guarantee_calculator.h) and the checker's findings. Parsed from their scenario
// names once, in the loader; compared as values everywhere else.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "faults/fault.h"

namespace streamsim::faults {

enum class FaultKind {
  kDriverCrash,
  kWorkerCrash,
  kExecutorCrash,
  kReceiverCrash,
  kPause,
  kPartition,
  kNetwork,
  kRefuseWrites,
  kSlowStorage,
  kTornWrites,
  kExternalDown,
};

// Every kind, in the order above (the order predictions and documentation list them).
const std::vector<FaultKind>& AllFaultKinds();
// The scenario name: "driver_crash", "worker_crash", "executor_crash", "receiver_crash", "pause",
// "partition", "network", "refuse_writes", "slow_storage", "torn_writes", "external_down".
std::string_view FaultKindName(FaultKind kind);
// The kind a scenario name spells, if any.
std::optional<FaultKind> FaultKindFromName(std::string_view name);
// The kind of a concrete fault.
FaultKind KindOf(const Fault& fault);

}  // namespace streamsim::faults
