// `streamsim run --no-check`: the simulation alone, without the checker after it. The run is the
// same (same fingerprint), the report says it was not checked, a scenario's expect: is not
// evaluated (a warning, exit code 0), and the flag excludes --compare-faultless (usage, exit 2).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/scenario/cli_test_support.h"

namespace {

using streamsim::testing::Library;
using streamsim::testing::Outcome;
using streamsim::testing::Streamsim;

// From the blank line before "verdict:" to the end: the verdict part and the fingerprint line.
std::string Ending(const std::string& out) {
  const size_t start = out.find("\nverdict: ");
  return start == std::string::npos ? "no verdict in:\n" + out : out.substr(start + 1);
}

// kafka-direct.yaml with an expectation its checked run misses (it is at-least-once), written to
// a temporary file named after the test (tests run in parallel).
std::string KafkaDirectExpectingExactlyOnce() {
  std::ifstream in(Library("kafka-direct.yaml"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string path = ::testing::TempDir() +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                           "-kafka-direct.yaml";
  std::ofstream(path) << text << "expect: {guarantee: exactly-once}\n";
  return path;
}

constexpr char kUnevaluatedWarning[] =
    "the scenario's expect: {guarantee: exactly-once} is not evaluated: the run was not checked "
    "(its exit code 0 says nothing about the expectation)";

// The fingerprint is golden/kafka-direct.txt's: the checker does not touch the run.
TEST(CliNoCheckTest, TheRunIsTheSameWithoutAVerdict) {
  const Outcome checked = Streamsim("run " + Library("kafka-direct.yaml") + " -q");
  const Outcome unchecked = Streamsim("run " + Library("kafka-direct.yaml") + " -q --no-check");
  ASSERT_EQ(checked.exit_code, 0) << checked.out;
  ASSERT_EQ(unchecked.exit_code, 0) << unchecked.out;
  EXPECT_EQ(Ending(checked.out).rfind("verdict: at-least-once\n", 0), 0u) << checked.out;
  EXPECT_EQ(Ending(unchecked.out),
            "verdict: not checked (--no-check)\nseed: 1 fingerprint: c2115a3f47aa9c59\n");
  EXPECT_NE(checked.out.find("\nseed: 1 fingerprint: c2115a3f47aa9c59\n"), std::string::npos);
  // Everything before the verdict (batch table, receivers, stop reason) is the same.
  EXPECT_EQ(checked.out.substr(0, checked.out.find("\nverdict: ")),
            unchecked.out.substr(0, unchecked.out.find("\nverdict: ")));
}

TEST(CliNoCheckTest, JsonHasCheckedFalseAndANullVerdictAndFindings) {
  const Outcome checked = Streamsim("run " + Library("kafka-direct.yaml") + " --json");
  const Outcome unchecked = Streamsim("run " + Library("kafka-direct.yaml") + " --json --no-check");
  ASSERT_EQ(unchecked.exit_code, 0) << unchecked.out;
  const nlohmann::json with = nlohmann::json::parse(checked.out);
  const nlohmann::json without = nlohmann::json::parse(unchecked.out);
  EXPECT_EQ(with["checked"], true);
  EXPECT_EQ(with["verdict"], "at-least-once");
  EXPECT_EQ(without["checked"], false);
  EXPECT_TRUE(without["verdict"].is_null());
  EXPECT_TRUE(without["findings"].is_null());
  EXPECT_EQ(without["predicted_guarantee"], "at-least-once");
  EXPECT_EQ(without["fingerprint"], "c2115a3f47aa9c59");
  EXPECT_EQ(without["fingerprint"], with["fingerprint"]);
  EXPECT_EQ(without["batches"], with["batches"]);
  // The same keys, in the same order: consumers find what they read, null where not checked.
  std::vector<std::string> keys_with, keys_without;
  for (const auto& item : with.items()) keys_with.push_back(item.key());
  for (const auto& item : without.items()) keys_without.push_back(item.key());
  EXPECT_EQ(keys_without, keys_with);
}

// Checked, this run exits 1 (its verdict misses the expectation); unchecked, it exits 0 and
// says the expectation was not evaluated.
TEST(CliNoCheckTest, AnExpectationIsNotEvaluatedAndAWarningSaysSo) {
  const std::string file = KafkaDirectExpectingExactlyOnce();
  EXPECT_EQ(Streamsim("run " + file + " -q").exit_code, 1);
  const Outcome text = Streamsim("run " + file + " --no-check");
  EXPECT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find(std::string("\nWARN ") + kUnevaluatedWarning + "\n"), std::string::npos)
      << text.out;
  const Outcome quiet = Streamsim("run " + file + " -q --no-check");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out;
  EXPECT_EQ(Ending(quiet.out),
            "verdict: not checked (--no-check)\n"
            "expected: exactly-once (not evaluated: the run was not checked)\n"
            "seed: 1 fingerprint: c2115a3f47aa9c59\n");
  const Outcome json = Streamsim("run " + file + " --json --no-check");
  EXPECT_EQ(json.exit_code, 0) << json.out;
  const nlohmann::json result = nlohmann::json::parse(json.out);
  EXPECT_EQ(result["warnings"].back(), kUnevaluatedWarning);
  EXPECT_EQ(result["expected_guarantee"], "exactly-once");
  ASSERT_TRUE(result.contains("expectation_met"));
  EXPECT_TRUE(result["expectation_met"].is_null());
}

TEST(CliNoCheckTest, TogetherWithCompareFaultlessIsAUsageError) {
  const Outcome run =
      Streamsim("run " + Library("kafka-direct.yaml") + " --no-check --compare-faultless");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out,
            "streamsim run: give --no-check or --compare-faultless, not both (comparing with the "
            "faults-off twin is part of the check)\n");
}

TEST(CliNoCheckTest, TheHelpNamesTheFlag) {
  const Outcome help = Streamsim("run --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--no-check"), std::string::npos) << help.out;
}

}  // namespace
