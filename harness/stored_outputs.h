// What the outputs that write files into the simulated store hold after a run — saveAsTextFiles'
// part files and foreachRDD file sinks — per output and batch, read back from the run's store.
// The faults-off twin compares them (checker/faultless_comparison.h): a fault can change what a
// file output holds as much as what a table holds.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "records/value.h"
#include "scenarios/scenario.h"
#include "simulator/storage.h"

namespace streamsim::harness {

// Per output name, per batch time in ms, the records it holds: a saveAsTextFiles batch
// directory's lines, a file sink's records of that batch as the JSON text it wrote (both as
// strings). An output that wrote nothing has no entry.
std::map<std::string, std::map<int64_t, records::Values>> StoredOutputsOf(
    const scenarios::Scenario& scenario, const sim::Storage& storage);

}  // namespace streamsim::harness
