// The built-in functions of the expression language, internal to it (only records/expression*.cc
// include this header): len, contains, starts_with, ends_with, split, lower, upper, trim,
// to_string, to_int, to_double, sum, count, min, max, chars, range, abs and fail. if() is not here:
// it is lazy, so the evaluator handles it.
#pragma once

#include <array>
#include <cstddef>

#include "records/expression_tree.h"
#include "records/value.h"

namespace streamsim::records::expression_internal {

// Applies an eager function to its evaluated arguments.
Value Apply(Function function, const std::array<const Value*, kCallArgumentsMax>& args,
            size_t count);

}  // namespace streamsim::records::expression_internal
