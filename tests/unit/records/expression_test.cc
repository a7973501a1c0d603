// Tests for records/expression.cc: literals, names and bindings, every operator and function,
// precedence and associativity, parse errors with their exact message, line and column, runtime
// errors with their exact message, the limits on result sizes and nesting, and RapidCheck
// properties that compare integer arithmetic with a reference and feed the parser random text.
#include "records/expression.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace streamsim::records {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

Expression MustParse(std::string_view text) {
  auto parsed = Expression::Parse(text);
  if (parsed.ok()) return std::move(parsed.value());
  const ExpressionError& error = parsed.error();
  ADD_FAILURE() << text << ": " << error.message << " at " << error.line << ":" << error.column;
  return std::move(Expression::Parse("fail('did not parse')").value());
}

Value Eval(std::string_view text, const Bindings& bindings = {}) {
  return MustParse(text).Evaluate(bindings);
}

// The display string keeps assertions on nested results short; kinds are checked separately.
std::string Show(std::string_view text, const Bindings& bindings = {}) {
  return Eval(text, bindings).ToDisplayString();
}

std::string EvalErrorOf(std::string_view text, const Bindings& bindings = {}) {
  const Expression expression = MustParse(text);
  try {
    const Value value = expression.Evaluate(bindings);
    return "no error, got " + value.ToDisplayString();
  } catch (const EvalError& error) {
    return error.what();
  }
}

// "line:column: message", or "parsed" when the text parses.
std::string ParseErrorOf(std::string_view text) {
  const auto parsed = Expression::Parse(text);
  if (parsed.ok()) return "parsed";
  const ExpressionError& error = parsed.error();
  return std::to_string(error.line) + ":" + std::to_string(error.column) + ": " + error.message;
}

Value Ints(std::initializer_list<int64_t> numbers) {
  Values items;
  for (int64_t number : numbers) items.push_back(Value::Int(number));
  return Value::List(std::move(items));
}

TEST(ExpressionTest, Literals) {
  EXPECT_EQ(Eval("42"), Value::Int(42));
  EXPECT_EQ(Eval("0"), Value::Int(0));
  EXPECT_EQ(Eval("9223372036854775807"), Value::Int(kInt64Max));
  EXPECT_EQ(Eval("-9223372036854775808"), Value::Int(kInt64Min));
  EXPECT_EQ(Eval("2.5"), Value::Double(2.5));
  EXPECT_EQ(Eval("1e3"), Value::Double(1000.0));
  EXPECT_EQ(Eval("1.5E-1"), Value::Double(0.15));
  EXPECT_EQ(Eval("-2.0"), Value::Double(-2.0));
  EXPECT_EQ(Eval("\"hi there\""), Value::String("hi there"));
  EXPECT_EQ(Eval("'single'"), Value::String("single"));
  EXPECT_EQ(Eval(R"("a\"b\'c\\d\ne\tf\rg")"), Value::String("a\"b'c\\d\ne\tf\rg"));
  EXPECT_EQ(Eval(R"('it\'s "quoted"')"), Value::String("it's \"quoted\""));
  EXPECT_EQ(Eval("''"), Value::String(""));
  EXPECT_EQ(Eval("true"), Value::Bool(true));
  EXPECT_EQ(Eval("false"), Value::Bool(false));
  EXPECT_EQ(Eval("null"), Value::Null());
  EXPECT_EQ(Eval(" \t\r\n 7 \n"), Value::Int(7));
}

TEST(ExpressionTest, TupleAndListLiterals) {
  EXPECT_EQ(Eval("(1, 'a')"), Value::Pair(Value::Int(1), Value::String("a")));
  EXPECT_EQ(Eval("(1, 2, 3)").Items().size(), 3u);
  EXPECT_EQ(Eval("(1, 2, 3)").kind(), Value::Kind::kTuple);
  EXPECT_EQ(Eval("(5)"), Value::Int(5));  // grouping, not a tuple
  EXPECT_EQ(Eval("[1, 2]"), Ints({1, 2}));
  EXPECT_EQ(Eval("[]"), Value::List({}));
  EXPECT_EQ(Show("[(1, [2, 'x']), null, [], 0.5]"), "[(1,[2, x]), null, [], 0.5]");
}

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

TEST(ExpressionTest, ParseErrorsFromTheLexer) {
  EXPECT_EQ(ParseErrorOf("'abc"), "1:1: unterminated string");
  EXPECT_EQ(ParseErrorOf("x + \"abc\\"), "1:5: unterminated string");
  EXPECT_EQ(ParseErrorOf("'a\\qb'"), "1:3: unknown escape '\\q'");
  EXPECT_EQ(ParseErrorOf("1 = 2"), "1:3: unexpected '='; compare with '=='");
  EXPECT_EQ(ParseErrorOf("true & false"), "1:6: unexpected '&'; use '&&'");
  EXPECT_EQ(ParseErrorOf("true | false"), "1:6: unexpected '|'; use '||'");
  EXPECT_EQ(ParseErrorOf("1 # 2"), "1:3: unexpected character '#'");
  EXPECT_EQ(ParseErrorOf("1 \x01"), "1:3: unexpected byte 0x01");
  EXPECT_EQ(ParseErrorOf(".5"), "1:1: unexpected character '.'");
  EXPECT_EQ(ParseErrorOf("1.e5"), "1:3: expected a digit after '.' in '1.'");
  EXPECT_EQ(ParseErrorOf("2e+"), "1:4: expected a digit in the exponent in '2e+'");
  EXPECT_EQ(ParseErrorOf("9223372036854775808"),
            "1:1: number '9223372036854775808' is out of range");
  EXPECT_EQ(ParseErrorOf("1 + 99999999999999999999"),
            "1:5: number '99999999999999999999' is out of range");
  EXPECT_EQ(ParseErrorOf("1e999"), "1:1: number '1e999' is out of range");
}

TEST(ExpressionTest, ParseErrorPositionsCountLinesAndBytes) {
  EXPECT_EQ(ParseErrorOf("x +\n  y"), "2:3: unknown name 'y'");
  EXPECT_EQ(ParseErrorOf("'two\nlines' + \n\n z"), "4:2: unknown name 'z'");
  EXPECT_EQ(ParseErrorOf("'\xc3\xa9' + q"), "1:8: unknown name 'q'");  // columns count bytes
  EXPECT_EQ(ParseErrorOf("(1,\n 2"), "2:3: expected ',' or ')' but found end of expression");
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
