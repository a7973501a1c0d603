// Tests for records/expression_lexer.cc, through Expression::Parse: literals (numbers, strings with
// their escapes, keywords, white space), the lexer's errors with their exact message, and positions
// that count lines and bytes.
#include <gtest/gtest.h>

#include "records/expression.h"
#include "records/value.h"
#include "tests/unit/records/expression_test_support.h"

namespace streamsim::records {
namespace {

using testing::Eval;
using testing::kInt64Max;
using testing::kInt64Min;
using testing::ParseErrorOf;

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

}  // namespace
}  // namespace streamsim::records
