// The oracle's state operators: updateStateByKey and mapWithState, whose state is a plain ordered
// map carried from one batch to the next, and stateSnapshots, which reads mapWithState's state.
#pragma once

#include <optional>
#include <string>

#include "checker/oracle_node.h"
#include "checker/pipeline.h"
#include "simulator/time.h"

namespace streamsim::checker::oracle {

bool IsStateOperator(const std::string& name);

// Adds the node computing `op` over `parent` to `dataflow`; returns it. mapWithState's node keeps
// its latest state for a following stateSnapshots, whose node reads it. `checkpoint_interval` is
// the pipeline's (mapWithState scans for timeouts at its multiples after the zero time; absent:
// every 10 slides).
// REQUIRES: IsStateOperator(op.name); for stateSnapshots, `parent` is mapWithState's node.
// Aborts otherwise.
Node* AddStateOperator(const OperatorModel& op, Node* parent,
                       const std::optional<sim::Duration>& checkpoint_interval, Dataflow* dataflow);

}  // namespace streamsim::checker::oracle
