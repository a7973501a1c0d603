// Every shipped scenario (scenarios/library/*.yaml) loads, runs to its stop, and replays: two runs
// with the same seed give the same fingerprint. Also pins what each scenario is there to show.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/builder.h"
#include "scenarios/loader.h"

namespace streamsim::scenarios {
namespace {

class QuietListener : public engine::OutputListener {
 public:
  void OnPrint(const std::string& text) override { printed += text; }
  void OnWarning(const std::string& message) override { warnings.push_back(message); }
  std::string printed;
  std::vector<std::string> warnings;
};

std::vector<std::string> LibraryFiles() {
  std::vector<std::string> files;
  const std::filesystem::path library = std::filesystem::path(STREAMSIM_SOURCE_DIR) /
                                        "scenarios" / "library";
  for (const auto& entry : std::filesystem::directory_iterator(library)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct RunOutcome {
  std::string fingerprint;
  std::string printed;
  std::vector<std::string> warnings;
  std::vector<engine::BatchInfo> batches;
  std::string stop_reason;
};

RunOutcome RunFile(const std::string& path, RunOptions options = {}) {
  Scenario scenario;
  LoadError error;
  EXPECT_TRUE(LoadScenarioFile(path, &scenario, &error)) << error.ToString();
  QuietListener listener;
  auto simulation = Simulation::Build(scenario, options, &listener, &error);
  EXPECT_NE(simulation, nullptr) << error.ToString();
  if (!simulation) return {};
  EXPECT_TRUE(simulation->Run().ok());
  return {simulation->world().trace().FingerprintHex(), listener.printed, listener.warnings,
          simulation->context().batches(), simulation->context().stop_reason()};
}

class LibraryScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LibraryScenarioTest, RunsAndReplaysToTheSameFingerprint) {
  const RunOutcome first = RunFile(GetParam());
  const RunOutcome second = RunFile(GetParam());
  EXPECT_EQ(first.fingerprint.size(), 16u);
  EXPECT_EQ(first.fingerprint, second.fingerprint);
  EXPECT_EQ(first.printed, second.printed);
  EXPECT_FALSE(first.batches.empty());
}

INSTANTIATE_TEST_SUITE_P(Library, LibraryScenarioTest, ::testing::ValuesIn(LibraryFiles()),
                         [](const auto& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

std::string Library(const std::string& name) {
  return std::string(STREAMSIM_SOURCE_DIR) + "/scenarios/library/" + name;
}

TEST(ErrorLinesScenario, PrintsOnlyErrorLinesEveryBatchAndCompletesAllBatches) {
  const RunOutcome run = RunFile(Library("error-lines.yaml"));
  ASSERT_EQ(run.batches.size(), 10u);
  for (const auto& batch : run.batches) {
    EXPECT_TRUE(batch.completed());
    EXPECT_TRUE(batch.failure.empty());
  }
  for (int second = 1; second <= 10; ++second) {
    EXPECT_NE(run.printed.find("Time: " + std::to_string(second * 1000) + " ms\n"),
              std::string::npos);
  }
  // Every printed element line contains "error".
  size_t start = 0;
  int elements = 0;
  while (start < run.printed.size()) {
    const size_t end = run.printed.find('\n', start);
    const std::string line = run.printed.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.rfind("Time:", 0) == 0 || line.rfind("----", 0) == 0 ||
        line == "...") {
      continue;
    }
    ++elements;
    EXPECT_NE(line.find("error"), std::string::npos) << line;
  }
  EXPECT_GT(elements, 0);
  EXPECT_EQ(run.stop_reason, "stopped after 10 batches");
}

TEST(ErrorLinesScenario, AnotherSeedGivesAnotherFingerprint) {
  RunOptions seven;
  seven.seed = 7;
  RunOptions eight;
  eight.seed = 8;
  EXPECT_NE(RunFile(Library("error-lines.yaml"), seven).fingerprint,
            RunFile(Library("error-lines.yaml"), eight).fingerprint);
}

TEST(TooFewCoresScenario, WarnsAndProcessesNothing) {
  const RunOutcome run = RunFile(Library("too-few-cores.yaml"));
  ASSERT_FALSE(run.warnings.empty());
  EXPECT_NE(run.warnings[0].find("jobs will not get resources to process the received data"),
            std::string::npos);
  // As in Spark's UI: the first batch's job started (its tasks wait for a core forever), the
  // rest stay queued, none completes.
  // Batches keep being generated until the wait bound at 5 s + 10 x 1 s (the bound fires first).
  ASSERT_EQ(run.batches.size(), 14u);
  EXPECT_TRUE(run.batches[0].processing_start.has_value());
  for (const auto& batch : run.batches) EXPECT_FALSE(batch.completed());
  for (size_t i = 1; i < run.batches.size(); ++i) {
    EXPECT_FALSE(run.batches[i].processing_start.has_value());
  }
  EXPECT_GT(run.batches[0].input_records, 0);
  EXPECT_EQ(run.stop_reason, "batch 5000 ms did not complete within 10 batch intervals of its time");
}

}  // namespace
}  // namespace streamsim::scenarios
