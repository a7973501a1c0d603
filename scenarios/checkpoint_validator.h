// Checkpoint checks, as Spark's DStream.validateAtStart makes them when the context starts: a
// stream that must checkpoint needs the checkpoint directory, and a configured data-checkpoint
// interval must be at least, and a multiple of, each such stream's slide. Part of the validator
// (validator.h), on the model alone.
#pragma once

#include <optional>
#include <vector>

#include "scenarios/load_error.h"
#include "scenarios/scenario.h"
#include "scenarios/slide_validator.h"

namespace streamsim::scenarios {

// Returns the first problem, or nullopt: "The checkpoint directory has not been set. ..." at the
// first operator of `checkpointed` when `streaming` has no checkpoint directory; otherwise, when
// an interval is set, the first operator whose slide it is lower than or not a multiple of,
// reported at the interval with Spark's wording.
std::optional<LoadError> CheckCheckpoints(const StreamingSpec& streaming,
                                          const std::vector<CheckpointedOperator>& checkpointed);

}  // namespace streamsim::scenarios
