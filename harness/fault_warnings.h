// Faults that never fire, as warnings of the run: a fault scheduled after the run ended, and a
// kind a random schedule may draw that has nothing to hit in this scenario (a receiver crash
// without a receiver-based source). A fault that silently does nothing would read as a run that
// survived it.
#pragma once

#include <string>
#include <vector>

#include "faults/fault.h"
#include "scenarios/scenario.h"
#include "simulator/time.h"

namespace streamsim::harness {

// REQUIRES: `schedule` is the run's schedule (the scenario's list or its random one drawn) and
// `end` when the run ended.
std::vector<std::string> FaultWarnings(const scenarios::Scenario& scenario,
                                       const std::vector<faults::Fault>& schedule,
                                       sim::Instant end);

}  // namespace streamsim::harness
