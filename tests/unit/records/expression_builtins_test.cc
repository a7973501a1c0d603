// Tests for records/expression_builtins.cc, through Expression::Evaluate: every built-in function
// with its results and its errors, with their exact message.
#include <gtest/gtest.h>

#include "records/expression.h"
#include "records/value.h"
#include "tests/unit/records/expression_test_support.h"

namespace streamsim::records {
namespace {

using testing::Eval;
using testing::EvalErrorOf;
using testing::Ints;
using testing::Show;

TEST(ExpressionTest, LengthAndCount) {
  EXPECT_EQ(Eval("len('hello')"), Value::Int(5));
  EXPECT_EQ(Eval("len('')"), Value::Int(0));
  EXPECT_EQ(Eval("len([1, 2, 3])"), Value::Int(3));
  EXPECT_EQ(Eval("len((1, 2))"), Value::Int(2));
  EXPECT_EQ(Eval("count([1, 2, 3])"), Value::Int(3));
  EXPECT_EQ(Eval("count([])"), Value::Int(0));
  EXPECT_EQ(Eval("count((1, 2))"), Value::Int(2));
  EXPECT_EQ(EvalErrorOf("len(5)"), "len() needs a string, list or tuple, got int");
  EXPECT_EQ(EvalErrorOf("count('ab')"), "count() needs a list or tuple, got string");
}

TEST(ExpressionTest, StringPredicates) {
  EXPECT_EQ(Eval("contains('hello', 'ell')"), Value::Bool(true));
  EXPECT_EQ(Eval("contains('hello', 'xyz')"), Value::Bool(false));
  EXPECT_EQ(Eval("contains('hello', '')"), Value::Bool(true));
  EXPECT_EQ(Eval("contains([1, 2], 2)"), Value::Bool(true));
  EXPECT_EQ(Eval("contains([1, 2], 2.0)"), Value::Bool(false));
  EXPECT_EQ(Eval("contains((1, 'a'), 'a')"), Value::Bool(true));
  EXPECT_EQ(Eval("contains([], null)"), Value::Bool(false));
  EXPECT_EQ(Eval("starts_with('hello', 'he')"), Value::Bool(true));
  EXPECT_EQ(Eval("starts_with('hello', 'lo')"), Value::Bool(false));
  EXPECT_EQ(Eval("starts_with('he', 'hello')"), Value::Bool(false));
  EXPECT_EQ(Eval("ends_with('hello', 'lo')"), Value::Bool(true));
  EXPECT_EQ(Eval("ends_with('hello', 'he')"), Value::Bool(false));
  EXPECT_EQ(Eval("ends_with('lo', 'hello')"), Value::Bool(false));
  EXPECT_EQ(Eval("ends_with('x', '')"), Value::Bool(true));
  EXPECT_EQ(EvalErrorOf("contains('abc', 1)"), "contains() needs a string, got int");
  EXPECT_EQ(EvalErrorOf("contains(5, 1)"), "contains() needs a string, list or tuple, got int");
  EXPECT_EQ(EvalErrorOf("starts_with(1, 'a')"), "starts_with() needs a string, got int");
  EXPECT_EQ(EvalErrorOf("ends_with('a', [])"), "ends_with() needs a string, got list");
}

TEST(ExpressionTest, Split) {
  EXPECT_EQ(Show("split('a b  c', ' ')"), "[a, b, , c]");
  EXPECT_EQ(Eval("split('a, b', ', ')"), Value::List({Value::String("a"), Value::String("b")}));
  EXPECT_EQ(Eval("split('', ',')"), Value::List({Value::String("")}));
  EXPECT_EQ(Eval("len(split(',a,', ','))"), Value::Int(3));
  EXPECT_EQ(Eval("split('abc', 'x')"), Value::List({Value::String("abc")}));
  EXPECT_EQ(EvalErrorOf("split('abc', '')"), "split() needs a non-empty separator");
  EXPECT_EQ(EvalErrorOf("split(1, ',')"), "split() needs a string, got int");
}

TEST(ExpressionTest, CaseAndTrim) {
  EXPECT_EQ(Eval("lower('HeLLo 1!')"), Value::String("hello 1!"));
  EXPECT_EQ(Eval("upper('HeLLo 1!')"), Value::String("HELLO 1!"));
  EXPECT_EQ(Eval("upper('\xc3\xa9')"), Value::String("\xc3\xa9"));  // ASCII only
  EXPECT_EQ(Eval("trim('  a b \\t\\n')"), Value::String("a b"));
  EXPECT_EQ(Eval("trim('   ')"), Value::String(""));
  EXPECT_EQ(EvalErrorOf("lower(1)"), "lower() needs a string, got int");
  EXPECT_EQ(EvalErrorOf("trim(null)"), "trim() needs a string, got null");
}

TEST(ExpressionTest, Conversions) {
  EXPECT_EQ(Eval("to_string(1)"), Value::String("1"));
  EXPECT_EQ(Eval("to_string(1.0)"), Value::String("1.0"));
  EXPECT_EQ(Eval("to_string(('a', [1, null]))"), Value::String("(a,[1, null])"));
  EXPECT_EQ(Eval("to_int('42')"), Value::Int(42));
  EXPECT_EQ(Eval("to_int('-42')"), Value::Int(-42));
  EXPECT_EQ(Eval("to_int('+42')"), Value::Int(42));
  EXPECT_EQ(Eval("to_int(3.9)"), Value::Int(3));
  EXPECT_EQ(Eval("to_int(-3.9)"), Value::Int(-3));
  EXPECT_EQ(Eval("to_int(7)"), Value::Int(7));
  EXPECT_EQ(Eval("to_double('2.5')"), Value::Double(2.5));
  EXPECT_EQ(Eval("to_double('1e3')"), Value::Double(1000.0));
  EXPECT_EQ(Eval("to_double(2)"), Value::Double(2.0));
  EXPECT_EQ(Eval("to_double(0.5)"), Value::Double(0.5));
}

TEST(ExpressionTest, ConversionErrors) {
  EXPECT_EQ(EvalErrorOf("to_int('x1')"), "to_int() cannot parse 'x1'");
  EXPECT_EQ(EvalErrorOf("to_int('1x')"), "to_int() cannot parse '1x'");
  EXPECT_EQ(EvalErrorOf("to_int(' 1')"), "to_int() cannot parse ' 1'");
  EXPECT_EQ(EvalErrorOf("to_int('')"), "to_int() cannot parse ''");
  EXPECT_EQ(EvalErrorOf("to_int('+-1')"), "to_int() cannot parse '+-1'");
  EXPECT_EQ(EvalErrorOf("to_int('99999999999999999999')"),
            "to_int() of '99999999999999999999' is out of range");
  EXPECT_EQ(EvalErrorOf("to_int(1e19)"), "to_int() of 1e+19 is out of range");
  EXPECT_EQ(EvalErrorOf("to_int(true)"), "to_int() needs a string or a number, got bool");
  EXPECT_EQ(EvalErrorOf("to_double('abc')"), "to_double() cannot parse 'abc'");
  EXPECT_EQ(EvalErrorOf("to_double('nan')"), "to_double('nan') is not a finite number");
  EXPECT_EQ(EvalErrorOf("to_double('-inf')"), "to_double('-inf') is not a finite number");
  EXPECT_EQ(EvalErrorOf("sum([1e308, 1e308])"), "1e+308 + 1e+308 is not a finite number");
  EXPECT_EQ(EvalErrorOf("to_double('')"), "to_double() cannot parse ''");
  EXPECT_EQ(EvalErrorOf("to_double([])"), "to_double() needs a string or a number, got list");
}

TEST(ExpressionTest, SumMinMax) {
  EXPECT_EQ(Eval("sum([1, 2, 3])"), Value::Int(6));
  EXPECT_EQ(Eval("sum([])"), Value::Int(0));
  EXPECT_EQ(Eval("sum((1, 2.5))"), Value::Double(3.5));
  EXPECT_EQ(EvalErrorOf("sum([9223372036854775807, 1])"), "integer overflow");
  EXPECT_EQ(EvalErrorOf("sum([1, 'a'])"), "sum() needs numbers, got string");
  EXPECT_EQ(EvalErrorOf("sum(1)"), "sum() needs a list or tuple, got int");
  EXPECT_EQ(Eval("min([3, 1, 2])"), Value::Int(1));
  EXPECT_EQ(Eval("max([3, 1, 2])"), Value::Int(3));
  EXPECT_EQ(Eval("min([])"), Value::Null());
  EXPECT_EQ(Eval("max([])"), Value::Null());
  EXPECT_EQ(Eval("max(['b', 'a', 1])"), Value::String("b"));
  EXPECT_EQ(Eval("min(4, 2)"), Value::Int(2));
  EXPECT_EQ(Eval("max(4, 2)"), Value::Int(4));
  EXPECT_EQ(Eval("min(1, 1.0)"), Value::Int(1));
  EXPECT_EQ(Eval("max(1, 1.0)"), Value::Double(1.0));
  EXPECT_EQ(EvalErrorOf("min('ab')"), "min() needs a list or tuple, got string");
}

TEST(ExpressionTest, CharsRangeAbs) {
  EXPECT_EQ(Show("chars('abc')"), "[a, b, c]");
  EXPECT_EQ(Eval("chars('')"), Value::List({}));
  EXPECT_EQ(Eval("range(2, 5)"), Ints({2, 3, 4}));
  EXPECT_EQ(Eval("range(5, 2)"), Value::List({}));
  EXPECT_EQ(Eval("range(-1, 1)"), Ints({-1, 0}));
  EXPECT_EQ(Eval("len(range(0, 1000000))"), Value::Int(1000000));
  EXPECT_EQ(Eval("abs(-3)"), Value::Int(3));
  EXPECT_EQ(Eval("abs(3)"), Value::Int(3));
  EXPECT_EQ(Eval("abs(-2.5)"), Value::Double(2.5));
  EXPECT_EQ(EvalErrorOf("abs(-9223372036854775808)"), "integer overflow");
  EXPECT_EQ(EvalErrorOf("abs('a')"), "abs() needs a number, got string");
  EXPECT_EQ(EvalErrorOf("range(0, 1.5)"), "range() needs ints, got double");
  EXPECT_EQ(EvalErrorOf("chars(1)"), "chars() needs a string, got int");
}

TEST(ExpressionTest, FailRaisesItsMessage) {
  EXPECT_EQ(EvalErrorOf("fail('boom')"), "boom");
  EXPECT_EQ(EvalErrorOf("fail(('bad', 1))"), "(bad,1)");
  const Value x = Value::Int(-1);
  Bindings bindings;
  bindings.x = &x;
  EXPECT_EQ(EvalErrorOf("if(x < 0, fail('negative: ' + to_string(x)), x)", bindings),
            "negative: -1");
}

}  // namespace
}  // namespace streamsim::records
