// Expressions: the small, safe language element functions are written in inside YAML scenarios
// ("x * 2", "(x, 1)", "a + b", "split(x, \" \")"). An expression is parsed once, with errors that
// carry a 1-based line and column inside the expression text, and evaluated many times against a
// set of bindings. There are no loops and no I/O; evaluation always terminates.
//
// Grammar (lowest precedence first):
//   expr       := or
//   or         := and ("||" and)*                 && and || need bools and short-circuit
//   and        := comparison ("&&" comparison)*
//   comparison := additive [("==" | "!=" | "<" | "<=" | ">" | ">=") additive]   (no chaining)
//   additive   := mul (("+" | "-") mul)*          + adds numbers, concatenates strings and lists
//   mul        := unary (("*" | "/" | "%") unary)*   int/int stays int (truncating); by 0 fails
//   unary      := ("!" | "-") unary | postfix
//   postfix    := primary ("[" expr "]")*         index a tuple, list or string; negative from end
//   primary    := literal | name | call | "(" expr ")" | tuple | list
//   tuple      := "(" expr "," expr ("," expr)* ")"
//   list       := "[" [expr ("," expr)*] "]"
//   literal    := integer | decimal | "string" | 'string' | true | false | null
// Comparisons use Value's total order, except that an int and a double denoting the same number
// compare equal (1 == 1.0 is true, as in Scala), though they stay distinct keys. Int arithmetic
// that overflows fails, and so does double arithmetic whose result is not finite (NaN, infinity).
// Strings accept the escapes \n \t \r \\ \" \'. Names: x, a, b, values, state, k, v, xs,
// timing_out. Calls: if(c, a, b) (lazy), len, contains, starts_with, ends_with, split, lower,
// upper, trim, to_string, to_int, to_double, sum, count, min, max (of a list, or of two values),
// chars, range(a, b), abs, fail(msg). Limits: no result list or tuple longer than 1,000,000
// elements, no result string longer than 16 MiB, and no tree nested deeper than 256 levels.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "base/status.h"
#include "records/value.h"

namespace streamsim::records {

// The names an expression may refer to. A name the expression uses but the caller did not bind
// evaluates to an EvalError.
struct Bindings {
  const Value* x = nullptr;           // the element (map, filter, flatMap, ...)
  const Value* a = nullptr;           // first argument of a reduce function
  const Value* b = nullptr;           // second argument of a reduce function
  const Value* values = nullptr;      // updateStateByKey: the key's new values in this batch (list)
  const Value* state = nullptr;       // updateStateByKey / mapWithState: previous state or null
  const Value* k = nullptr;           // the key (mapValues, flatMapValues, mapWithState, filters)
  const Value* v = nullptr;           // the value (same places)
  const Value* xs = nullptr;          // mapPartitions: the whole partition as a list
  const Value* timing_out = nullptr;  // mapWithState: bool
};

// Where a parse error is, 1-based, inside the expression text.
struct ExpressionError {
  std::string message;
  int line = 1;
  int column = 1;
};

// Raised by Evaluate on a runtime error (wrong type, division by zero, index out of range, an
// unbound name) and by fail(msg). The engine catches it at the task boundary and fails the task, as
// an exception thrown by a user function fails a Spark task. This is the one place exceptions are
// used for control flow: it keeps evaluation of deep expression trees free of status plumbing.
class EvalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ExpressionShape;

class Expression {
 public:
  // Parses `text`: the expression, or the error with its position inside `text`.
  static base::Expected<Expression, ExpressionError> Parse(std::string_view text);

  // REQUIRES: a successfully parsed expression. Throws EvalError.
  Value Evaluate(const Bindings& bindings) const;

  // Whether the expression mentions the name (e.g. "k"), so that callers can check arity early.
  bool Uses(std::string_view name) const;
  const std::string& text() const { return text_; }
  // Which of the forms a caller may compute natively this is (records/expression_shape.h).
  ExpressionShape Shape() const;

  struct Node;  // the parsed tree; defined in expression_tree.h

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
  uint32_t names_used_ = 0;  // bit per name in Bindings order
};

}  // namespace streamsim::records
