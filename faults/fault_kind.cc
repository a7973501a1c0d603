// The fault kinds' names and the kind of a concrete fault (faults/fault_kind.h).
#include "faults/fault_kind.h"

#include <array>
#include <utility>

namespace streamsim::faults {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 11> kNames = {{
    {FaultKind::kDriverCrash, "driver_crash"},
    {FaultKind::kWorkerCrash, "worker_crash"},
    {FaultKind::kExecutorCrash, "executor_crash"},
    {FaultKind::kReceiverCrash, "receiver_crash"},
    {FaultKind::kPause, "pause"},
    {FaultKind::kPartition, "partition"},
    {FaultKind::kNetwork, "network"},
    {FaultKind::kRefuseWrites, "refuse_writes"},
    {FaultKind::kSlowStorage, "slow_storage"},
    {FaultKind::kTornWrites, "torn_writes"},
    {FaultKind::kExternalDown, "external_down"},
}};

FaultKind StorageKindOf(Fault::StorageMode mode) {
  switch (mode) {
    case Fault::StorageMode::kRefuseWrites:
      return FaultKind::kRefuseWrites;
    case Fault::StorageMode::kSlow:
      return FaultKind::kSlowStorage;
    case Fault::StorageMode::kTornWrites:
      return FaultKind::kTornWrites;
  }
  return FaultKind::kRefuseWrites;
}

}  // namespace

const std::vector<FaultKind>& AllFaultKinds() {
  static const std::vector<FaultKind> kinds = [] {
    std::vector<FaultKind> all;
    for (const auto& [kind, name] : kNames) all.push_back(kind);
    return all;
  }();
  return kinds;
}

std::string_view FaultKindName(FaultKind kind) {
  for (const auto& [known, name] : kNames) {
    if (known == kind) return name;
  }
  return "unknown";
}

std::optional<FaultKind> FaultKindFromName(std::string_view name) {
  for (const auto& [kind, known] : kNames) {
    if (known == name) return kind;
  }
  return std::nullopt;
}

FaultKind KindOf(const Fault& fault) {
  switch (fault.kind) {
    case Fault::Kind::kCrashDriver:
      return FaultKind::kDriverCrash;
    case Fault::Kind::kCrashWorker:
      return FaultKind::kWorkerCrash;
    case Fault::Kind::kCrashExecutor:
      return FaultKind::kExecutorCrash;
    case Fault::Kind::kCrashReceiver:
      return FaultKind::kReceiverCrash;
    case Fault::Kind::kPause:
      return FaultKind::kPause;
    case Fault::Kind::kPartition:
      return FaultKind::kPartition;
    case Fault::Kind::kNetwork:
      return FaultKind::kNetwork;
    case Fault::Kind::kStorage:
      return StorageKindOf(fault.storage);
    case Fault::Kind::kDown:
      return FaultKind::kExternalDown;
  }
  return FaultKind::kDriverCrash;
}

}  // namespace streamsim::faults
