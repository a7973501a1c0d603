#include "checker/verdict.h"

#include <gtest/gtest.h>

namespace streamsim::checker {
namespace {

TEST(VerdictTest, NamesRoundTrip) {
  for (Verdict verdict :
       {Verdict::kExactlyOnce, Verdict::kAtLeastOnce, Verdict::kAtMostOnce,
        Verdict::kLossAndDuplication, Verdict::kStateDivergence, Verdict::kLivenessFailure}) {
    EXPECT_EQ(ParseVerdict(VerdictName(verdict)), verdict);
  }
  EXPECT_EQ(VerdictName(Verdict::kLossAndDuplication), "loss-and-duplication");
  EXPECT_EQ(ParseVerdict("exactly once"), std::nullopt);
  EXPECT_EQ(ParseGuarantee("at-most-once"), Guarantee::kAtMostOnce);
  EXPECT_EQ(ParseGuarantee("state-divergence"), std::nullopt);
}

TEST(VerdictTest, WeakerVerdictsBreakStrongerGuarantees) {
  EXPECT_TRUE(Satisfies(Verdict::kExactlyOnce, Guarantee::kExactlyOnce));
  EXPECT_TRUE(Satisfies(Verdict::kExactlyOnce, Guarantee::kAtMostOnce));
  EXPECT_FALSE(Satisfies(Verdict::kAtLeastOnce, Guarantee::kExactlyOnce));
  EXPECT_TRUE(Satisfies(Verdict::kAtLeastOnce, Guarantee::kAtLeastOnce));
  EXPECT_FALSE(Satisfies(Verdict::kAtLeastOnce, Guarantee::kAtMostOnce));
  EXPECT_FALSE(Satisfies(Verdict::kAtMostOnce, Guarantee::kAtLeastOnce));
  EXPECT_FALSE(Satisfies(Verdict::kLossAndDuplication, Guarantee::kAtLeastOnce));
  EXPECT_FALSE(Satisfies(Verdict::kStateDivergence, Guarantee::kAtMostOnce));
  EXPECT_FALSE(Satisfies(Verdict::kLivenessFailure, Guarantee::kAtMostOnce));
  EXPECT_TRUE(Satisfies(Verdict::kLivenessFailure, Guarantee::kNone));
}

}  // namespace
}  // namespace streamsim::checker
