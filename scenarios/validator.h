// Checks on what a scenario's parts say about each other, once each part is well formed: names
// that must exist (a stream's `from`, the other stream of a union or join, an output's stream),
// names that must be unique (sources and streams share one namespace; collect names), no cycles
// among streams, stateSnapshots right after mapWithState, slides that fit (slide_validator.h), at
// least one output, and checkpointing for the streams that need it (checkpoint_validator.h). It
// works on the model alone, so scenarios built in code (property tests, the shrinker) are checked
// the same way as loaded ones.
#pragma once

#include "scenarios/load_error.h"
#include "scenarios/scenario.h"

namespace streamsim::scenarios {

// Returns true when the scenario is consistent; otherwise false with the first problem, in this
// order: duplicate names, references to nothing, cycles, stateSnapshots, slides and windows,
// outputs, checkpoints (Spark checks windows when a stream is made, outputs and checkpoints when
// the context starts).
bool ValidateScenario(const Scenario& scenario, LoadError* error);

}  // namespace streamsim::scenarios
