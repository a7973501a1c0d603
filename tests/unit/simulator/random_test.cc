// Tests simulator/random: the pinned xoshiro256** sequence, child streams and the distributions.
#include "simulator/random.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <vector>

namespace streamsim::sim {
namespace {

std::vector<uint64_t> Draw(Prng& prng, int count) {
  std::vector<uint64_t> values;
  for (int i = 0; i < count; ++i) values.push_back(prng.NextU64());
  return values;
}

// The published SplitMix64 reference output for state 0.
TEST(SplitMix64Test, MatchesReferenceOutput) {
  uint64_t state = 0;
  EXPECT_EQ(SplitMix64(&state), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(SplitMix64(&state), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(SplitMix64(&state), 0x06C45D188009454FULL);
  EXPECT_EQ(state, 3 * 0x9E3779B97F4A7C15ULL);
}

// Pinned values (checked against an independent implementation of xoshiro256** seeded by
// SplitMix64). If this fails the generator changed, and every recorded seed replays differently.
TEST(PrngTest, FirstValuesForSeedZeroArePinned) {
  Prng prng(0);
  EXPECT_EQ(Draw(prng, 5), (std::vector<uint64_t>{0x99EC5F36CB75F2B4ULL, 0xBF6E1F784956452AULL,
                                                  0x1A5F849D4933E6E0ULL, 0x6AA594F1262D2D2CULL,
                                                  0xBBA5AD4A1F842E59ULL}));
}

TEST(PrngTest, FirstValuesForSeed42ArePinned) {
  Prng prng(42);
  EXPECT_EQ(prng.seed(), 42u);
  EXPECT_EQ(Draw(prng, 5), (std::vector<uint64_t>{0x15780B2E0C2EC716ULL, 0x6104D9866D113A7EULL,
                                                  0xAE17533239E499A1ULL, 0xECB8AD4703B360A1ULL,
                                                  0xFDE6DC7FE2EC5E64ULL}));
}

// Pins the child derivation (XXH64 of the purpose mixed into the seed).
TEST(PrngTest, ChildSeedAndValuesArePinned) {
  Prng child = Prng(42).Child("workload");
  EXPECT_EQ(child.seed(), 0x76E56C90657AE730ULL);
  EXPECT_EQ(Draw(child, 3), (std::vector<uint64_t>{0x13FEEFB1A6949850ULL, 0x3913184A6ABD1203ULL,
                                                   0xF4DB56633FAB7703ULL}));
}

TEST(PrngTest, SameSeedGivesSameSequence) {
  Prng a(123456789);
  Prng b(123456789);
  EXPECT_EQ(Draw(a, 100), Draw(b, 100));
}

TEST(PrngTest, DifferentSeedsGiveDifferentSequences) {
  Prng a(1);
  Prng b(2);
  EXPECT_NE(Draw(a, 10), Draw(b, 10));
}

TEST(PrngTest, ChildDoesNotDependOnDrawsFromTheParent) {
  Prng parent(99);
  const std::vector<uint64_t> fresh = [&] {
    Prng child = parent.Child("x");
    return Draw(child, 20);
  }();
  Draw(parent, 1000);
  Prng later = parent.Child("x");
  EXPECT_EQ(Draw(later, 20), fresh);
}

TEST(PrngTest, DrawingFromAChildDoesNotChangeTheParent) {
  Prng parent(99);
  Prng untouched(99);
  Prng child = parent.Child("x");
  Draw(child, 50);
  EXPECT_EQ(Draw(parent, 10), Draw(untouched, 10));
}

TEST(PrngTest, DifferentPurposesGiveDifferentStreams) {
  const Prng root(7);
  Prng workload = root.Child("workload");
  Prng network = root.Child("network");
  Prng faults = root.Child("faults/random");
  EXPECT_NE(workload.seed(), network.seed());
  EXPECT_NE(workload.seed(), faults.seed());
  EXPECT_NE(network.seed(), faults.seed());
  const std::vector<uint64_t> w = Draw(workload, 10);
  const std::vector<uint64_t> n = Draw(network, 10);
  const std::vector<uint64_t> f = Draw(faults, 10);
  EXPECT_NE(w, n);
  EXPECT_NE(w, f);
  EXPECT_NE(n, f);
}

TEST(PrngTest, ChildDiffersFromParentAndFromSameNameUnderAnotherSeed) {
  Prng parent(7);
  Prng child = parent.Child("workload");
  EXPECT_NE(child.seed(), parent.seed());
  EXPECT_NE(Draw(child, 10), Draw(parent, 10));
  EXPECT_NE(Prng(7).Child("workload").seed(), Prng(8).Child("workload").seed());
}

TEST(PrngTest, GrandchildrenAreDeterministic) {
  EXPECT_EQ(Prng(5).Child("a").Child("b").seed(), Prng(5).Child("a").Child("b").seed());
  EXPECT_NE(Prng(5).Child("a").Child("b").seed(), Prng(5).Child("b").Child("a").seed());
}

TEST(PrngTest, UniformIntStaysInBoundsAndCoversASmallRange) {
  Prng prng(11);
  std::set<int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const int64_t value = prng.UniformInt(-3, 3);
    ASSERT_GE(value, -3);
    ASSERT_LE(value, 3);
    seen.insert(value);
  }
  EXPECT_EQ(seen, (std::set<int64_t>{-3, -2, -1, 0, 1, 2, 3}));
}

TEST(PrngTest, UniformIntIsRoughlyUniform) {
  Prng prng(12);
  std::vector<int> counts(10, 0);
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) ++counts[prng.UniformInt(0, 9)];
  // Expected 10000 per bucket, standard deviation about 95.
  for (int count : counts) {
    EXPECT_GT(count, 9500);
    EXPECT_LT(count, 10500);
  }
}

TEST(PrngTest, UniformIntWithOneValueReturnsIt) {
  Prng prng(13);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(prng.UniformInt(42, 42), 42);
  EXPECT_EQ(prng.UniformInt(-5, -5), -5);
}

TEST(PrngTest, UniformIntHandlesTheExtremes) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Prng full(14);
  Prng raw(14);
  // The whole int64 range is the raw 64-bit draw reinterpreted.
  EXPECT_EQ(full.UniformInt(kMin, kMax), static_cast<int64_t>(raw.NextU64()));
  Prng prng(15);
  bool saw_negative = false;
  bool saw_positive = false;
  for (int i = 0; i < 100; ++i) {
    const int64_t value = prng.UniformInt(kMin, kMax);
    saw_negative |= value < 0;
    saw_positive |= value > 0;
    const int64_t top = prng.UniformInt(kMax - 1, kMax);
    EXPECT_GE(top, kMax - 1);
    const int64_t bottom = prng.UniformInt(kMin, kMin + 1);
    EXPECT_LE(bottom, kMin + 1);
  }
  EXPECT_TRUE(saw_negative);
  EXPECT_TRUE(saw_positive);
}

RC_GTEST_PROP(PrngProperty, UniformIntStaysInBounds, (uint64_t seed, int64_t a, int64_t b)) {
  const int64_t lo = std::min(a, b);
  const int64_t hi = std::max(a, b);
  Prng prng(seed);
  for (int i = 0; i < 20; ++i) {
    const int64_t value = prng.UniformInt(lo, hi);
    RC_ASSERT(value >= lo);
    RC_ASSERT(value <= hi);
  }
}

TEST(PrngTest, UniformDoubleIsInUnitIntervalWithMeanOneHalf) {
  Prng prng(16);
  double sum = 0;
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) {
    const double value = prng.UniformDouble();
    ASSERT_GE(value, 0.0);
    ASSERT_LT(value, 1.0);
    sum += value;
  }
  EXPECT_NEAR(sum / draws, 0.5, 0.005);  // standard error about 0.0009
}

TEST(PrngTest, UniformDoubleUsesTheTop53Bits) {
  Prng prng(42);
  // First raw draw for seed 42 is 0x15780B2E0C2EC716.
  EXPECT_EQ(prng.UniformDouble(), static_cast<double>(0x15780B2E0C2EC716ULL >> 11) * 0x1.0p-53);
}

TEST(PrngTest, BernoulliEdgesAreCertain) {
  Prng prng(17);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(prng.Bernoulli(0.0));
    ASSERT_FALSE(prng.Bernoulli(-0.5));
    ASSERT_TRUE(prng.Bernoulli(1.0));
    ASSERT_TRUE(prng.Bernoulli(1.5));
  }
}

TEST(PrngTest, BernoulliFrequencyMatchesProbability) {
  Prng prng(18);
  int hits = 0;
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) hits += prng.Bernoulli(0.3) ? 1 : 0;
  // Expected 30000, standard deviation about 145.
  EXPECT_GT(hits, 29000);
  EXPECT_LT(hits, 31000);
}

TEST(PrngTest, ExponentialMeanIsCloseToRequested) {
  for (const double mean : {1.0, 250.0, 40000.0}) {
    Prng prng(19);
    double sum = 0;
    const int draws = 100000;
    for (int i = 0; i < draws; ++i) {
      const double value = prng.Exponential(mean);
      ASSERT_GE(value, 0.0);
      sum += value;
    }
    // The standard error of the mean is mean / sqrt(100000), about 0.3% of the mean.
    EXPECT_NEAR(sum / draws, mean, mean * 0.015) << "mean " << mean;
  }
}

TEST(PrngTest, ExponentialMedianIsMeanTimesLnTwo) {
  Prng prng(20);
  const double mean = 1000.0;
  int below = 0;
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) below += prng.Exponential(mean) < mean * 0.693147 ? 1 : 0;
  EXPECT_GT(below, 49000);
  EXPECT_LT(below, 51000);
}

TEST(PrngTest, LatencyStaysWithinMinAndMax) {
  Prng prng(21);
  const LatencyDistribution distribution{Duration::Micros(500), Duration::Micros(1000),
                                         Duration::Millis(5)};
  bool saw_min = false;
  bool saw_max = false;
  bool saw_between = false;
  for (int i = 0; i < 100000; ++i) {
    const Duration latency = prng.Latency(distribution);
    ASSERT_GE(latency, distribution.min);
    ASSERT_LE(latency, distribution.max);
    saw_min |= latency == distribution.min;
    saw_max |= latency == distribution.max;
    saw_between |= latency > distribution.min && latency < distribution.max;
  }
  EXPECT_TRUE(saw_min);  // excess below 1us happens with probability ~1/500 per draw
  EXPECT_TRUE(saw_max);  // truncation happens with probability e^-9 ~ 1/8100 per draw
  EXPECT_TRUE(saw_between);
}

TEST(PrngTest, LatencyMeanMatchesWhenMaxIsFarAway) {
  Prng prng(22);
  const LatencyDistribution distribution{Duration::Millis(1), Duration::Millis(3),
                                         Duration::Seconds(100)};
  double sum_us = 0;
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) sum_us += static_cast<double>(prng.Latency(distribution).us);
  // Truncation to whole microseconds lowers the mean by about half a microsecond.
  EXPECT_NEAR(sum_us / draws, 3000.0, 30.0);
}

TEST(PrngTest, LatencyIsConstantWhenMinEqualsMax) {
  Prng prng(23);
  const LatencyDistribution constant{Duration::Millis(3), Duration::Millis(3), Duration::Millis(3)};
  for (int i = 0; i < 100; ++i) EXPECT_EQ(prng.Latency(constant), Duration::Millis(3));
}

TEST(PrngTest, LatencyIsConstantWhenMeanEqualsMin) {
  Prng prng(24);
  const LatencyDistribution no_excess{Duration::Millis(2), Duration::Millis(2),
                                      Duration::Millis(9)};
  for (int i = 0; i < 100; ++i) EXPECT_EQ(prng.Latency(no_excess), Duration::Millis(2));
}

}  // namespace
}  // namespace streamsim::sim
