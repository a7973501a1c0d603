// The record generators are counter-based: record n is a pure function of (key, n), drawn without
// drawing the records before it.
#include "records/generators.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace streamsim::records {
namespace {

GeneratorConfig Config(const std::string& kind) {
  GeneratorConfig config;
  config.kind = kind;
  return config;
}

TEST(RecordGeneratorTest, SameNumberGivesTheSameRecordInAnyOrder) {
  const auto forward = MakeGenerator(Config("access_log"), 42);
  const auto backward = MakeGenerator(Config("access_log"), 42);
  std::vector<std::string> drawn_forward, drawn_backward(100);
  for (int64_t n = 0; n < 100; ++n) drawn_forward.push_back(forward->At(n));
  for (int64_t n = 99; n >= 0; --n) drawn_backward[static_cast<size_t>(n)] = backward->At(n);
  EXPECT_EQ(drawn_forward, drawn_backward);
}

TEST(RecordGeneratorTest, KeyAndNumberEachChangeTheDraw) {
  const auto generator = MakeGenerator(Config("integers"), 7);
  const auto other_key = MakeGenerator(Config("integers"), 8);
  int same_key = 0, same_neighbour = 0;
  for (int64_t n = 0; n < 200; ++n) {
    same_key += generator->At(n) == other_key->At(n);
    same_neighbour += generator->At(n) == generator->At(n + 1);
  }
  // Integers in [0, 100]: independent draws agree about 2 times in 200.
  EXPECT_LE(same_key, 8);
  EXPECT_LE(same_neighbour, 8);
}

TEST(RecordGeneratorTest, LogLinesStartWithTheirNumberAndFixedLinesCycle) {
  EXPECT_EQ(MakeGenerator(Config("log_lines"), 1)->At(12).substr(0, 3), "12 ");
  GeneratorConfig fixed = Config("lines");
  fixed.lines = {"a", "b", "c"};
  const auto lines = MakeGenerator(fixed, 1);
  EXPECT_EQ(lines->At(0), "a");
  EXPECT_EQ(lines->At(4), "b");
  EXPECT_EQ(lines->At(2), "c");
}

TEST(RecordGeneratorTest, WordsHaveTheConfiguredCount) {
  GeneratorConfig words = Config("words");
  words.words_per_line = 4;
  words.vocabulary = {"x", "y"};
  const std::string line = MakeGenerator(words, 9)->At(5);
  EXPECT_EQ(line.size(), 7u);  // four one-letter words and three spaces
  EXPECT_EQ(std::count(line.begin(), line.end(), ' '), 3);
}

}  // namespace
}  // namespace streamsim::records
