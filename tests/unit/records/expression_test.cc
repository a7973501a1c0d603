// Tests for records/expression.cc, the public face of the expression language: which names an
// expression uses, copies that evaluate repeatedly, and the element functions scenarios write.
// The parts are tested in expression_lexer_test.cc, expression_parser_test.cc,
// expression_evaluator_test.cc and expression_builtins_test.cc.
#include "records/expression.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "records/value.h"
#include "tests/unit/records/expression_test_support.h"

namespace streamsim::records {
namespace {

using testing::Eval;
using testing::Ints;
using testing::MustParse;
using testing::Show;

TEST(ExpressionTest, UsesReportsMentionedNames) {
  const Expression expression = MustParse("k == 'a' && len(values) > 0 && x != null");
  EXPECT_TRUE(expression.Uses("k"));
  EXPECT_TRUE(expression.Uses("values"));
  EXPECT_TRUE(expression.Uses("x"));
  EXPECT_FALSE(expression.Uses("v"));
  EXPECT_FALSE(expression.Uses("state"));
  EXPECT_FALSE(expression.Uses("timing_out"));
  EXPECT_FALSE(expression.Uses("len"));
  EXPECT_FALSE(expression.Uses("nonsense"));
  EXPECT_EQ(expression.text(), "k == 'a' && len(values) > 0 && x != null");
  EXPECT_TRUE(MustParse("timing_out").Uses("timing_out"));
}

TEST(ExpressionTest, ExpressionsCopyAndEvaluateRepeatedly) {
  const Expression original = MustParse("x * 2");
  const Expression copy = original;  // NOLINT: the copy is the point
  for (int64_t i = 0; i < 100; ++i) {
    const Value x = Value::Int(i);
    Bindings bindings;
    bindings.x = &x;
    ASSERT_EQ(copy.Evaluate(bindings), Value::Int(2 * i));
  }
  EXPECT_EQ(copy.text(), "x * 2");
}

TEST(ExpressionTest, ElementFunctionsFromScenarios) {
  const Value line = Value::String("the quick the");
  Bindings bindings;
  bindings.x = &line;
  EXPECT_EQ(Show("split(x, ' ')", bindings), "[the, quick, the]");
  const Value word = Value::String("the");
  bindings.x = &word;
  EXPECT_EQ(Show("(x, 1)", bindings), "(the,1)");
  const Value a = Value::Int(2);
  const Value b = Value::Int(3);
  bindings.a = &a;
  bindings.b = &b;
  EXPECT_EQ(Eval("a + b", bindings), Value::Int(5));
  const Value values = Ints({1, 2});
  const Value state = Value::Null();
  bindings.values = &values;
  bindings.state = &state;
  EXPECT_EQ(Eval("sum(values) + if(state == null, 0, state)", bindings), Value::Int(3));
}

}  // namespace
}  // namespace streamsim::records
