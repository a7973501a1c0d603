// The harness runs a scenario file end to end and hands back the run as data: the same run as
// `streamsim run` (its fingerprint is the golden file's), the files it owns where it owns them, and
// bad input as a positioned error, never a crash.
#include "harness/run.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace streamsim::harness {
namespace {

std::string Library(const std::string& name) {
  return std::string(STREAMSIM_SOURCE_DIR) + "/scenarios/library/" + name;
}

std::filesystem::path FreshDirectory(const std::string& name) {
  const std::filesystem::path directory =
      std::filesystem::path(::testing::TempDir()) / ("streamsim-harness-" + name);
  std::filesystem::remove_all(directory);
  return directory;
}

TEST(RunScenarioFileTest, GivesTheRunAsDataWithTheFingerprintOfItsGoldenFile) {
  RunRequest request;
  request.file = Library("error-lines.yaml");
  std::string printed;
  request.on_print = [&printed](const std::string& text) { printed += text; };
  const Result<RunResult> result = RunScenarioFile(request);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const RunResult& run = result.value();
  EXPECT_EQ(run.scenario_file, request.file);
  EXPECT_EQ(run.seed, 1u);
  EXPECT_EQ(run.fingerprint, "440aa62f19fa370d");  // tests/scenario/golden/error-lines.txt
  EXPECT_EQ(run.batches.size(), 10u);
  EXPECT_EQ(run.stop_reason, "stopped after 10 batches");
  ASSERT_TRUE(run.check.report.has_value());
  EXPECT_EQ(run.check.report->verdict, checker::Verdict::kExactlyOnce);
  EXPECT_TRUE(run.check.report->findings.empty());
  EXPECT_TRUE(run.check.expectation_met);
  EXPECT_TRUE(run.faults.empty());
  EXPECT_FALSE(run.faultless_differences.has_value());
  EXPECT_EQ(run.kept_sink_database, "");
  EXPECT_EQ(printed.rfind("-------------------------------------------\nTime: 1000 ms\n", 0), 0u);
}

TEST(RunScenarioFileTest, KeepsTheSinkDatabaseAndTheTraceWhereTheRequestSays) {
  const std::filesystem::path directory = FreshDirectory("kept");
  RunRequest request;
  request.file = Library("kafka-direct-transactional-sink.yaml");
  request.output_dir = (directory / "out").string();
  request.trace_path = (directory / "trace.txt").string();
  std::filesystem::create_directories(directory);
  const Result<RunResult> result = RunScenarioFile(request);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result.value().fingerprint, "0ba69e2401ef6431");
  EXPECT_EQ(result.value().kept_sink_database, (directory / "out" / "sinks.sqlite").string());
  EXPECT_TRUE(std::filesystem::exists(directory / "out" / "sinks.sqlite"));
  std::ifstream trace(request.trace_path);
  std::string first_line;
  ASSERT_TRUE(std::getline(trace, first_line));
  EXPECT_FALSE(first_line.empty());
}

TEST(RunScenarioFileTest, AFileThatDoesNotLoadIsBadInputWithItsPosition) {
  const std::filesystem::path directory = FreshDirectory("bad");
  std::filesystem::create_directories(directory);
  const std::string file = (directory / "bad.yaml").string();
  std::ofstream(file) << "name: bad\nbatch_interval: 1 parsec\n";
  RunRequest request;
  request.file = file;
  const Result<RunResult> result = RunScenarioFile(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(result.status().message().rfind(file + ":", 0), 0u) << result.status().message();
}

TEST(RunScenarioFileTest, ATraceThatCannotBeWrittenIsBadInput) {
  RunRequest request;
  request.file = Library("error-lines.yaml");
  request.trace_path = "/nonexistent-directory/trace.txt";
  const Result<RunResult> result = RunScenarioFile(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(result.status().message(), "cannot write /nonexistent-directory/trace.txt");
}

// The library scenario `name` with `extra` appended, in a fresh directory named `directory`.
std::string LibraryWith(const std::string& name, const std::string& extra,
                        const std::string& directory) {
  std::ifstream in(Library(name));
  std::stringstream text;
  text << in.rdbuf() << extra;
  const std::filesystem::path path = FreshDirectory(directory);
  std::filesystem::create_directories(path);
  std::ofstream((path / name).string()) << text.str();
  return (path / name).string();
}

// The checker reads the run after it ends: leaving it out changes nothing in the run itself.
TEST(RunScenarioFileTest, WithoutTheCheckTheRunIsTheSameAndHasNoVerdict) {
  RunRequest request;
  request.file = Library("kafka-direct.yaml");
  const Result<RunResult> checked = RunScenarioFile(request);
  request.check = false;
  const Result<RunResult> unchecked = RunScenarioFile(request);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  ASSERT_TRUE(unchecked.ok()) << unchecked.status().message();
  EXPECT_EQ(checked.value().fingerprint, "c2115a3f47aa9c59");  // golden/kafka-direct.txt
  EXPECT_EQ(unchecked.value().fingerprint, "c2115a3f47aa9c59");
  EXPECT_EQ(unchecked.value().batches.size(), 16u);
  ASSERT_TRUE(checked.value().check.report.has_value());
  EXPECT_EQ(checked.value().check.report->findings.size(), 2u);
  EXPECT_FALSE(unchecked.value().check.report.has_value());
  EXPECT_EQ(unchecked.value().check.prediction.guarantee, checker::Guarantee::kAtLeastOnce);
  EXPECT_TRUE(unchecked.value().check.expectation_met);
  EXPECT_EQ(unchecked.value().warnings, checked.value().warnings);
}

// Unchecked, a run keeps no record ledger and reads no durable metadata back: a soak with
// crashes, storage faults and recoveries is still the same run.
TEST(RunScenarioFileTest, WithoutTheCheckASoakIsTheSameRun) {
  RunRequest request;
  request.file = Library("random-fault-soak.yaml");
  const Result<RunResult> checked = RunScenarioFile(request);
  request.check = false;
  const Result<RunResult> unchecked = RunScenarioFile(request);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  ASSERT_TRUE(unchecked.ok()) << unchecked.status().message();
  EXPECT_EQ(unchecked.value().fingerprint, checked.value().fingerprint);
  EXPECT_EQ(unchecked.value().fingerprint, "0c534f4ba6522496");  // golden/random-fault-soak.txt
  EXPECT_EQ(unchecked.value().check.prediction.guarantee,
            checked.value().check.prediction.guarantee);
}

// kafka-direct is at-least-once: checked, this expectation fails (exit code 1).
TEST(RunScenarioFileTest, WithoutTheCheckAnExpectationIsNotEvaluatedAndAWarningSaysSo) {
  RunRequest request;
  request.file = LibraryWith("kafka-direct.yaml", "expect: {guarantee: exactly-once}\n", "expect");
  request.check = false;
  std::vector<std::string> warned;
  request.on_warning = [&warned](const std::string& message) { warned.push_back(message); };
  const Result<RunResult> result = RunScenarioFile(request);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const std::string warning =
      "the scenario's expect: {guarantee: exactly-once} is not evaluated: the run was not "
      "checked (its exit code 0 says nothing about the expectation)";
  ASSERT_FALSE(warned.empty());
  EXPECT_EQ(warned.back(), warning);
  EXPECT_EQ(result.value().warnings.back(), warning);
  EXPECT_EQ(result.value().check.expected, checker::Guarantee::kExactlyOnce);
  EXPECT_TRUE(result.value().check.expectation_met);
  EXPECT_FALSE(result.value().check.report.has_value());
}

TEST(RunScenarioFileTest, AFaultlessComparisonWithoutTheCheckIsBadInput) {
  RunRequest request;
  request.file = Library("kafka-direct.yaml");
  request.check = false;
  request.compare_faultless = true;
  const Result<RunResult> result = RunScenarioFile(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(result.status().message(),
            "a faults-off comparison is part of the check: it cannot be asked for without the "
            "check");
}

TEST(ValidateScenarioFileTest, CountsWhatAScenarioThatBuildsHolds) {
  const Result<ValidationSummary> summary = ValidateScenarioFile(Library("two-sockets-union.yaml"));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary.value().sources, 2u);
}

TEST(FaultScheduleYamlTest, WritesAFaultsListThatReplays) {
  faults::Fault crash =
      faults::CrashFault("worker/1", sim::Duration::Seconds(10), sim::Duration::Seconds(5));
  EXPECT_EQ(FaultScheduleYaml({crash}, "x.yaml", 7),
            "# Fault schedule of x.yaml with seed 7, written by streamsim run --emit-schedule.\n"
            "# Paste it in place of the scenario's faults: section to replay the same run.\n"
            "faults:\n"
            "  - " +
                faults::ToYaml(crash) + "\n");
  EXPECT_EQ(FaultScheduleYaml({}, "x.yaml", 7).substr(160), "faults: []\n");
}

}  // namespace
}  // namespace streamsim::harness
