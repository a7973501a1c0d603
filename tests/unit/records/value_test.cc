// Tests for records/value.cc: construction and accessors, the total order across and within kinds
// (including exact int/double comparison and the Java rules for -0.0 and NaN), equality, the
// stable hash (with pinned values so that any change to the hashing is caught), display strings,
// and JSON rendering and parsing. RapidCheck properties check that the order is total and
// consistent with equality and the hash on random values.
#include "records/value.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace streamsim::records {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr double kTwoTo53 = 9007199254740992.0;
constexpr double kTwoTo63 = 9223372036854775808.0;
const double kInfinity = std::numeric_limits<double>::infinity();
const double kNan = std::numeric_limits<double>::quiet_NaN();

Value Ints(std::initializer_list<int64_t> numbers) {
  Values items;
  for (int64_t number : numbers) items.push_back(Value::Int(number));
  return Value::List(std::move(items));
}

Value IntTuple(std::initializer_list<int64_t> numbers) {
  Values items;
  for (int64_t number : numbers) items.push_back(Value::Int(number));
  return Value::Tuple(std::move(items));
}

TEST(ValueTest, KindsAndAccessors) {
  EXPECT_EQ(Value().kind(), Value::Kind::kNull);
  EXPECT_TRUE(Value::Null().is_null());
  EXPECT_EQ(Value::Bool(true).kind(), Value::Kind::kBool);
  EXPECT_TRUE(Value::Bool(true).AsBool());
  EXPECT_EQ(Value::Int(-7).AsInt(), -7);
  EXPECT_EQ(Value::Double(0.5).AsDouble(), 0.5);
  EXPECT_EQ(Value::Int(3).AsDouble(), 3.0);
  EXPECT_EQ(Value::String("hi").AsString(), "hi");
  EXPECT_TRUE(Value::Int(1).is_number());
  EXPECT_TRUE(Value::Double(1).is_number());
  EXPECT_FALSE(Value::String("1").is_number());
  const Value pair = Value::Pair(Value::String("k"), Value::Int(2));
  EXPECT_EQ(pair.kind(), Value::Kind::kTuple);
  EXPECT_TRUE(pair.is_sequence());
  ASSERT_EQ(pair.Items().size(), 2u);
  EXPECT_EQ(pair.Items()[0], Value::String("k"));
  EXPECT_EQ(Ints({1, 2, 3}).kind(), Value::Kind::kList);
  EXPECT_EQ(Ints({1, 2, 3}).Items().size(), 3u);
}

TEST(ValueTest, CopiesShareElements) {
  const Value list = Ints({1, 2, 3});
  const Value copy = list;  // NOLINT: the copy is the point
  EXPECT_EQ(&list.Items(), &copy.Items());
}

TEST(ValueTest, KindNames) {
  EXPECT_STREQ(KindName(Value::Kind::kNull), "null");
  EXPECT_STREQ(KindName(Value::Kind::kBool), "bool");
  EXPECT_STREQ(KindName(Value::Kind::kInt), "int");
  EXPECT_STREQ(KindName(Value::Kind::kDouble), "double");
  EXPECT_STREQ(KindName(Value::Kind::kString), "string");
  EXPECT_STREQ(KindName(Value::Kind::kTuple), "tuple");
  EXPECT_STREQ(KindName(Value::Kind::kList), "list");
}

TEST(ValueDeathTest, AccessorsAbortOnKindMismatch) {
  EXPECT_DEATH(Value::Int(1).AsBool(), "Value::AsBool called on a int value");
  EXPECT_DEATH(Value::Double(1).AsInt(), "Value::AsInt called on a double value");
  EXPECT_DEATH(Value::String("1").AsDouble(), "Value::AsDouble called on a string value");
  EXPECT_DEATH(Value::Null().AsString(), "Value::AsString called on a null value");
  EXPECT_DEATH(Value::String("ab").Items(), "Value::Items called on a string value");
}

// Every value here ranks strictly below the next one.
std::vector<Value> AscendingValues() {
  return {
      Value::Null(),
      Value::Bool(false),
      Value::Bool(true),
      Value::Double(-kInfinity),
      Value::Double(-kTwoTo63 * 2),
      Value::Int(kInt64Min),
      Value::Int(-1),
      Value::Double(-0.5),
      Value::Int(0),
      Value::Double(-0.0),
      Value::Double(0.0),
      Value::Double(0.25),
      Value::Int(1),
      Value::Double(1.0),
      Value::Double(1.5),
      Value::Int(kInt64Max),
      Value::Double(kTwoTo63),
      Value::Double(kInfinity),
      Value::Double(kNan),
      Value::String(""),
      Value::String("B"),
      Value::String("a"),
      Value::String("ab"),
      Value::String("b"),
      Value::String("\xff"),
      Value::Tuple({}),
      IntTuple({1}),
      IntTuple({1, 2}),
      Value::Pair(Value::Int(1), Value::String("a")),
      IntTuple({2}),
      Value::List({}),
      Ints({0, 5}),
      Ints({1}),
      Value::List({IntTuple({1})}),
  };
}

TEST(ValueTest, OrderAcrossAndWithinKinds) {
  const std::vector<Value> values = AscendingValues();
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(values[i] <=> values[i], std::strong_ordering::equal) << i;
    EXPECT_EQ(values[i], values[i]) << i;
    for (size_t j = i + 1; j < values.size(); ++j) {
      EXPECT_LT(values[i], values[j])
          << values[i].ToDisplayString() << " vs " << values[j].ToDisplayString();
      EXPECT_NE(values[i], values[j]);
    }
  }
}

TEST(ValueTest, IntAndDoubleCompareExactly) {
  // 2^53 + 1 is not a double; a rounding comparison would call these equal.
  EXPECT_GT(Value::Int(9007199254740993), Value::Double(kTwoTo53));
  EXPECT_LT(Value::Int(9007199254740991), Value::Double(kTwoTo53));
  EXPECT_LT(Value::Int(9007199254740992), Value::Double(kTwoTo53));  // tie: int first
  // int64 max rounds to 2^63 as a double, but is smaller.
  EXPECT_LT(Value::Int(kInt64Max), Value::Double(kTwoTo63));
  EXPECT_LT(Value::Int(kInt64Min), Value::Double(-kTwoTo63));  // tie: int first
  EXPECT_GT(Value::Int(kInt64Min), Value::Double(-kTwoTo63 - 4096));
  EXPECT_GT(Value::Int(2), Value::Double(1.999999));
  EXPECT_LT(Value::Int(-2), Value::Double(-1.5));
  EXPECT_GT(Value::Int(-1), Value::Double(-1.5));
  EXPECT_GT(Value::Double(2.5), Value::Int(2));
  EXPECT_LT(Value::Double(-2.5), Value::Int(-2));
  EXPECT_GT(Value::Double(1.0), Value::Int(1));  // tie: int first, from either side
}

TEST(ValueTest, IntAndDoubleAreNeverEqual) {
  EXPECT_NE(Value::Int(1), Value::Double(1.0));
  EXPECT_NE(Value::Int(1) <=> Value::Double(1.0), std::strong_ordering::equal);
  EXPECT_NE(Value::Int(0), Value::Double(0.0));
}

TEST(ValueTest, DoublesFollowJavaCompare) {
  EXPECT_LT(Value::Double(-0.0), Value::Double(0.0));
  EXPECT_NE(Value::Double(-0.0), Value::Double(0.0));
  EXPECT_EQ(Value::Double(kNan), Value::Double(-kNan));
  EXPECT_EQ(Value::Double(kNan) <=> Value::Double(std::nan("7")), std::strong_ordering::equal);
  EXPECT_GT(Value::Double(kNan), Value::Double(kInfinity));
  EXPECT_GT(Value::Double(kNan), Value::Int(kInt64Max));
  EXPECT_LT(Value::Double(-kInfinity), Value::Int(kInt64Min));
  EXPECT_LT(Value::Double(kNan), Value::String(""));
}

TEST(ValueTest, StringsCompareAsUnsignedBytes) {
  EXPECT_LT(Value::String("Z"), Value::String("a"));
  EXPECT_LT(Value::String("z"), Value::String("\x80"));
  EXPECT_LT(Value::String("abc"), Value::String("abd"));
  EXPECT_LT(Value::String("ab"), Value::String("abc"));
  EXPECT_EQ(Value::String(std::string("a\0b", 3)), Value::String(std::string("a\0b", 3)));
  EXPECT_LT(Value::String(std::string("a\0b", 3)), Value::String(std::string("a\0c", 3)));
}

TEST(ValueTest, SequencesCompareLexicographicallyThenByLength) {
  EXPECT_LT(Ints({1, 2}), Ints({1, 3}));
  EXPECT_LT(Ints({1, 2}), Ints({1, 2, 0}));
  EXPECT_LT(Ints({1, 9, 9}), Ints({2}));
  EXPECT_EQ(Ints({1, 2}), Ints({1, 2}));
  EXPECT_LT(IntTuple({9, 9}), Ints({0}));  // every tuple ranks below every list
  EXPECT_NE(IntTuple({1, 2}), Ints({1, 2}));
  const Value nested_low = Value::Pair(Value::String("k"), Ints({1}));
  const Value nested_high = Value::Pair(Value::String("k"), Ints({1, 0}));
  EXPECT_LT(nested_low, nested_high);
}

TEST(ValueTest, SortingMixedValuesIsDeterministic) {
  std::vector<Value> values = {Value::String("b"), Value::Int(3), Value::Double(2.5),
                               Value::Null(),      Ints({1}),     Value::Bool(true),
                               Value::Int(2),      IntTuple({0}), Value::Double(2.0)};
  std::sort(values.begin(), values.end());
  std::string rendered;
  for (const Value& value : values) rendered += value.ToDisplayString() + " ";
  EXPECT_EQ(rendered, "null true 2 2.0 2.5 3 b (0) [1] ");
}

TEST(ValueTest, EqualValuesHashEqual) {
  EXPECT_EQ(Ints({1, 2}).Hash(), Ints({1, 2}).Hash());
  EXPECT_EQ(Value::String("word").Hash(), Value::String(std::string("word")).Hash());
  EXPECT_EQ(Value::Double(kNan).Hash(), Value::Double(std::nan("3")).Hash());
  EXPECT_EQ(Value::Pair(Value::Int(1), Value::Null()).Hash(),
            Value::Tuple({Value::Int(1), Value::Null()}).Hash());
}

TEST(ValueTest, DifferentValuesHashDifferently) {
  EXPECT_NE(Value::Int(1).Hash(), Value::Double(1.0).Hash());
  EXPECT_NE(Value::Int(0).Hash(), Value::Bool(false).Hash());
  EXPECT_NE(Value::Int(0).Hash(), Value::Null().Hash());
  EXPECT_NE(IntTuple({1, 2}).Hash(), Ints({1, 2}).Hash());
  EXPECT_NE(Value::Double(0.0).Hash(), Value::Double(-0.0).Hash());
  EXPECT_NE(Value::String("ab").Hash(), Value::Pair(Value::String("a"), Value::String("b")).Hash());
  EXPECT_NE(Ints({1, 2}).Hash(), Ints({2, 1}).Hash());
  EXPECT_NE(Value::String("").Hash(), Value::Tuple({}).Hash());
  EXPECT_NE(Value::Tuple({}).Hash(), Value::List({}).Hash());
}

// Pinned: hash partitioning depends on these, so a change must be deliberate.
TEST(ValueTest, HashValuesArePinned) {
  EXPECT_EQ(Value::Null().Hash(), 0x2d06800538d394c2ULL);
  EXPECT_EQ(Value::Bool(true).Hash(), 0x85671091eda75eb5ULL);
  EXPECT_EQ(Value::Int(1).Hash(), 0x40ec3339838d6d11ULL);
  EXPECT_EQ(Value::Int(-1).Hash(), 0x69ac43b1fe168c79ULL);
  EXPECT_EQ(Value::Double(1.0).Hash(), 0x0a8705fbc29cca53ULL);
  EXPECT_EQ(Value::Double(kNan).Hash(), 0xed9b08ad428a5479ULL);
  EXPECT_EQ(Value::String("hello").Hash(), 0x31b7742134b8f020ULL);
  EXPECT_EQ(Value::Pair(Value::String("a"), Value::Int(1)).Hash(), 0x89d5469ecfa41b14ULL);
  EXPECT_EQ(Ints({1, 2}).Hash(), 0xf6ebad056c2a044aULL);
}

TEST(ValueTest, DisplayStrings) {
  EXPECT_EQ(Value::Null().ToDisplayString(), "null");
  EXPECT_EQ(Value::Bool(true).ToDisplayString(), "true");
  EXPECT_EQ(Value::Bool(false).ToDisplayString(), "false");
  EXPECT_EQ(Value::Int(-42).ToDisplayString(), "-42");
  EXPECT_EQ(Value::Int(kInt64Min).ToDisplayString(), "-9223372036854775808");
  EXPECT_EQ(Value::String("a b").ToDisplayString(), "a b");
  EXPECT_EQ(Value::Pair(Value::String("a"), Value::Int(1)).ToDisplayString(), "(a,1)");
  EXPECT_EQ(Value::Tuple({}).ToDisplayString(), "()");
  EXPECT_EQ(Ints({1, 2, 3}).ToDisplayString(), "[1, 2, 3]");
  EXPECT_EQ(Value::List({}).ToDisplayString(), "[]");
  const Value nested = Value::Pair(Value::String("k"), Value::List({IntTuple({1, 2}), Value()}));
  EXPECT_EQ(nested.ToDisplayString(), "(k,[(1,2), null])");
}

TEST(ValueTest, DoubleDisplayStrings) {
  EXPECT_EQ(Value::Double(1.0).ToDisplayString(), "1.0");
  EXPECT_EQ(Value::Double(0.25).ToDisplayString(), "0.25");
  EXPECT_EQ(Value::Double(0.1).ToDisplayString(), "0.1");
  EXPECT_EQ(Value::Double(-3.0).ToDisplayString(), "-3.0");
  EXPECT_EQ(Value::Double(-0.0).ToDisplayString(), "-0.0");
  EXPECT_EQ(Value::Double(123456789.0).ToDisplayString(), "123456789.0");
  EXPECT_EQ(Value::Double(1e15).ToDisplayString(), "1000000000000000.0");
  EXPECT_EQ(Value::Double(1e16).ToDisplayString(), "1e+16");
  EXPECT_EQ(Value::Double(1e20).ToDisplayString(), "1e+20");
  EXPECT_EQ(Value::Double(1e-5).ToDisplayString(), "1e-05");
  EXPECT_EQ(Value::Double(kInfinity).ToDisplayString(), "inf");
  EXPECT_EQ(Value::Double(-kInfinity).ToDisplayString(), "-inf");
  EXPECT_EQ(Value::Double(kNan).ToDisplayString(), "nan");
}

TEST(ValueTest, ToJson) {
  EXPECT_EQ(Value::Null().ToJson().dump(), "null");
  EXPECT_EQ(Value::Bool(false).ToJson().dump(), "false");
  EXPECT_EQ(Value::Int(-5).ToJson().dump(), "-5");
  EXPECT_EQ(Value::Double(2.0).ToJson().dump(), "2.0");
  EXPECT_EQ(Value::Double(0.5).ToJson().dump(), "0.5");
  EXPECT_EQ(Value::String("q\"").ToJson().dump(), "\"q\\\"\"");
  EXPECT_EQ(Value::Pair(Value::String("a"), Ints({1, 2})).ToJson().dump(), "[\"a\",[1,2]]");
  EXPECT_EQ(Value::List({}).ToJson().dump(), "[]");
}

TEST(ValueTest, FromJson) {
  using nlohmann::json;
  EXPECT_EQ(Value::FromJson(json::parse("null")), Value::Null());
  EXPECT_EQ(Value::FromJson(json::parse("true")), Value::Bool(true));
  EXPECT_EQ(Value::FromJson(json::parse("-12")), Value::Int(-12));
  EXPECT_EQ(Value::FromJson(json::parse("12")), Value::Int(12));
  EXPECT_EQ(Value::FromJson(json::parse("9223372036854775807")), Value::Int(kInt64Max));
  EXPECT_EQ(Value::FromJson(json::parse("18446744073709551615")),
            Value::Double(1.8446744073709552e19));
  EXPECT_EQ(Value::FromJson(json::parse("1.5")), Value::Double(1.5));
  EXPECT_EQ(Value::FromJson(json::parse("2.0")), Value::Double(2.0));
  EXPECT_EQ(Value::FromJson(json::parse("\"s\"")), Value::String("s"));
  EXPECT_EQ(Value::FromJson(json::parse("[\"a\", [1, 2]]")),
            Value::Pair(Value::String("a"), IntTuple({1, 2})));
  EXPECT_EQ(Value::FromJson(json::parse("{\"b\": 2, \"a\": [1]}")),
            Value::List({Value::Pair(Value::String("a"), IntTuple({1})),
                         Value::Pair(Value::String("b"), Value::Int(2))}));
}

TEST(ValueTest, JsonRoundTripKeepsTuples) {
  const Value value =
      Value::Tuple({Value::String("k"), Value::Int(3), Value::Double(0.5), Value::Null(),
                    Value::Bool(true), IntTuple({}), Value::Pair(Value::Int(1), Value::Int(2))});
  EXPECT_EQ(Value::FromJson(value.ToJson()), value);
  EXPECT_EQ(Value::FromJson(nlohmann::json::parse(value.ToJson().dump())), value);
  // Lists come back as tuples: JSON has one array type.
  EXPECT_EQ(Value::FromJson(Ints({1, 2}).ToJson()), IntTuple({1, 2}));
}

// Random values for the properties: every kind, with doubles that include the special ones.
rc::Gen<Value> GenerateValue(int depth) {
  std::vector<rc::Gen<Value>> leaves = {
      rc::gen::just(Value::Null()),
      rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return Value::Bool(b); }),
      rc::gen::map(rc::gen::inRange<int64_t>(-3, 4), [](int64_t i) { return Value::Int(i); }),
      rc::gen::map(rc::gen::arbitrary<int64_t>(), [](int64_t i) { return Value::Int(i); }),
      rc::gen::map(rc::gen::element(-1.5, -0.0, 0.0, 1.0, 2.0, 1e300, kNan, kInfinity, -kInfinity,
                                    kTwoTo63, -kTwoTo63),
                   [](double d) { return Value::Double(d); }),
      rc::gen::map(rc::gen::arbitrary<double>(), [](double d) { return Value::Double(d); }),
      rc::gen::map(rc::gen::container<std::string>(rc::gen::element('a', 'b', '\xff')),
                   [](std::string s) { return Value::String(std::move(s)); }),
  };
  if (depth > 0) {
    auto items = rc::gen::container<Values>(rc::gen::resize(3, GenerateValue(depth - 1)));
    leaves.push_back(rc::gen::map(items, [](Values v) { return Value::Tuple(std::move(v)); }));
    leaves.push_back(rc::gen::map(items, [](Values v) { return Value::List(std::move(v)); }));
  }
  return rc::gen::oneOf(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], leaves[6],
                        depth > 0 ? leaves[7] : leaves[2], depth > 0 ? leaves[8] : leaves[3]);
}

RC_GTEST_PROP(ValueProperty, OrderIsAntisymmetricAndConsistentWithEquality, ()) {
  const Value a = *GenerateValue(2);
  const Value b = *GenerateValue(2);
  const auto forward = a <=> b;
  const auto backward = b <=> a;
  RC_ASSERT(std::is_lt(forward) == std::is_gt(backward));
  RC_ASSERT(std::is_eq(forward) == std::is_eq(backward));
  RC_ASSERT(std::is_eq(forward) == (a == b));
  if (a == b) RC_ASSERT(a.Hash() == b.Hash());
  RC_ASSERT(a == a);
  RC_ASSERT(std::is_eq(a <=> a));
}

RC_GTEST_PROP(ValueProperty, OrderIsTransitive, ()) {
  std::vector<Value> values = *rc::gen::container<std::vector<Value>>(6, GenerateValue(1));
  std::sort(values.begin(), values.end());
  for (size_t i = 0; i < values.size(); ++i) {
    for (size_t j = i + 1; j < values.size(); ++j) RC_ASSERT(values[i] <= values[j]);
  }
}

Value ListsAsTuples(const Value& value) {
  if (!value.is_sequence()) return value;
  Values items;
  for (const Value& item : value.Items()) items.push_back(ListsAsTuples(item));
  return Value::Tuple(std::move(items));
}

RC_GTEST_PROP(ValueProperty, JsonRoundTripTurnsListsIntoTuples, ()) {
  const Value value = *GenerateValue(2);
  const Value rebuilt = Value::FromJson(value.ToJson());
  RC_ASSERT(rebuilt == ListsAsTuples(value));
  RC_ASSERT(rebuilt.Hash() == ListsAsTuples(value).Hash());
}

}  // namespace
}  // namespace streamsim::records
