// The shape of an expression, for the few forms most pipelines write, so that a caller may compute
// them without walking the tree: "a + b" (a sum), "contains(x, "...")" (a filter on a text),
// "split(x, "...")" (a flatMap into words) and "(x, <literal>)" (a map to a pair). A shape is a
// fast path only: a caller computes it for the values it covers (ComputeShape) and evaluates the
// expression for any other (a number that is not an int, a sum that overflows, an x that is not a
// string), which gives the same result or the same error. The checker's oracle uses them
// (checker/oracle_batch.cc), so that checking a run costs a fraction of running it; the engine
// keeps the tree walk, and the two computing one result two ways is part of the check.
#pragma once

#include <string_view>
#include <vector>

#include "records/expression.h"
#include "records/value.h"

namespace streamsim::records {

struct ExpressionShape {
  enum class Kind {
    kOther,
    kSumOfAAndB,         // a + b
    kXContainsLiteral,   // contains(x, "text")
    kSplitXOnLiteral,    // split(x, "separator"), the separator not empty
    kPairOfXAndLiteral,  // (x, literal)
  };
  Kind kind = Kind::kOther;
  Value literal;  // the text, the separator, the pair's second item
};

// Sum of two ints without overflow: the value of "a + b"; false when the shape does not cover
// them (not both ints, or the sum overflows).
bool SumInts(const Value& a, const Value& b, Value* sum);
// The fields of split(text, separator) as views into `text`, in place of `fields`' contents;
// false (and `fields` empty) when the evaluator must say why it fails (more fields than a list
// may hold).
bool SplitViews(std::string_view text, std::string_view separator,
                std::vector<std::string_view>* fields);
// The fields of split(text, separator) appended to `fields`; false (and nothing appended) when
// SplitViews is.
bool AppendSplit(const std::string& text, const std::string& separator, Values* fields);

}  // namespace streamsim::records
