// Pins what every shipped scenario (scenarios/library/*.yaml) does, run as a user runs it
// (`streamsim run FILE --json`): its exit code, seed, fingerprint, batch count, stop reason,
// warnings, verdict, findings and the calculator's prediction. The expected text of each scenario
// is tests/scenario/golden/<name>.txt. A change of behaviour shows here as a changed line; a
// change that is meant (a new trace event, a fixed bug) rewrites the files with
//   STREAMSIM_UPDATE_GOLDEN=1 ctest -R LibraryGolden
// and the commit says why every moved line moved.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/scenario/cli_test_support.h"

namespace streamsim::testing {
namespace {

std::vector<std::string> LibraryScenarioNames() {
  std::vector<std::string> names;
  const std::filesystem::path library =
      std::filesystem::path(STREAMSIM_SOURCE_DIR) / "scenarios" / "library";
  for (const auto& entry : std::filesystem::directory_iterator(library)) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::filesystem::path GoldenFile(const std::string& name) {
  return std::filesystem::path(STREAMSIM_SOURCE_DIR) / "tests" / "scenario" / "golden" /
         (name + ".txt");
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The pinned facts of one run, one per line, in a fixed order.
std::string GoldenText(const std::string& name, const Outcome& outcome) {
  const nlohmann::json run = nlohmann::json::parse(outcome.out);
  std::string text = "scenario: " + name + ".yaml\n";
  text += "exit: " + std::to_string(outcome.exit_code) + "\n";
  text += "seed: " + run["seed"].dump() + "\n";
  text += "fingerprint: " + run["fingerprint"].get<std::string>() + "\n";
  text += "batches: " + std::to_string(run["batches"].size()) + "\n";
  text += "stop: " + run["stop_reason"].get<std::string>() + "\n";
  for (const auto& warning : run["warnings"])
    text += "warning: " + warning.get<std::string>() + "\n";
  text += "verdict: " + run["verdict"].get<std::string>() + "\n";
  for (const auto& finding : run["findings"]) {
    text += "finding: " + finding["text"].get<std::string>() + "\n";
  }
  text += "predicted: " + run["predicted_guarantee"].dump() + "\n";
  return text;
}

class LibraryGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LibraryGoldenTest, RunMatchesItsGoldenFile) {
  const std::string name = GetParam();
  const Outcome outcome = Streamsim("run " + Library(name + ".yaml") + " --json");
  ASSERT_TRUE(outcome.exit_code == 0 || outcome.exit_code == 1) << outcome.out;
  const std::string actual = GoldenText(name, outcome);
  const std::filesystem::path golden = GoldenFile(name);
  if (std::getenv("STREAMSIM_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::trunc) << actual;
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(std::filesystem::exists(golden)) << "no golden file " << golden;
  EXPECT_EQ(ReadFile(golden), actual);
}

INSTANTIATE_TEST_SUITE_P(Library, LibraryGoldenTest, ::testing::ValuesIn(LibraryScenarioNames()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Every golden file belongs to a shipped scenario: a removed scenario takes its file with it.
TEST(LibraryGolden, EveryGoldenFileHasItsScenario) {
  const std::vector<std::string> names = LibraryScenarioNames();
  const std::filesystem::path directory = GoldenFile("x").parent_path();
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    ++files;
    const std::string stem = entry.path().stem().string();
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), stem)) << entry.path();
  }
  EXPECT_EQ(files, static_cast<int>(names.size()));
}

}  // namespace
}  // namespace streamsim::testing
