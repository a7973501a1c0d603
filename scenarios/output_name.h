// The name a run gives each output: in the trace, in the SQLite sink's write ledger, in the
// ledger's output emissions and in the checker's findings. One function, so that they all agree.
#pragma once

#include <string>

#include "scenarios/scenario.h"

namespace streamsim::scenarios {

// "print:counts", the collect name, "saveAsTextFiles:counts", "foreachRDD:counts",
// "sink:<table>".
std::string OutputName(const OutputSpec& spec);

}  // namespace streamsim::scenarios
