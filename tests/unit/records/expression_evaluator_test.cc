// Tests for records/expression_evaluator.cc, through Expression::Evaluate: names and bindings,
// every operator (arithmetic, concatenation, comparison, logic, indexing), the laziness of if(),
// runtime errors with their exact message, the limits on result sizes, and a RapidCheck property
// that compares integer arithmetic with a reference.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "records/expression.h"
#include "records/value.h"
#include "tests/unit/records/expression_test_support.h"

namespace streamsim::records {
namespace {

using testing::Eval;
using testing::EvalErrorOf;
using testing::Ints;
using testing::kInt64Min;
using testing::MustParse;
using testing::Show;

TEST(ExpressionTest, NamesReadTheirBindings) {
  const Value values[9] = {Value::Int(0), Value::Int(1), Value::Int(2),
                           Value::Int(3), Value::Int(4), Value::Int(5),
                           Value::Int(6), Value::Int(7), Value::Bool(true)};
  const Bindings bindings{&values[0], &values[1], &values[2], &values[3], &values[4],
                          &values[5], &values[6], &values[7], &values[8]};
  EXPECT_EQ(Show("[x, a, b, values, state, k, v, xs, timing_out]", bindings),
            "[0, 1, 2, 3, 4, 5, 6, 7, true]");
}

TEST(ExpressionTest, UnboundNameFailsAtEvaluation) {
  const Value one = Value::Int(1);
  Bindings bindings;
  bindings.a = &one;
  EXPECT_EQ(EvalErrorOf("a + b", bindings), "name 'b' is not bound here");
  EXPECT_EQ(EvalErrorOf("x"), "name 'x' is not bound here");
  EXPECT_EQ(Eval("if(true, a, b)", bindings), Value::Int(1));  // b is never evaluated
}

TEST(ExpressionTest, IntegerArithmetic) {
  EXPECT_EQ(Eval("2 + 3"), Value::Int(5));
  EXPECT_EQ(Eval("2 - 3"), Value::Int(-1));
  EXPECT_EQ(Eval("4 * -3"), Value::Int(-12));
  EXPECT_EQ(Eval("7 / 2"), Value::Int(3));
  EXPECT_EQ(Eval("-7 / 2"), Value::Int(-3));  // truncating, as in Scala
  EXPECT_EQ(Eval("7 % 3"), Value::Int(1));
  EXPECT_EQ(Eval("-7 % 3"), Value::Int(-1));
  EXPECT_EQ(Eval("7 % -3"), Value::Int(1));
  EXPECT_EQ(Eval("-9223372036854775808 % -1"), Value::Int(0));
  EXPECT_EQ(Eval("-9223372036854775808 / 1"), Value::Int(kInt64Min));
  EXPECT_EQ(Eval("--5"), Value::Int(5));
}

TEST(ExpressionTest, DoubleAndMixedArithmetic) {
  EXPECT_EQ(Eval("1 + 0.5"), Value::Double(1.5));
  EXPECT_EQ(Eval("0.5 + 1"), Value::Double(1.5));
  EXPECT_EQ(Eval("3 - 0.5"), Value::Double(2.5));
  EXPECT_EQ(Eval("2 * 1.5"), Value::Double(3.0));
  EXPECT_EQ(Eval("7 / 2.0"), Value::Double(3.5));
  EXPECT_EQ(Eval("7.5 % 2"), Value::Double(1.5));
  EXPECT_EQ(Eval("-7.5 % 2"), Value::Double(-1.5));
  EXPECT_EQ(Eval("-(2.5)"), Value::Double(-2.5));
  EXPECT_EQ(Eval("2.0 * 3").kind(), Value::Kind::kDouble);
}

TEST(ExpressionTest, ArithmeticErrors) {
  EXPECT_EQ(EvalErrorOf("1 / 0"), "division by zero");
  EXPECT_EQ(EvalErrorOf("1 % 0"), "division by zero");
  EXPECT_EQ(EvalErrorOf("1.0 / 0"), "division by zero");
  EXPECT_EQ(EvalErrorOf("1 / 0.0"), "division by zero");
  EXPECT_EQ(EvalErrorOf("1.5 % 0.0"), "division by zero");
  // No record holds NaN or an infinity: an overflowing double fails as an overflowing int does.
  EXPECT_EQ(EvalErrorOf("1e308 * 10"), "1e+308 * 10 is not a finite number");
  EXPECT_EQ(EvalErrorOf("-1e308 - 1e308"), "-1e+308 - 1e+308 is not a finite number");
  EXPECT_EQ(EvalErrorOf("1e308 / 1e-10"), "1e+308 / 1e-10 is not a finite number");
  EXPECT_EQ(EvalErrorOf("9223372036854775807 + 1"), "integer overflow");
  EXPECT_EQ(EvalErrorOf("-9223372036854775808 - 1"), "integer overflow");
  EXPECT_EQ(EvalErrorOf("4611686018427387904 * 2"), "integer overflow");
  EXPECT_EQ(EvalErrorOf("-9223372036854775808 / -1"), "integer overflow");
  EXPECT_EQ(EvalErrorOf("-(-9223372036854775808)"), "integer overflow");
  EXPECT_EQ(EvalErrorOf("1 - 'a'"), "'-' cannot combine int and string");
  EXPECT_EQ(EvalErrorOf("[1] * 2"), "'*' cannot combine list and int");
  EXPECT_EQ(EvalErrorOf("true / false"), "'/' cannot combine bool and bool");
  EXPECT_EQ(EvalErrorOf("null % 2"), "'%' cannot combine null and int");
  EXPECT_EQ(EvalErrorOf("-'a'"), "'-' needs a number, got string");
}

TEST(ExpressionTest, PlusConcatenates) {
  EXPECT_EQ(Eval("'ab' + 'cd'"), Value::String("abcd"));
  EXPECT_EQ(Eval("[1] + [2, 3]"), Ints({1, 2, 3}));
  EXPECT_EQ(Eval("[] + []"), Value::List({}));
  EXPECT_EQ(Show("(1, 2) + (3, 'x')"), "(1,2,3,x)");
  EXPECT_EQ(Eval("(1, 2) + (3, 4)").kind(), Value::Kind::kTuple);
  EXPECT_EQ(EvalErrorOf("'n=' + 1"), "'+' cannot combine string and int (convert with to_string)");
  EXPECT_EQ(EvalErrorOf("1 + 'a'"), "'+' cannot combine int and string (convert with to_string)");
  EXPECT_EQ(EvalErrorOf("[1] + (2, 3)"), "'+' cannot combine list and tuple");
  EXPECT_EQ(EvalErrorOf("true + true"), "'+' cannot combine bool and bool");
  EXPECT_EQ(EvalErrorOf("null + null"), "'+' cannot combine null and null");
  EXPECT_EQ(Eval("'n=' + to_string(1)"), Value::String("n=1"));
}

TEST(ExpressionTest, ComparisonsUseTheTotalOrder) {
  EXPECT_EQ(Eval("1 < 2"), Value::Bool(true));
  EXPECT_EQ(Eval("2 <= 2"), Value::Bool(true));
  EXPECT_EQ(Eval("2 > 3"), Value::Bool(false));
  EXPECT_EQ(Eval("3 >= 3"), Value::Bool(true));
  EXPECT_EQ(Eval("3 == 3"), Value::Bool(true));
  EXPECT_EQ(Eval("3 != 3"), Value::Bool(false));
  EXPECT_EQ(Eval("1 < 1.5"), Value::Bool(true));
  EXPECT_EQ(Eval("1.5 < 2"), Value::Bool(true));
  EXPECT_EQ(Eval("1 == 1.0"), Value::Bool(true));  // the same number, as Scala's == says
  EXPECT_EQ(Eval("1 < 1.0"), Value::Bool(false));
  EXPECT_EQ(Eval("1 >= 1.0"), Value::Bool(true));
  EXPECT_EQ(Eval("1 != 1.5"), Value::Bool(true));
  EXPECT_EQ(Eval("2 > 1.5"), Value::Bool(true));
  EXPECT_EQ(Eval("9007199254740993 == 9007199254740992.0"), Value::Bool(false));
  EXPECT_EQ(Eval("'abc' < 'abd'"), Value::Bool(true));
  EXPECT_EQ(Eval("'B' < 'a'"), Value::Bool(true));
  EXPECT_EQ(Eval("(1, 2) < (1, 3)"), Value::Bool(true));
  EXPECT_EQ(Eval("[1, 2] == [1, 2]"), Value::Bool(true));
  EXPECT_EQ(Eval("(1, 2) == [1, 2]"), Value::Bool(false));
  EXPECT_EQ(Eval("null == null"), Value::Bool(true));
  EXPECT_EQ(Eval("null < false"), Value::Bool(true));
  EXPECT_EQ(Eval("true < 0"), Value::Bool(true));
  EXPECT_EQ(Eval("99 < ''"), Value::Bool(true));
  EXPECT_EQ(Eval("'z' < (1, 2)"), Value::Bool(true));
  EXPECT_EQ(Eval("(9, 9) < []"), Value::Bool(true));
}

TEST(ExpressionTest, LogicShortCircuits) {
  EXPECT_EQ(Eval("true && false"), Value::Bool(false));
  EXPECT_EQ(Eval("true || false"), Value::Bool(true));
  EXPECT_EQ(Eval("!true"), Value::Bool(false));
  EXPECT_EQ(Eval("!!true"), Value::Bool(true));
  EXPECT_EQ(Eval("false && fail('evaluated')"), Value::Bool(false));
  EXPECT_EQ(Eval("true || fail('evaluated')"), Value::Bool(true));
  EXPECT_EQ(EvalErrorOf("true && fail('evaluated')"), "evaluated");
  EXPECT_EQ(EvalErrorOf("1 && true"), "'&&' needs a bool, got int");
  EXPECT_EQ(EvalErrorOf("true && 'x'"), "'&&' needs a bool, got string");
  EXPECT_EQ(EvalErrorOf("null || true"), "'||' needs a bool, got null");
  EXPECT_EQ(EvalErrorOf("!0"), "'!' needs a bool, got int");
}

TEST(ExpressionTest, Indexing) {
  const Value x = Value::List({Value::Pair(Value::String("k"), Value::Int(7)), Value::Int(8)});
  Bindings bindings;
  bindings.x = &x;
  EXPECT_EQ(Eval("x[1]", bindings), Value::Int(8));
  EXPECT_EQ(Eval("x[-1]", bindings), Value::Int(8));
  EXPECT_EQ(Eval("x[-2][0]", bindings), Value::String("k"));
  EXPECT_EQ(Eval("x[0][1] + 1", bindings), Value::Int(8));
  EXPECT_EQ(Eval("-x[1]", bindings), Value::Int(-8));  // indexing binds tighter than minus
  EXPECT_EQ(Eval("'hello'[1]"), Value::String("e"));
  EXPECT_EQ(Eval("'hello'[-1]"), Value::String("o"));
  EXPECT_EQ(Eval("(1, 2)[1 + 0]"), Value::Int(2));
  EXPECT_EQ(EvalErrorOf("x[2]", bindings), "index 2 out of range for list of length 2");
  EXPECT_EQ(EvalErrorOf("x[-3]", bindings), "index -3 out of range for list of length 2");
  EXPECT_EQ(EvalErrorOf("''[0]"), "index 0 out of range for string of length 0");
  EXPECT_EQ(EvalErrorOf("(1, 2)[9]"), "index 9 out of range for tuple of length 2");
  EXPECT_EQ(EvalErrorOf("x['a']", bindings), "index must be an int, got string");
  EXPECT_EQ(EvalErrorOf("x[1.0]", bindings), "index must be an int, got double");
  EXPECT_EQ(EvalErrorOf("5[0]"), "only tuples, lists and strings can be indexed, not int");
}

TEST(ExpressionTest, IfIsLazy) {
  EXPECT_EQ(Eval("if(true, 1, fail('no'))"), Value::Int(1));
  EXPECT_EQ(Eval("if(false, fail('no'), 'b')"), Value::String("b"));
  EXPECT_EQ(Eval("if(1 > 2, 'a', if(2 > 1, 'b', 'c'))"), Value::String("b"));
  EXPECT_EQ(EvalErrorOf("if(1, 2, 3)"), "if() needs a bool, got int");
}

TEST(ExpressionTest, LimitsOnResults) {
  const std::string too_many = "result would have more than 1000000 elements";
  EXPECT_EQ(EvalErrorOf("range(0, 1000001)"), too_many);
  EXPECT_EQ(EvalErrorOf("range(-9223372036854775808, 9223372036854775807)"), too_many);
  EXPECT_EQ(EvalErrorOf("range(0, 1000000) + [1]"), too_many);
  const Value big = Value::String(std::string(1000001, 'a'));
  Bindings bindings;
  bindings.x = &big;
  EXPECT_EQ(EvalErrorOf("chars(x)", bindings), too_many);
  EXPECT_EQ(EvalErrorOf("split(x, 'a')", bindings), too_many);
  const Value huge = Value::String(std::string(16 * 1024 * 1024, 'a'));
  bindings.x = &huge;
  EXPECT_EQ(EvalErrorOf("x + 'b'", bindings),
            "result would be a string longer than 16777216 bytes");
}

RC_GTEST_PROP(ExpressionProperty, IntegerArithmeticMatchesCheckedReference,
              (int64_t left, int64_t right)) {
  const Value a = Value::Int(left);
  const Value b = Value::Int(right);
  Bindings bindings;
  bindings.a = &a;
  bindings.b = &b;
  const Expression sum = MustParse("a + b");
  int64_t expected = 0;
  if (__builtin_add_overflow(left, right, &expected)) {
    RC_ASSERT_THROWS_AS(sum.Evaluate(bindings), EvalError);
  } else {
    RC_ASSERT(sum.Evaluate(bindings) == Value::Int(expected));
  }
  RC_ASSERT(MustParse("a < b").Evaluate(bindings) == Value::Bool(left < right));
  RC_ASSERT(MustParse("min(a, b)").Evaluate(bindings) == Value::Int(std::min(left, right)));
}

}  // namespace
}  // namespace streamsim::records
