// Tests simulator/trace: line format, the sink, and the XXH64 run fingerprint over the lines.
#include "simulator/trace.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace streamsim::sim {
namespace {

// XXH64 (seed 0) of `bytes`, computed in one shot, independently of Trace's streaming state.
uint64_t Hash(const std::string& bytes) { return XXH64(bytes.data(), bytes.size(), 0); }

TEST(TraceTest, EmptyTraceFingerprintIsTheHashOfNothing) {
  Trace trace;
  EXPECT_EQ(trace.lines(), 0u);
  EXPECT_EQ(trace.Fingerprint(), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(trace.FingerprintHex(), "ef46db3751d8e999");
}

TEST(TraceTest, FingerprintIsTheHashOfTheConcatenatedLines) {
  Trace trace;
  trace.Record(Instant{0}, "node", "start driver");
  trace.Record(Instant{1500}, "net", "drop loss block a->b");
  EXPECT_EQ(trace.lines(), 2u);
  EXPECT_EQ(trace.Fingerprint(), Hash("0 node start driver\n1500 net drop loss block a->b\n"));
}

TEST(TraceTest, SameLinesGiveSameFingerprint) {
  Trace a;
  Trace b;
  for (Trace* trace : {&a, &b}) {
    trace->Record(Instant{10}, "batch", "start 1000");
    trace->Record(Instant{20}, "batch", "done 1000");
  }
  EXPECT_EQ(a.Fingerprint(), b.Fingerprint());
  EXPECT_EQ(a.FingerprintHex(), b.FingerprintHex());
}

TEST(TraceTest, OneByteDifferentGivesDifferentFingerprint) {
  Trace a;
  Trace b;
  a.Record(Instant{10}, "batch", "start 1000");
  b.Record(Instant{10}, "batch", "start 1001");
  EXPECT_NE(a.Fingerprint(), b.Fingerprint());
}

TEST(TraceTest, EachFieldTakesPartInTheFingerprint) {
  Trace base;
  Trace other_time;
  Trace other_category;
  base.Record(Instant{10}, "batch", "x");
  other_time.Record(Instant{11}, "batch", "x");
  other_category.Record(Instant{10}, "batcH", "x");
  EXPECT_NE(base.Fingerprint(), other_time.Fingerprint());
  EXPECT_NE(base.Fingerprint(), other_category.Fingerprint());
  EXPECT_NE(other_time.Fingerprint(), other_category.Fingerprint());
}

TEST(TraceTest, OrderOfLinesMatters) {
  Trace a;
  Trace b;
  a.Record(Instant{5}, "x", "one");
  a.Record(Instant{5}, "x", "two");
  b.Record(Instant{5}, "x", "two");
  b.Record(Instant{5}, "x", "one");
  EXPECT_NE(a.Fingerprint(), b.Fingerprint());
}

// The newline separates lines, so shifting text between two lines changes the fingerprint.
TEST(TraceTest, LineBoundariesMatter) {
  Trace a;
  Trace b;
  a.Record(Instant{1}, "c", "ab");
  a.Record(Instant{1}, "c", "c");
  b.Record(Instant{1}, "c", "a");
  b.Record(Instant{1}, "c", "bc");
  EXPECT_NE(a.Fingerprint(), b.Fingerprint());
}

TEST(TraceTest, FingerprintCanBeReadMidwayWithoutDisturbingIt) {
  Trace a;
  Trace b;
  a.Record(Instant{1}, "c", "first");
  const uint64_t midway = a.Fingerprint();
  a.Record(Instant{2}, "c", "second");
  b.Record(Instant{1}, "c", "first");
  b.Record(Instant{2}, "c", "second");
  EXPECT_EQ(midway, Hash("1 c first\n"));
  EXPECT_EQ(a.Fingerprint(), b.Fingerprint());
}

TEST(TraceTest, SinkReceivesEachFormattedLine) {
  Trace trace;
  std::vector<std::string> lines;
  trace.SetSink([&lines](std::string_view line) { lines.emplace_back(line); });
  trace.Record(Instant{0}, "node", "start a");
  trace.Record(Instant{1234567}, "net", "partition 1");
  trace.Record(Instant{42}, "empty", "");
  EXPECT_EQ(lines, (std::vector<std::string>{"0 node start a\n", "1234567 net partition 1\n",
                                             "42 empty \n"}));
  EXPECT_EQ(trace.lines(), 3u);
}

TEST(TraceTest, SinkDoesNotChangeTheFingerprint) {
  Trace with_sink;
  Trace without_sink;
  std::string all;
  with_sink.SetSink([&all](std::string_view line) { all += line; });
  for (Trace* trace : {&with_sink, &without_sink}) {
    trace->Record(Instant{3}, "a", "b");
    trace->Record(Instant{4}, "c", "d");
  }
  EXPECT_EQ(with_sink.Fingerprint(), without_sink.Fingerprint());
  EXPECT_EQ(with_sink.Fingerprint(), Hash(all));
}

TEST(TraceTest, LinesRecordedBeforeTheSinkIsSetAreNotReplayed) {
  Trace trace;
  trace.Record(Instant{1}, "early", "x");
  std::vector<std::string> lines;
  trace.SetSink([&lines](std::string_view line) { lines.emplace_back(line); });
  trace.Record(Instant{2}, "late", "y");
  EXPECT_EQ(lines, (std::vector<std::string>{"2 late y\n"}));
  EXPECT_EQ(trace.lines(), 2u);
}

TEST(TraceTest, FingerprintHexIsSixteenLowercaseHexDigits) {
  for (int i = 0; i < 50; ++i) {
    Trace trace;
    trace.Record(Instant{i}, "k", std::to_string(i * 7919));
    const std::string hex = trace.FingerprintHex();
    ASSERT_EQ(hex.size(), 16u) << hex;
    for (const char c : hex) {
      ASSERT_TRUE(std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f')) << hex;
    }
    EXPECT_EQ(std::stoull(hex, nullptr, 16), trace.Fingerprint());
  }
}

// A fingerprint with leading zero nibbles must still print all 16 digits.
TEST(TraceTest, FingerprintHexKeepsLeadingZeros) {
  // Search deterministically for a line whose hash starts with a zero nibble (1 in 16 do).
  for (int i = 0; i < 1000; ++i) {
    Trace trace;
    trace.Record(Instant{0}, "z", std::to_string(i));
    if (trace.Fingerprint() >> 60 != 0) continue;
    EXPECT_EQ(trace.FingerprintHex().size(), 16u);
    EXPECT_EQ(trace.FingerprintHex()[0], '0');
    return;
  }
  FAIL() << "no fingerprint with a leading zero nibble in 1000 tries";
}

}  // namespace
}  // namespace streamsim::sim
