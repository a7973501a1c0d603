// Faults that never fire (harness/fault_warnings.h).
#include "harness/fault_warnings.h"

#include <fmt/format.h>

#include "faults/fault_kind.h"
#include "scenarios/fault_targets.h"

namespace streamsim::harness {
namespace {

// Why a random schedule can never draw `kind` in this scenario; empty when it can.
std::string NothingToHit(const scenarios::Scenario& scenario, faults::FaultKind kind) {
  if (kind == faults::FaultKind::kReceiverCrash && scenarios::ReceiverNames(scenario).empty()) {
    return "the scenario has no receiver-based source";
  }
  if (kind == faults::FaultKind::kExternalDown && scenarios::RandomDownTargets(scenario).empty()) {
    return "the scenario has no external system (Kafka, Flume, Kinesis or a custom device)";
  }
  return "";
}

}  // namespace

std::vector<std::string> FaultWarnings(const scenarios::Scenario& scenario,
                                       const std::vector<faults::Fault>& schedule,
                                       sim::Instant end) {
  std::vector<std::string> warnings;
  if (scenario.random_faults) {
    for (faults::FaultKind kind : scenario.random_faults->random.kinds) {
      const std::string why = NothingToHit(scenario, kind);
      if (why.empty()) continue;
      warnings.push_back(
          fmt::format("random fault kind {} never fires: {}", faults::FaultKindName(kind), why));
    }
  }
  for (const faults::Fault& fault : schedule) {
    if (sim::Instant() + fault.at <= end) continue;
    warnings.push_back(fmt::format("fault '{}' never fired: the run ended at {} ms",
                                   faults::Describe(fault), end.millis()));
  }
  return warnings;
}

}  // namespace streamsim::harness
