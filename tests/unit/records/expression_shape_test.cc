#include "records/expression_shape.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace streamsim::records {
namespace {

using Kind = ExpressionShape::Kind;

Expression Parsed(const std::string& text) {
  auto parsed = Expression::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.value();
}

TEST(ExpressionShapeTest, RecognisesTheFormsPipelinesWrite) {
  EXPECT_EQ(Parsed("a + b").Shape().kind, Kind::kSumOfAAndB);
  EXPECT_EQ(Parsed("contains(x, \"error\")").Shape().kind, Kind::kXContainsLiteral);
  EXPECT_EQ(Parsed("contains(x, \"error\")").Shape().literal, Value::String("error"));
  EXPECT_EQ(Parsed("split(x, \" \")").Shape().kind, Kind::kSplitXOnLiteral);
  EXPECT_EQ(Parsed("(x, 1)").Shape().kind, Kind::kPairOfXAndLiteral);
  EXPECT_EQ(Parsed("(x, 1)").Shape().literal, Value::Int(1));
}

TEST(ExpressionShapeTest, AnythingElseIsEvaluated) {
  for (const char* text :
       {"b + a", "a + b + 1", "contains(x, 1)", "contains(\"e\", x)", "split(x, \"\")",
        "split(x, k)", "(x, x)", "(1, x)", "(x, 1, 2)", "x * 2"}) {
    EXPECT_EQ(Parsed(text).Shape().kind, Kind::kOther) << text;
  }
}

TEST(ExpressionShapeTest, AnOverflowingSumIsLeftToTheEvaluator) {
  Value sum;
  EXPECT_TRUE(SumInts(Value::Int(2), Value::Int(3), &sum));
  EXPECT_EQ(sum, Value::Int(5));
  EXPECT_FALSE(SumInts(Value::Int(std::numeric_limits<int64_t>::max()), Value::Int(1), &sum));
  EXPECT_FALSE(SumInts(Value::Int(1), Value::Double(1.0), &sum));
  EXPECT_FALSE(SumInts(Value::String("a"), Value::String("b"), &sum));
}

TEST(ExpressionShapeTest, SplitKeepsEmptyFieldsAsTheEvaluatorDoes) {
  Values fields{Value::Int(0)};
  ASSERT_TRUE(AppendSplit("a,,b,", ",", &fields));
  EXPECT_EQ(fields, (Values{Value::Int(0), Value::String("a"), Value::String(""),
                            Value::String("b"), Value::String("")}));
}

// Computing a shape natively gives what the evaluator gives, for any text and any ints.
RC_GTEST_PROP(ExpressionShapeProperty, NativeComputationEqualsTheEvaluator, ()) {
  const auto alphabet = rc::gen::elementOf(std::string("ab ,"));
  const std::string text = *rc::gen::container<std::string>(alphabet);
  const std::string literal = *rc::gen::nonEmpty(rc::gen::container<std::string>(alphabet));
  const Value x = Value::String(text);
  Bindings bindings;
  bindings.x = &x;

  const std::string quoted_text = "\"" + literal + "\"";  // no quote or backslash in it
  const Expression split = Parsed("split(x, " + quoted_text + ")");
  Values fields;
  RC_ASSERT(AppendSplit(text, literal, &fields));
  RC_ASSERT(Value::List(fields) == split.Evaluate(bindings));

  const Expression contains = Parsed("contains(x, " + quoted_text + ")");
  RC_ASSERT(Value::Bool(text.find(literal) != std::string::npos) == contains.Evaluate(bindings));

  const Value a = Value::Int(*rc::gen::arbitrary<int64_t>());
  const Value b = Value::Int(*rc::gen::arbitrary<int64_t>());
  Bindings operands;
  operands.a = &a;
  operands.b = &b;
  Value sum;
  if (SumInts(a, b, &sum)) RC_ASSERT(sum == Parsed("a + b").Evaluate(operands));
}

}  // namespace
}  // namespace streamsim::records
