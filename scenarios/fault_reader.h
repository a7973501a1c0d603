// Reading the `faults:` list: the faults a run injects and when. This version knows one kind,
// the driver crash ({at: 45s, crash: driver, restart_after: 5s}); the executor, receiver, network
// and storage faults come later as more `crash` targets and keys. Internal to the loader.
#pragma once

#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// Reads the sequence of faults and returns them sorted by `at` (faults at the same time keep
// their file order). Throws LoadFailure on an unknown key, a missing `at` or `crash`, an unknown
// crash target ("unknown crash target 'x'; this version supports: driver") or a `restart_after`
// that is not greater than 0.
std::vector<FaultSpec> ReadFaults(const YamlContext& context, const YamlField& faults);

}  // namespace streamsim::scenarios
