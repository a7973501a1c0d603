#include "ledger/recent_values.h"

#include <gtest/gtest.h>

namespace streamsim::ledger {
namespace {

using records::Value;

TEST(RecentValuesTest, KeepsARunOfSequencesUntilForgotten) {
  RecentValues values;
  for (int64_t sequence = 10; sequence < 14; ++sequence) {
    values.Add(sequence, Value::Int(sequence * 2));
  }
  ASSERT_NE(values.Find(12), nullptr);
  EXPECT_EQ(*values.Find(12), Value::Int(24));
  EXPECT_EQ(values.Find(9), nullptr);
  EXPECT_EQ(values.Find(14), nullptr);
  values.ForgetBelow(12);
  EXPECT_EQ(values.Find(11), nullptr);
  EXPECT_EQ(*values.Find(13), Value::Int(26));
  EXPECT_EQ(values.size(), 2U);
}

TEST(RecentValuesTest, AValueTakenIsNoLongerKept) {
  RecentValues values;
  values.Add(0, Value::String("a line"));
  records::Values taken;
  ASSERT_TRUE(values.TakeInto(0, &taken));
  EXPECT_EQ(taken, records::Values{Value::String("a line")});
  EXPECT_EQ(values.Find(0), nullptr);
  EXPECT_FALSE(values.TakeInto(0, &taken));
  EXPECT_EQ(taken.size(), 1U);
}

TEST(RecentValuesTest, AGapStartsTheRunAgain) {
  RecentValues values;
  values.Add(0, Value::Int(0));
  values.Add(1, Value::Int(1));
  values.Add(5, Value::Int(5));
  EXPECT_EQ(values.Find(1), nullptr);
  EXPECT_EQ(*values.Find(5), Value::Int(5));
  EXPECT_EQ(values.size(), 1U);
}

TEST(RecentValuesTest, TheOldestLeaveBeyondTheBound) {
  RecentValues values;
  const auto total = static_cast<int64_t>(RecentValues::kValuesMax) + 3;
  for (int64_t sequence = 0; sequence < total; ++sequence) values.Add(sequence, Value::Int(1));
  EXPECT_EQ(values.size(), RecentValues::kValuesMax);
  EXPECT_EQ(values.Find(2), nullptr);
  EXPECT_NE(values.Find(3), nullptr);
  EXPECT_NE(values.Find(total - 1), nullptr);
}

}  // namespace
}  // namespace streamsim::ledger
