// Which names an operator's expression may use. Every expression can name any of the bindings of
// records::Bindings (x, a, b, values, state, k, v, xs, timing_out), but each operator binds only
// some of them; a name it does not bind would fail at run time, batch after batch, so the loader
// rejects it at the name's place in the file. Internal to the loader.
#pragma once

#include <string_view>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// Throws LoadFailure at the first use (outside string literals) of a bindable name that
// `allowed` ("a, b": names separated by ", ") does not list: "'x' is not available in <where>;
// it can use a, b" ("it can use no names" when `allowed` is empty). `scalar` is the YAML scalar
// the expression was read from, for the position.
void CheckExpressionNames(const YamlContext& context, const YAML::Node& scalar,
                          const ExpressionSpec& expression, std::string_view where,
                          std::string_view allowed);

}  // namespace streamsim::scenarios
