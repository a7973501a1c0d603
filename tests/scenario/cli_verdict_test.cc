// `streamsim run` ends with the checker's verdict: the text report's "verdict:" line and findings,
// the --json fields, `expect:` turning a weaker verdict into exit code 1, and the faults-off twin
// of --compare-faultless.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/scenario/cli_test_support.h"

namespace {

using streamsim::testing::Library;
using streamsim::testing::Outcome;
using streamsim::testing::Streamsim;

// The text from the "verdict:" line to the end, without the fingerprint line.
std::string VerdictPart(const std::string& out) {
  const size_t start = out.find("\nverdict: ");
  if (start == std::string::npos) return "no verdict in:\n" + out;
  const size_t end = out.find("seed: ", start);
  return out.substr(start + 1, end - start - 1);
}

// The library scenario `name` with `extra` appended, written to a temporary file named after the
// test (tests run in parallel).
std::string LibraryWith(const std::string& name, const std::string& extra) {
  std::ifstream in(Library(name));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string path = ::testing::TempDir() +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
                           name;
  std::ofstream(path) << text << extra;
  return path;
}

// Batch 5000 is emitted again by the driver restarted after the crash at 5.5 s.
const char kKafkaDirectFindings[] =
    "  duplication at output print:counts: 1 extra emission in 1 batch; first batch 5000 ms; "
    "nearest fault: crash driver, restart after 4s at 5.500 s; prevention: make the sink "
    "idempotent or transactional\n"
    "  duplication at output totals: 4 extra copies of records in 1 batch ((batch,773), "
    "(spark,743), (stream,723)); first batch 5000 ms; nearest fault: crash driver, restart after "
    "4s at 5.500 s; prevention: make the sink idempotent or transactional\n";

TEST(CliVerdictTest, AFaultFreeRunIsExactlyOnce) {
  const Outcome run = Streamsim("run " + Library("status-counts.yaml") + " -q");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(VerdictPart(run.out), "verdict: exactly-once\n");
}

// A recovered driver re-runs batch 5000: print and collect are at-least-once outputs.
TEST(CliVerdictTest, ADriverRecoveryRepeatsTheOutputsOfItsPendingBatch) {
  const Outcome run = Streamsim("run " + Library("kafka-direct.yaml") + " -q");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(VerdictPart(run.out), std::string("verdict: at-least-once\n") + kKafkaDirectFindings);
}

TEST(CliVerdictTest, JsonHasTheVerdictTheFindingsAndThePrediction) {
  const Outcome run = Streamsim("run " + Library("kafka-direct.yaml") + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json result = nlohmann::json::parse(run.out);
  EXPECT_EQ(result["verdict"], "at-least-once");
  EXPECT_EQ(result["predicted_guarantee"], "at-least-once");
  ASSERT_EQ(result["findings"].size(), 2u);
  EXPECT_EQ(result["findings"][0]["check"], "sink-vs-oracle");
  EXPECT_EQ(result["findings"][0]["problem"], "duplication");
  EXPECT_EQ(result["findings"][0]["subject"], "print:counts");
  EXPECT_EQ(result["findings"][0]["batch_time_ms"], 5000);
  EXPECT_EQ(result["findings"][1]["subject"], "totals");
  EXPECT_EQ(result["findings"][1]["count"], 4);
  EXPECT_FALSE(result.contains("expected_guarantee"));
}

TEST(CliVerdictTest, AnExpectationTheVerdictMissesExitsOne) {
  const Outcome run = Streamsim(
      "run " + LibraryWith("kafka-direct.yaml", "expect: {guarantee: exactly-once}\n") + " -q");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_EQ(VerdictPart(run.out), std::string("verdict: at-least-once\n") + kKafkaDirectFindings +
                                      "expected: exactly-once (NOT met)\n");
  const Outcome json = Streamsim(
      "run " + LibraryWith("kafka-direct.yaml", "expect: {guarantee: exactly-once}\n") + " --json");
  EXPECT_EQ(json.exit_code, 1);
  const nlohmann::json result = nlohmann::json::parse(json.out);
  EXPECT_EQ(result["expected_guarantee"], "exactly-once");
  EXPECT_EQ(result["expectation_met"], false);
}

TEST(CliVerdictTest, AnExpectationTheVerdictMeetsExitsZero) {
  const Outcome run = Streamsim(
      "run " + LibraryWith("kafka-direct.yaml", "expect: {guarantee: at-least-once}\n") + " -q");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("\nexpected: at-least-once (met)\n"), std::string::npos) << run.out;
}

// The twin has no crash: batch 5000 is not repeated, and batches 6000-9000, which the recovered
// driver generated at once after 4 s down (the first took every offset of the down time), hold
// different running totals until both runs have read the same records.
TEST(CliVerdictTest, CompareFaultlessReportsWhereTheSinksDiffer) {
  const Outcome run = Streamsim("run " + Library("kafka-direct.yaml") + " -q --compare-faultless");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::string part = VerdictPart(run.out);
  EXPECT_NE(part.find("faults-off twin: 11 differences\n"
                      "  print:counts at 5000 ms: 4 records only with faults ((batch,156), "
                      "(kafka,141), (spark,149), ...), 0 only without ()\n"),
            std::string::npos)
      << part;
  EXPECT_NE(part.find("  totals at 5000 ms: 4 records only with faults ((batch,773), "
                      "(kafka,755), (spark,743), ...), 0 only without ()\n"
                      "  totals at 6000 ms: 4 records only with faults ((batch,1446), "
                      "(kafka,1451), (spark,1413), ...), 4 only without ((batch,920), "
                      "(kafka,916), (spark,888), ...)\n"),
            std::string::npos)
      << part;
  const Outcome json =
      Streamsim("run " + Library("kafka-direct.yaml") + " --json --compare-faultless");
  const nlohmann::json result = nlohmann::json::parse(json.out);
  ASSERT_EQ(result["faultless_differences"].size(), 11u);
  EXPECT_EQ(result["faultless_differences"][7]["output"], "totals");
  EXPECT_EQ(result["faultless_differences"][7]["batch_time_ms"], 6000);
  EXPECT_EQ(result["faultless_differences"][7]["only_without_faults"][0],
            nlohmann::json::parse(R"(["batch", 920])"));
}

// A worker crash retries an output task; the transactional sink skips the retry's second write,
// so the sink equals the twin's.
TEST(CliVerdictTest, CompareFaultlessOfAnExactlyOnceRunFindsNoDifference) {
  const Outcome run = Streamsim("run " + Library("kafka-direct-transactional-sink.yaml") +
                                " -q --compare-faultless");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("\nfaults-off twin: 0 differences\n"), std::string::npos) << run.out;
}

}  // namespace
