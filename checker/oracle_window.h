// The oracle's window operators: window, reduceByWindow, reduceByKeyAndWindow, countByWindow,
// countByValueAndWindow and groupByKeyAndWindow. A window of length w at time t covers the
// parent's batches in (t - w, t]; it has a batch at every multiple of its slide after the zero
// time, early windows covering what exists so far.
#pragma once

#include <string>

#include "checker/oracle_series.h"
#include "checker/pipeline.h"

namespace streamsim::checker::oracle {

bool IsWindowOperator(const std::string& name);

// `op` applied to the whole of `parent`.
// REQUIRES: IsWindowOperator(op.name); op.window (and op.slide, when set) a multiple of the
// parent's slide. Aborts otherwise.
Series ApplyWindowOperator(const OperatorModel& op, const Series& parent, const Timeline& timeline);

}  // namespace streamsim::checker::oracle
