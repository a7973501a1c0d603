// Reading the `sources:` section: queue sources with their batches of records, socket, file and
// kafka sources with their rate and record generator. Internal to the loader.
#pragma once

#include <vector>

#include "records/value.h"
#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// Reads a mapping of source name -> source, in file order. Throws LoadFailure, also when two kafka
// sources of one topic describe different producers (they share the topic's broker).
std::vector<SourceSpec> ReadSources(const YamlContext& context, const YamlField& sources);

// One record of a queue batch: a quoted scalar is a string; a plain one an int, double, bool, null
// or (otherwise) string, as YAML's core schema reads it; a sequence a tuple, recursively. Throws
// LoadFailure for a mapping, an out-of-range integer or nesting deeper than 32.
records::Value ReadRecord(const YamlContext& context, const YamlField& field);

// "200/s", "0.5/s", "100/m", "10/min", "3600/h", or a plain number (per second), in (0, 10^6].
double ReadRatePerSecond(const YamlField& field);

}  // namespace streamsim::scenarios
