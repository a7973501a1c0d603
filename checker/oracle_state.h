// The oracle's state operators: updateStateByKey and mapWithState, whose state is a plain ordered
// map carried from one batch to the next, and stateSnapshots, which reads mapWithState's state.
#pragma once

#include <string>

#include "checker/oracle_series.h"
#include "checker/pipeline.h"

namespace streamsim::checker::oracle {

bool IsStateOperator(const std::string& name);

// `op` applied to the whole of `parent`. mapWithState's result carries its snapshots for a
// following stateSnapshots; stateSnapshots returns them.
// REQUIRES: IsStateOperator(op.name); for stateSnapshots, `parent` came straight from
// mapWithState. Aborts otherwise.
Series ApplyStateOperator(const OperatorModel& op, const Series& parent, const Timeline& timeline);

}  // namespace streamsim::checker::oracle
