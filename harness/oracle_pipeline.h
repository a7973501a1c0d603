// The checker's view of a loaded scenario: its sources and streams as a checker::PipelineModel, the
// plain model the oracle (checker/oracle.h) interprets. Positions are dropped; expressions are
// copied as parsed.
#pragma once

#include "checker/pipeline.h"
#include "scenarios/scenario.h"

namespace streamsim::harness {

// The pipeline of `scenario`: the batch interval, the data-checkpoint interval if set, the source
// names and every stream with its operators, in file order.
checker::PipelineModel OraclePipeline(const scenarios::Scenario& scenario);

}  // namespace streamsim::harness
