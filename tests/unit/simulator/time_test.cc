// Tests simulator/time: Duration and Instant arithmetic, ParseDuration and FormatDuration.
#include "simulator/time.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <string>

namespace streamsim::sim {
namespace {

// Parses `text`, failing the test when it is rejected; returns the microseconds.
int64_t ParsedMicros(const std::string& text) {
  Duration parsed = Duration::Micros(-12345);
  EXPECT_TRUE(ParseDuration(text, &parsed)) << "rejected: \"" << text << "\"";
  return parsed.us;
}

bool Rejects(const std::string& text) {
  Duration parsed;
  return !ParseDuration(text, &parsed);
}

TEST(DurationTest, ConstructorsScaleToMicroseconds) {
  EXPECT_EQ(Duration::Micros(7).us, 7);
  EXPECT_EQ(Duration::Millis(7).us, 7000);
  EXPECT_EQ(Duration::Seconds(7).us, 7000000);
  EXPECT_EQ(Duration::Micros(2500).millis(), 2);
  EXPECT_DOUBLE_EQ(Duration::Millis(1500).seconds(), 1.5);
}

TEST(DurationTest, Arithmetic) {
  const Duration a = Duration::Millis(3);
  const Duration b = Duration::Micros(500);
  EXPECT_EQ((a + b).us, 3500);
  EXPECT_EQ((a - b).us, 2500);
  EXPECT_EQ((a * 4).us, 12000);
  EXPECT_EQ((4 * a).us, 12000);
  EXPECT_EQ(a / b, 6);
  EXPECT_EQ((Duration::Micros(3700) % Duration::Millis(1)).us, 700);
  Duration c = a;
  c += b;
  EXPECT_EQ(c.us, 3500);
  EXPECT_LT(b, a);
  EXPECT_EQ(Duration::Millis(1), Duration::Micros(1000));
}

TEST(InstantTest, Arithmetic) {
  const Instant t = Instant::Zero() + Duration::Millis(5);
  EXPECT_EQ(t.us, 5000);
  EXPECT_EQ(t.millis(), 5);
  EXPECT_EQ((t - Duration::Millis(2)).us, 3000);
  EXPECT_EQ((t - Instant{1000}).us, 4000);
  EXPECT_LT(Instant::Zero(), t);
  EXPECT_EQ(Instant::Zero().us, 0);
}

TEST(ParseDurationTest, AcceptsEveryUnitWithExactMicroseconds) {
  EXPECT_EQ(ParsedMicros("10ms"), 10000);
  EXPECT_EQ(ParsedMicros("1.5s"), 1500000);
  EXPECT_EQ(ParsedMicros("2m"), 120000000);
  EXPECT_EQ(ParsedMicros("2min"), 120000000);
  EXPECT_EQ(ParsedMicros("1h"), 3600000000);
  EXPECT_EQ(ParsedMicros("250us"), 250);
  EXPECT_EQ(ParsedMicros("0.001s"), 1000);
}

TEST(ParseDurationTest, AcceptsFractionsDownToOneMicrosecond) {
  EXPECT_EQ(ParsedMicros("0s"), 0);
  EXPECT_EQ(ParsedMicros("1.000001s"), 1000001);
  EXPECT_EQ(ParsedMicros("0.5ms"), 500);
  EXPECT_EQ(ParsedMicros("1.5m"), 90000000);
  EXPECT_EQ(ParsedMicros("0.25h"), 900000000);
  EXPECT_EQ(ParsedMicros("0.000001h"), 3600);
  EXPECT_EQ(ParsedMicros("1.000us"), 1);  // trailing zeros below a microsecond are exact
  EXPECT_EQ(ParsedMicros("007ms"), 7000);
  EXPECT_EQ(ParsedMicros("999999999999s"), 999999999999000000);
}

TEST(ParseDurationTest, RejectsMalformedText) {
  EXPECT_TRUE(Rejects("ten"));
  EXPECT_TRUE(Rejects(""));
  EXPECT_TRUE(Rejects("1"));
  EXPECT_TRUE(Rejects("s"));
  EXPECT_TRUE(Rejects("1.5.2s"));
  EXPECT_TRUE(Rejects("-1s"));
  EXPECT_TRUE(Rejects("+1s"));
  EXPECT_TRUE(Rejects("1 s"));
  EXPECT_TRUE(Rejects(" 1s"));
  EXPECT_TRUE(Rejects("1s "));
  EXPECT_TRUE(Rejects(".5s"));
  EXPECT_TRUE(Rejects("5.s"));
  EXPECT_TRUE(Rejects("1e3s"));
  EXPECT_TRUE(Rejects("1x"));
  EXPECT_TRUE(Rejects("1S"));
  EXPECT_TRUE(Rejects("1msx"));
  EXPECT_TRUE(Rejects("1sec"));
}

TEST(ParseDurationTest, RejectsPrecisionFinerThanOneMicrosecond) {
  EXPECT_TRUE(Rejects("1.0000001s"));
  EXPECT_TRUE(Rejects("1.5us"));
  EXPECT_TRUE(Rejects("0.0001ms"));
}

TEST(ParseDurationTest, RejectsValuesThatDoNotFitInSixtyFourBits) {
  EXPECT_TRUE(Rejects("1000000000000s"));  // more than 12 integer digits
  EXPECT_TRUE(Rejects("999999999999h"));   // 3.6e21 us
  EXPECT_TRUE(Rejects("999999999999m"));   // 6e19 us
  EXPECT_TRUE(Rejects("2562047789h"));     // just above INT64_MAX microseconds
}

TEST(ParseDurationTest, AcceptsLargeValuesThatFit) {
  EXPECT_EQ(ParsedMicros("2562047787.999999h"), 9223372036799996400);
  EXPECT_EQ(ParsedMicros("153722867279m"), 9223372036740000000);
}

TEST(FormatDurationTest, SpellsDurationsTheWayScenariosDo) {
  EXPECT_EQ(FormatDuration(Duration::Seconds(1)), "1s");
  EXPECT_EQ(FormatDuration(Duration::Millis(200)), "200ms");
  EXPECT_EQ(FormatDuration(Duration::Millis(1500)), "1.5s");
  EXPECT_EQ(FormatDuration(Duration::Micros(12)), "12us");
  EXPECT_EQ(FormatDuration(Duration{}), "0s");
  EXPECT_EQ(FormatDuration(Duration::Millis(1001)), "1.001s");
  EXPECT_EQ(FormatDuration(Duration::Micros(2500)), "2500us");
  EXPECT_EQ(FormatDuration(Duration::Micros(1000001)), "1000001us");
  EXPECT_EQ(FormatDuration(Duration::Seconds(3600)), "3600s");
}

TEST(FormatDurationTest, RoundTripsExamples) {
  for (const int64_t us : {0LL, 1LL, 999LL, 1000LL, 1500LL, 999999LL, 1000000LL, 1000001LL,
                           1001000LL, 1500000LL, 59999000LL, 3600000000LL, 999999999999LL}) {
    const std::string text = FormatDuration(Duration::Micros(us));
    EXPECT_EQ(ParsedMicros(text), us) << text;
  }
}

// FormatDuration writes at most 12 integer digits below 10^12 us (about 11.5 simulated days), the
// parser's limit; every such duration must read back unchanged.
RC_GTEST_PROP(FormatDurationProperty, ParseInvertsFormat, ()) {
  const int64_t us = *rc::gen::inRange<int64_t>(0, 1000000000000);
  const std::string text = FormatDuration(Duration::Micros(us));
  Duration parsed;
  RC_ASSERT(ParseDuration(text, &parsed));
  RC_ASSERT(parsed.us == us);
}

RC_GTEST_PROP(FormatDurationProperty, ParseInvertsFormatOfWholeMilliseconds, ()) {
  const int64_t ms = *rc::gen::inRange<int64_t>(0, 1000000000);
  const std::string text = FormatDuration(Duration::Millis(ms));
  Duration parsed;
  RC_ASSERT(ParseDuration(text, &parsed));
  RC_ASSERT(parsed.us == ms * 1000);
}

}  // namespace
}  // namespace streamsim::sim
