// Reading element functions ("x * 2", "a + b") from YAML scalars. A parse error is reported at
// its exact place in the file: the scalar's position plus the error's offset inside the
// expression, walking the scalar's source text so that quotes, escapes, folded lines and block
// scalars (| and >) are accounted for. Internal to the loader.
#pragma once

#include "records/expression.h"
#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// Parses the field's scalar as an expression. Throws LoadFailure "expected an expression string,
// got ..." when it is not a scalar, and "in expression: <message>" at the failing character.
ExpressionSpec ReadExpression(const YamlContext& context, const YamlField& field);

// Where character (line, column) — 1-based, as records::ExpressionError gives them — of the scalar
// `node`'s value lies in the file. Falls back to the scalar's position plus the column when the
// source cannot be matched with the value.
Position LocateInScalar(const YamlContext& context, const YAML::Node& node, int line, int column);

}  // namespace streamsim::scenarios
