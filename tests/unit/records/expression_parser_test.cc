// Tests for records/expression_parser.cc, through Expression::Parse: tuple and list literals,
// precedence and associativity, constant folding that leaves errors to evaluation, parse errors
// with their exact message, line and column, the bound on nesting, and a RapidCheck property that
// feeds the parser random text.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "records/expression.h"
#include "records/value.h"
#include "tests/unit/records/expression_test_support.h"

namespace streamsim::records {
namespace {

using testing::Eval;
using testing::EvalErrorOf;
using testing::Ints;
using testing::ParseErrorOf;
using testing::Show;

TEST(ExpressionTest, TupleAndListLiterals) {
  EXPECT_EQ(Eval("(1, 'a')"), Value::Pair(Value::Int(1), Value::String("a")));
  EXPECT_EQ(Eval("(1, 2, 3)").Items().size(), 3u);
  EXPECT_EQ(Eval("(1, 2, 3)").kind(), Value::Kind::kTuple);
  EXPECT_EQ(Eval("(5)"), Value::Int(5));  // grouping, not a tuple
  EXPECT_EQ(Eval("[1, 2]"), Ints({1, 2}));
  EXPECT_EQ(Eval("[]"), Value::List({}));
  EXPECT_EQ(Show("[(1, [2, 'x']), null, [], 0.5]"), "[(1,[2, x]), null, [], 0.5]");
}

TEST(ExpressionTest, PrecedenceAndAssociativity) {
  EXPECT_EQ(Eval("1 + 2 * 3"), Value::Int(7));
  EXPECT_EQ(Eval("(1 + 2) * 3"), Value::Int(9));
  EXPECT_EQ(Eval("10 - 3 - 2"), Value::Int(5));
  EXPECT_EQ(Eval("100 / 10 / 5"), Value::Int(2));
  EXPECT_EQ(Eval("7 - 6 % 4"), Value::Int(5));
  EXPECT_EQ(Eval("-2 * 3"), Value::Int(-6));
  EXPECT_EQ(Eval("2 * -3 + 1"), Value::Int(-5));
  EXPECT_EQ(Eval("1 + 2 == 3"), Value::Bool(true));
}

TEST(ExpressionTest, LogicalPrecedence) {
  EXPECT_EQ(Eval("true || false && false"), Value::Bool(true));  // && binds tighter
  EXPECT_EQ(Eval("(true || false) && false"), Value::Bool(false));
  EXPECT_EQ(Eval("1 + 1 == 2 && 3 > 2"), Value::Bool(true));
  EXPECT_EQ(Eval("!false && false"), Value::Bool(false));  // ! binds tighter than &&
  EXPECT_EQ(Eval("!(false && false)"), Value::Bool(true));
  EXPECT_EQ(Eval("(!true) == false"), Value::Bool(true));
}

TEST(ExpressionTest, ConstantErrorsWaitForEvaluation) {
  EXPECT_EQ(ParseErrorOf("1 / 0"), "parsed");
  EXPECT_EQ(ParseErrorOf("fail('x')"), "parsed");
  EXPECT_EQ(EvalErrorOf("[1, 1 / 0]"), "division by zero");
}

TEST(ExpressionTest, ParseErrorsOnNamesAndCalls) {
  EXPECT_EQ(ParseErrorOf("x + y"), "1:5: unknown name 'y'");
  EXPECT_EQ(ParseErrorOf("foo(1)"), "1:1: unknown function 'foo'");
  EXPECT_EQ(ParseErrorOf("x(1)"), "1:1: unknown function 'x'");
  EXPECT_EQ(ParseErrorOf("1 + len"), "1:5: 'len' is a function; call it as len(...)");
  EXPECT_EQ(ParseErrorOf("if(true, 1)"), "1:1: 'if' takes 3 arguments, got 2");
  EXPECT_EQ(ParseErrorOf("x + len()"), "1:5: 'len' takes 1 argument, got 0");
  EXPECT_EQ(ParseErrorOf("min(1, 2, 3)"), "1:1: 'min' takes 1 or 2 arguments, got 3");
  EXPECT_EQ(ParseErrorOf("range(1)"), "1:1: 'range' takes 2 arguments, got 1");
}

TEST(ExpressionTest, ParseErrorsOnStructure) {
  EXPECT_EQ(ParseErrorOf(""), "1:1: expected an expression but found end of expression");
  EXPECT_EQ(ParseErrorOf("1 +"), "1:4: expected an expression but found end of expression");
  EXPECT_EQ(ParseErrorOf("(1 + 2"), "1:7: expected ',' or ')' but found end of expression");
  EXPECT_EQ(ParseErrorOf("len(x"), "1:6: expected ',' or ')' but found end of expression");
  EXPECT_EQ(ParseErrorOf("[1 2]"), "1:4: expected ',' or ']' but found '2'");
  EXPECT_EQ(ParseErrorOf("x[0"), "1:4: expected ']' but found end of expression");
  EXPECT_EQ(ParseErrorOf("x y"), "1:3: expected end of expression but found 'y'");
  EXPECT_EQ(ParseErrorOf("1 2"), "1:3: expected end of expression but found '2'");
  EXPECT_EQ(ParseErrorOf("x 'a'"), "1:3: expected end of expression but found a string");
  EXPECT_EQ(ParseErrorOf(")"), "1:1: expected an expression but found ')'");
  EXPECT_EQ(ParseErrorOf("()"), "1:2: expected an expression but found ')'");
  EXPECT_EQ(ParseErrorOf("(1,)"), "1:1: a tuple cannot end with ','");
  EXPECT_EQ(ParseErrorOf("[1,]"), "1:4: expected an expression but found ']'");
  EXPECT_EQ(ParseErrorOf("1 < 2 < 3"),
            "1:7: comparisons cannot be chained; combine them with '&&'");
  EXPECT_EQ(ParseErrorOf("1 == 2 != 3"),
            "1:8: comparisons cannot be chained; combine them with '&&'");
}

TEST(ExpressionTest, NestingIsBounded) {
  const std::string parens_ok = std::string(100, '(') + "1" + std::string(100, ')');
  EXPECT_EQ(Eval(parens_ok), Value::Int(1));
  const std::string parens_deep = std::string(300, '(') + "1" + std::string(300, ')');
  EXPECT_EQ(ParseErrorOf(parens_deep),
            "1:257: expression nested too deeply (more than 256 levels)");
  std::string long_chain = "x";
  for (int i = 0; i < 300; ++i) long_chain += "+x";
  EXPECT_EQ(ParseErrorOf(long_chain), "1:512: expression nested too deeply (more than 256 levels)");
  std::string constant_chain = "1";
  for (int i = 0; i < 1000; ++i) constant_chain += "+1";
  EXPECT_EQ(Eval(constant_chain), Value::Int(1001));  // folded as it is parsed
}

// Random text over the grammar's alphabet never crashes the parser; what parses evaluates to a
// value or an EvalError, and errors point inside (or just past) the text.
RC_GTEST_PROP(ExpressionProperty, RandomTextParsesOrFailsCleanly, ()) {
  const std::string text = *rc::gen::container<std::string>(
      rc::gen::element('x', 'a', '1', '0', '.', '(', ')', '[', ']', ',', '+', '-', '*', '/', '%',
                       '<', '=', '!', '&', '|', ' ', '\n', '\'', 'e'));
  const auto parsed = Expression::Parse(text);
  if (!parsed.ok()) {
    const ExpressionError& error = parsed.error();
    RC_ASSERT(error.line >= 1);
    RC_ASSERT(error.column >= 1);
    RC_ASSERT(static_cast<size_t>(error.column) <= text.size() + 1);
    RC_ASSERT(!error.message.empty());
    return;
  }
  const Value x = Value::Int(3);
  const Value a = Value::List({Value::Int(1), Value::String("s")});
  Bindings bindings;
  bindings.x = &x;
  bindings.a = &a;
  try {
    (void)parsed.value().Evaluate(bindings);
  } catch (const EvalError&) {
  }
}

}  // namespace
}  // namespace streamsim::records
