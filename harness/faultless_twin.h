// `streamsim run --compare-faultless`: the run's faults-off twin — the same scenario, seed and
// stop, with no faults — and where the two runs' sinks differ (checker/faultless_comparison.h).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "checker/faultless_comparison.h"
#include "harness/simulation.h"
#include "scenarios/scenario.h"

namespace streamsim::harness {

// The scenario without its fault list and random schedule.
scenarios::Scenario WithoutFaults(const scenarios::Scenario& scenario);

// Runs the twin of `simulation` (built from `scenario` with `options`, and run) and compares the
// sinks. The twin's SQLite sink file is `twin_sink_database_path` (needed when the scenario has
// sink outputs). Errors: the twin cannot be built or started, or a sink file cannot be read.
Result<std::vector<checker::SinkDifference>> CompareWithFaultlessTwin(
    const scenarios::Scenario& scenario, const RunOptions& options, Simulation& simulation,
    const std::string& twin_sink_database_path);

}  // namespace streamsim::harness
