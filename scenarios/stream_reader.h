// Reading the `streams:` section (name -> {from, ops}) and the `outputs:` list (print, collect,
// saveAsTextFiles, foreachRDD, sink). Whether the names they use exist is the validator's business
// (validator.h); this file checks shape and types. Internal to the loader.
#pragma once

#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// Reads a mapping of stream name -> stream, in file order. Throws LoadFailure.
std::vector<StreamSpec> ReadStreams(const YamlContext& context, const YamlField& streams);

// Reads the sequence of outputs. Each has `stream:` and exactly one action. Throws LoadFailure.
std::vector<OutputSpec> ReadOutputs(const YamlContext& context, const YamlField& outputs);

}  // namespace streamsim::scenarios
