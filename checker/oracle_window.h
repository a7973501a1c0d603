// The oracle's window operators: window, reduceByWindow, reduceByKeyAndWindow, countByWindow,
// countByValueAndWindow and groupByKeyAndWindow. A window of length w at time t covers the
// parent's batches in (t - w, t]; it has a batch at every multiple of its slide after the zero
// time, early windows covering what exists so far. Each operator becomes a chain of dataflow nodes.
#pragma once

#include <string>

#include "checker/oracle_node.h"
#include "checker/pipeline.h"

namespace streamsim::checker::oracle {

bool IsWindowOperator(const std::string& name);

// Adds the nodes computing `op` over `parent` to `dataflow`; returns the last, the operator's
// result. `parent` keeps the batches the window reads back.
// REQUIRES: IsWindowOperator(op.name); op.window (and op.slide, when set) a multiple of the
// parent's slide. Aborts otherwise.
Node* AddWindowOperator(const OperatorModel& op, Node* parent, Dataflow* dataflow);

}  // namespace streamsim::checker::oracle
