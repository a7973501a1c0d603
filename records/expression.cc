// Expressions: the public face of the expression language. The parts live in files of their own,
// internal to it: the lexer (expression_lexer.cc), a recursive-descent parser that builds a tree
// with names already resolved to binding slots and function names to ids (expression_parser.cc),
// the tree and its limits (expression_tree.cc), a tree-walking evaluator
// (expression_evaluator.cc) and the built-in functions (expression_builtins.cc). Inside the
// lexer and parser an internal ParseFailure exception carries the first error up to Parse(),
// which turns it into an ExpressionError; it never escapes Parse().
#include "records/expression.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "records/expression_evaluator.h"
#include "records/expression_lexer.h"
#include "records/expression_parser.h"
#include "records/expression_tree.h"

namespace streamsim::records {

using expression_internal::EvalToValue;
using expression_internal::FindNameSlot;
using expression_internal::ParsedTree;
using expression_internal::ParseFailure;
using expression_internal::ParseTokens;
using expression_internal::Tokenize;

base::Expected<Expression, ExpressionError> Expression::Parse(std::string_view text) {
  try {
    ParsedTree parsed = ParseTokens(Tokenize(text));
    Expression expression;
    expression.text_ = std::string(text);
    expression.root_ = std::make_shared<const Node>(std::move(parsed.root));
    expression.names_used_ = parsed.names_used;
    return expression;
  } catch (const ParseFailure& failure) {  // the parser's own unwinding, caught at its boundary
    return failure.error;
  }
}

Value Expression::Evaluate(const Bindings& bindings) const {
  if (root_ == nullptr) {
    std::fprintf(stderr, "streamsim: Expression::Evaluate called before a successful Parse\n");
    std::abort();
  }
  return EvalToValue(*root_, bindings);
}

bool Expression::Uses(std::string_view name) const {
  const int slot = FindNameSlot(name);
  return slot >= 0 && (names_used_ & (uint32_t{1} << slot)) != 0;
}

}  // namespace streamsim::records
