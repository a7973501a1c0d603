// Slides: how often each stream makes an RDD, worked out through the graph as Spark's DStreams
// do. A source's slide is the batch interval; a window operator sets its own slide (the parent's
// when it gives none); every other operator keeps the slide of the chain before it. Checked here:
// a window's length and slide must be multiples of the slide before it, and streams combined by
// union, the joins, cogroup or transformWith must have the same slide — with Spark's messages.
// Part of the validator (validator.h), on the model alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenarios/load_error.h"
#include "scenarios/scenario.h"
#include "simulator/time.h"

namespace streamsim::scenarios {

// An operator whose stream Spark checkpoints (its `mustCheckpoint`): updateStateByKey,
// mapWithState, reduceByKeyAndWindow and reduceByWindow with an inverse function, countByWindow
// and countByValueAndWindow.
struct CheckpointedOperator {
  const StreamSpec* stream;
  const OperatorSpec* op;
  sim::Duration slide;  // of the stream the operator makes
};

// Whether Spark checkpoints the stream `op` makes (see CheckpointedOperator).
bool MustCheckpoint(const OperatorSpec& op);

// A duration as Spark's Duration.toString writes it: "3000 ms". Spark's durations are whole
// milliseconds; a finer one keeps its fraction ("1.5 ms") rather than print a misleading value.
std::string SparkDurationText(sim::Duration duration);

// Works out every stream's slide. Returns the first error (streams in file order, operators in
// chain order; a stream's inputs are worked out before it), or nullopt with `*checkpointed`
// holding the operators that must checkpoint, streams in file order.
// REQUIRES: every name a stream uses exists and the streams have no cycle (the validator checks
// both first); checkpointed is not null.
std::optional<LoadError> CheckSlides(const Scenario& scenario,
                                     std::vector<CheckpointedOperator>* checkpointed);

}  // namespace streamsim::scenarios
