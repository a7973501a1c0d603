// The scenario's `expect:` section: what the author claims the run guarantees.
//
//   expect:
//     guarantee: exactly-once   # or at-least-once, at-most-once
//
// `streamsim run` compares the checker's verdict with it and exits 1 when the observed guarantee
// is weaker (checker/verdict.h Satisfies).
#pragma once

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

ExpectSpec ReadExpect(const YamlContext& context, const YamlField& field);

}  // namespace streamsim::scenarios
