// The parsed tree of an expression, internal to the expression language (only
// records/expression*.cc include it): the parser (expression_parser.cc) builds it and the evaluator
// (expression_evaluator.cc) walks it. Names are resolved to binding slots and function names to
// ids while parsing, so evaluation does no string lookups. The limits on result sizes and tree
// depth that keep evaluation bounded in memory and stack are here too, with the table of
// functions and their arities.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "records/expression.h"
#include "records/value.h"

namespace streamsim::records::expression_internal {

inline constexpr size_t kSequenceLengthMax = 1'000'000;  // elements in any list or tuple produced
inline constexpr size_t kStringBytesMax = 16 * 1024 * 1024;  // bytes in any string produced
inline constexpr int kTreeDepthMax = 256;                    // nesting of the parsed tree
inline constexpr size_t kCallArgumentsMax = 3;

// The bindable names, in Bindings field order: the index is the slot and the bit in names_used_.
struct NameSlot {
  std::string_view name;
  const Value* Bindings::*member;
};
inline constexpr std::array<NameSlot, 9> kNameSlots = {{
    {"x", &Bindings::x},
    {"a", &Bindings::a},
    {"b", &Bindings::b},
    {"values", &Bindings::values},
    {"state", &Bindings::state},
    {"k", &Bindings::k},
    {"v", &Bindings::v},
    {"xs", &Bindings::xs},
    {"timing_out", &Bindings::timing_out},
}};

// The slot of a bindable name, or -1 when `name` is not one.
int FindNameSlot(std::string_view name);

enum class Function {
  kIf,
  kLen,
  kContains,
  kStartsWith,
  kEndsWith,
  kSplit,
  kLower,
  kUpper,
  kTrim,
  kToString,
  kToInt,
  kToDouble,
  kSum,
  kCount,
  kMin,
  kMax,
  kChars,
  kRange,
  kAbs,
  kFail,
};

struct FunctionInfo {
  std::string_view name;
  Function function;
  size_t arguments_min;
  size_t arguments_max;
};

// The function called `name`, or nullptr when there is none.
const FunctionInfo* FindFunction(std::string_view name);

// The table row of `function`: its name and arity.
const FunctionInfo& InfoOf(Function function);

enum class Op {
  kConstant,
  kName,
  kTuple,
  kList,
  kIndex,
  kNegate,
  kNot,
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAnd,
  kOr,
  kCall,
};

}  // namespace streamsim::records::expression_internal

namespace streamsim::records {

struct Expression::Node {
  expression_internal::Op op = expression_internal::Op::kConstant;
  Value constant;  // kConstant
  int slot = -1;   // kName
  // kCall:
  expression_internal::Function function = expression_internal::Function::kIf;
  int depth = 1;  // of the subtree, bounded by kTreeDepthMax
  std::vector<Node> children;
};

}  // namespace streamsim::records

namespace streamsim::records::expression_internal {

using Node = Expression::Node;

}  // namespace streamsim::records::expression_internal
