// The streamsim program end to end: output format, the fingerprint line, --json, --collect,
// --trace, validate, and exit codes for bad input (file:line:col messages, code 2).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <xxhash.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/scenario/cli_test_support.h"

namespace {

using streamsim::testing::Library;
using streamsim::testing::Outcome;
using streamsim::testing::Streamsim;

std::string LastLine(const std::string& text) {
  const size_t end = text.find_last_not_of('\n');
  const size_t start = text.rfind('\n', end);
  return text.substr(start + 1, end - start);
}

std::filesystem::path TempFile(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("streamsim_cli_test_" + name);
}

TEST(CliTest, RunPrintsBatchesTableAndFingerprintLine) {
  const Outcome run = Streamsim("run " + Library("error-lines.yaml") + " --seed 7");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("-------------------------------------------\nTime: 1000 ms\n"),
            std::string::npos);
  EXPECT_NE(run.out.find("batch time  input records  scheduling delay  processing time  total "
                         "delay"),
            std::string::npos);
  const std::string last = LastLine(run.out);
  ASSERT_EQ(last.rfind("seed: 7 fingerprint: ", 0), 0u) << last;
  EXPECT_EQ(last.size(), std::string("seed: 7 fingerprint: ").size() + 16);
}

TEST(CliTest, SameSeedSameFingerprintOtherSeedOther) {
  const std::string a = LastLine(Streamsim("run " + Library("error-lines.yaml") + " --seed 7").out);
  const std::string b = LastLine(Streamsim("run " + Library("error-lines.yaml") + " --seed 7").out);
  const std::string c = LastLine(Streamsim("run " + Library("error-lines.yaml") + " --seed 8").out);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.substr(a.find("fingerprint")), c.substr(c.find("fingerprint")));
}

TEST(CliTest, JsonHasSeedFingerprintAndBatches) {
  const Outcome run =
      Streamsim("run " + Library("error-lines.yaml") + " --seed 7 --batches 3 --json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json result = nlohmann::json::parse(run.out);
  EXPECT_EQ(result["seed"], 7);
  EXPECT_EQ(result["fingerprint"].get<std::string>().size(), 16u);
  ASSERT_EQ(result["batches"].size(), 3u);
  EXPECT_EQ(result["batches"][2]["batch_time_ms"], 3000);
  EXPECT_EQ(result["batches"][2]["completed"], true);
}

TEST(CliTest, CollectWritesOneJsonLinePerBatchIncludingEmptyOnes) {
  const std::filesystem::path scenario = TempFile("collect.yaml");
  std::ofstream(scenario)
      << "stop: {batches: 3}\n"
         "sources:\n"
         "  numbers: {kind: queue, batches: [[1, 2], [3], []], partitions: 2}\n"
         "streams:\n"
         "  doubled: {from: numbers, ops: [{map: \"x * 2\"}, {filter: \"x > 2\"}]}\n"
         "outputs:\n"
         "  - {stream: doubled, collect: doubled_out}\n";
  const std::filesystem::path collect = TempFile("collect.jsonl");
  const Outcome run =
      Streamsim("run " + scenario.string() + " --quiet --collect " + collect.string());
  ASSERT_EQ(run.exit_code, 0) << run.out;
  std::ifstream in(collect);
  std::stringstream lines;
  lines << in.rdbuf();
  EXPECT_EQ(lines.str(),
            "{\"batch_time_ms\":1000,\"output\":\"doubled_out\",\"records\":[4]}\n"
            "{\"batch_time_ms\":2000,\"output\":\"doubled_out\",\"records\":[6]}\n"
            "{\"batch_time_ms\":3000,\"output\":\"doubled_out\",\"records\":[]}\n");
}

TEST(CliTest, TraceFileHashesToTheFingerprint) {
  const std::filesystem::path trace = TempFile("trace.txt");
  const Outcome run = Streamsim("run " + Library("error-lines.yaml") +
                                " --quiet --batches 2 --trace " + trace.string());
  ASSERT_EQ(run.exit_code, 0) << run.out;
  std::ifstream in(trace);
  std::stringstream contents;
  contents << in.rdbuf();
  const std::string text = contents.str();
  EXPECT_EQ(text.substr(0, text.find('\n')), "0 node start driver");
  const std::string fingerprint = fmt::format("{:016x}", XXH64(text.data(), text.size(), 0));
  EXPECT_EQ(LastLine(run.out), "seed: 1 fingerprint: " + fingerprint);
}

TEST(CliTest, BadScenarioGivesFileLineColumnAndExitTwo) {
  const std::filesystem::path scenario = TempFile("bad.yaml");
  std::ofstream(scenario) << "streaming: {batch_interval: ten}\n";
  const Outcome run = Streamsim("run " + scenario.string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out.rfind(scenario.string() + ":1:29: ", 0), 0u) << run.out;
  EXPECT_EQ(run.out.find("terminate"), std::string::npos);
}

// A scenario whose cost section misspells task_launch at 3:8.
const char kMisspelledCost[] =
    "sources:\n"
    "  q: {kind: queue, batches: [[1]]}\n"
    "cost: {task_lunch: 2ms}\n"
    "outputs:\n"
    "  - {stream: q, print: 1}\n";

TEST(CliTest, UnknownCostNameIsReportedWhereItIsWritten) {
  const std::filesystem::path scenario = TempFile("cost.yaml");
  std::ofstream(scenario) << kMisspelledCost;
  for (const std::string command : {"run ", "validate "}) {
    const Outcome run = Streamsim(command + scenario.string());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.out.rfind(scenario.string() + ":3:8: unknown cost 'task_lunch'", 0), 0u)
        << run.out;
  }
}

// With --json, a load error is JSON too (on stdout, exit 2): a tool reading it never parses text.
TEST(CliTest, LoadErrorsUnderJsonAreJson) {
  const std::filesystem::path scenario = TempFile("cost-json.yaml");
  std::ofstream(scenario) << kMisspelledCost;
  for (const std::string command : {"run ", "validate "}) {
    const Outcome run = Streamsim(command + scenario.string() + " --json");
    EXPECT_EQ(run.exit_code, 2);
    const nlohmann::json json = nlohmann::json::parse(run.out);
    EXPECT_EQ(json["error"]["file"], scenario.string());
    EXPECT_EQ(json["error"]["line"], 3);
    EXPECT_EQ(json["error"]["column"], 8);
    EXPECT_EQ(json["error"]["message"].get<std::string>().rfind("unknown cost 'task_lunch'", 0), 0u)
        << run.out;
  }
}

TEST(CliTest, ValidateJsonSaysWhatTheScenarioHolds) {
  const Outcome validate = Streamsim("validate " + Library("error-lines.yaml") + " --json");
  EXPECT_EQ(validate.exit_code, 0) << validate.out;
  const nlohmann::json json = nlohmann::json::parse(validate.out);
  EXPECT_EQ(json["valid"], true);
  EXPECT_EQ(json["sources"], 1);
  EXPECT_EQ(json["streams"], 1);
  EXPECT_EQ(json["outputs"], 1);
}

TEST(CliTest, MissingFileUnknownCommandAndBadOptionsExitTwo) {
  EXPECT_EQ(Streamsim("run /nonexistent/scenario.yaml").exit_code, 2);
  EXPECT_EQ(Streamsim("frobnicate").exit_code, 2);
  EXPECT_EQ(Streamsim("run " + Library("error-lines.yaml") + " --stop ten").exit_code, 2);
  EXPECT_EQ(Streamsim("run " + Library("error-lines.yaml") + " --batches 0").exit_code, 2);
  EXPECT_EQ(Streamsim("run " + Library("error-lines.yaml") + " --no-such-option").exit_code, 2);
  EXPECT_EQ(Streamsim("").exit_code, 2);
}

TEST(CliTest, HelpAndValidate) {
  const Outcome help = Streamsim("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("run FILE"), std::string::npos);
  const Outcome run_help = Streamsim("run --help");
  EXPECT_EQ(run_help.exit_code, 0);
  EXPECT_NE(run_help.out.find("--collect"), std::string::npos);
  const Outcome validate = Streamsim("validate " + Library("error-lines.yaml"));
  EXPECT_EQ(validate.exit_code, 0) << validate.out;
  EXPECT_NE(validate.out.find(": ok (1 sources, 1 streams, 1 outputs)"), std::string::npos);
}

}  // namespace
