// The faults-off twin: the same scenario and seed run again without its faults, and where the two
// runs' sinks differ. Without faults a run is the reference the users trust by eye; every
// difference is something a fault changed (records lost or duplicated, a value that diverged, a
// batch that never finished).
//
// Every output is compared, per batch: SQLite sinks by their rows (read from each run's sink
// file); collect and print by what each emission returned or printed (an emission repeated after
// a recovery shows as extra records); saveAsTextFiles and file sinks by what their files held at
// the end (RunFacts::stored_outputs, read from each run's store by the harness).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "checker/check.h"
#include "records/value.h"

namespace streamsim::checker {

struct SinkDifference {
  std::string output;
  int64_t batch_time_ms = 0;
  records::Values only_with_faults;     // sorted; records the faulty run has and the twin does not
  records::Values only_without_faults;  // sorted; the reverse
};

// Differences in output order, then batch order. Errors: a sink file that cannot be read.
Result<std::vector<SinkDifference>> CompareWithFaultless(const RunFacts& with_faults,
                                                         const RunFacts& without_faults);

// "print:counts at 3000 ms: 2 records only with faults ((a,1), (b,2)), 1 only without ((a,2))".
std::string FormatDifference(const SinkDifference& difference);

}  // namespace streamsim::checker
