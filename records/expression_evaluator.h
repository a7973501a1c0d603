// The evaluator of the expression language, internal to it (only records/expression*.cc include
// this header): a tree walk over the tree of expression_tree.h that fails with EvalError. The
// built-in functions (expression_builtins.cc) use its failure, its limit check and its arithmetic,
// so that sum() adds as '+' does and abs() negates as '-' does.
#pragma once

#include <cstdint>
#include <string>

#include "records/expression.h"
#include "records/expression_tree.h"
#include "records/value.h"

namespace streamsim::records::expression_internal {

// Throws EvalError with `message`.
[[noreturn]] void Fail(std::string message);

// Fails when a sequence of `length` elements would exceed kSequenceLengthMax.
void CheckSequenceLength(uint64_t length);

// Evaluates `node`. The result refers into the bindings or the tree when that avoids a copy, and
// otherwise is stored in `scratch`. Throws EvalError.
const Value& Eval(const Node& node, const Bindings& bindings, Value& scratch);

// Evaluates `node` into an owned value. Throws EvalError.
Value EvalToValue(const Node& node, const Bindings& bindings);

// '-' on one number; fails on other kinds and on overflow.
Value Negate(const Value& operand);

// '+', '-', '*', '/' or '%' (`op`) on two values: checked int arithmetic, double arithmetic once
// a double takes part, and '+' on two strings, lists or tuples; fails on other pairs.
Value Arithmetic(Op op, const Value& left, const Value& right);

}  // namespace streamsim::records::expression_internal
