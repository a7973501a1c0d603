// Checking batches as they settle (checker/running_check.h, RunRequest::check_as_it_goes) changes
// when the checker looks at a batch, never what it concludes: every shipped scenario and every
// benchmark scenario gives the same report, finding for finding, both ways — and the settling is
// real: a long run leaves the ledger with the open batches only.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/check.h"
#include "harness/run.h"

namespace streamsim::harness {
namespace {

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const char* directory : {"scenarios/library", "bench/scenarios"}) {
    const std::filesystem::path path = std::filesystem::path(STREAMSIM_SOURCE_DIR) / directory;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      // The benchmark's word count is 10,000 lines/s: too long for a test, and checked as the
      // others are by bench/cli_runs.
      if (entry.path().stem() == "word-count") continue;
      if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The run's report and what the run printed of it, as JSON text.
std::string ReportOf(const std::string& file, bool as_it_goes, std::optional<sim::Duration> stop) {
  RunRequest request;
  request.file = file;
  request.check_as_it_goes = as_it_goes;
  request.options.stop_after = stop;
  const Result<RunResult> result = RunScenarioFile(request);
  if (!result.ok()) return "error: " + result.status().message();
  const RunResult& run = result.value();
  if (!run.check.report) return "no report";
  return checker::CheckReportToJson(*run.check.report).dump(1) + "\nfingerprint " + run.fingerprint;
}

class RunCheckAsItGoesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RunCheckAsItGoesTest, GivesTheReportOfTheCheckAfterTheRun) {
  const std::string after = ReportOf(GetParam(), false, std::nullopt);
  EXPECT_EQ(ReportOf(GetParam(), true, std::nullopt), after);
  EXPECT_EQ(after.find("error: "), std::string::npos) << after;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, RunCheckAsItGoesTest, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           const bool bench = info.param.find("/bench/") != std::string::npos;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return (bench ? "bench_" : "") + name;
                         });

// The case the property found (tests/property/checker_property_test.cc): a driver recovering from
// the checkpoint of 1000 ms runs 1000 ms again (Spark's restart re-runs from the checkpoint's time,
// itself included). Settling it before the crash took the re-run's records for copies.
TEST(RunCheckAsItGoesCase, ABatchAtTheCheckpointTimeIsRunAgainAndNotSettledBefore) {
  const std::filesystem::path file =
      std::filesystem::path(::testing::TempDir()) / "streamsim-rerun-at-checkpoint-time.yaml";
  std::ofstream(file) << R"yaml(name: property
seed: 1
stop: {batches: 12}
streaming: {batch_interval: 1s, supervise: true, checkpoint: {dir: checkpoints/property}}
cluster: {workers: 2, cores: 2}
sources:
  words: {kind: kafka, mode: direct, topic: words, partitions: 2, rate: 100/s, start: earliest,
          generator: {kind: words, vocabulary: [a, b, c, d], words_per_line: 2}}
streams:
  counts:
    from: words
    ops: [{flatMap: 'split(x, " ")'}, {map: "(x, 1)"}, {reduceByKey: "a + b"}]
outputs:
  - {stream: counts, sink: {kind: idempotent, table: counts}}
faults: [{at: 1501ms, crash: driver, restart_after: 2500ms}]
)yaml";
  const std::string after = ReportOf(file.string(), false, std::nullopt);
  EXPECT_EQ(ReportOf(file.string(), true, std::nullopt), after);
  EXPECT_NE(after.find("\"verdict\": \"exactly-once\""), std::string::npos) << after;
}

}  // namespace
}  // namespace streamsim::harness
