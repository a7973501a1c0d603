// Reading a stream's `ops:` list into OperatorSpecs. Which operators exist, what argument each
// takes and which names its function may use are tables in operator_reader.cc — one for the
// operators that work on each batch's RDD, one for the window and state operators, which only
// exist on streams — so that a new operator is a row there plus, for a new kind of argument, one
// case in ReadPart. Internal to the loader.
#pragma once

#include <string_view>
#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// Reads a sequence of operators: bare names ("count") or single-key mappings ({map: "x * 2"}).
// Throws LoadFailure on an unknown operator ("unknown operator 'mapp'; did you mean 'map'?"), a
// malformed argument, an expression that does not parse, or one that uses a name the operator
// does not bind ("'x' is not available in reduceByKey; it can use a, b"), or a window or state
// operator inside transform. Where an operator may stand in the graph (stateSnapshots after
// mapWithState, slides) is the validator's business.
std::vector<OperatorSpec> ReadOperators(const YamlContext& context, const YamlField& ops);

// The operators a scenario may use, in table order.
std::vector<std::string_view> OperatorNames();

}  // namespace streamsim::scenarios
