// `streamsim run --output-dir DIR` end to end: the sink database at DIR/sinks.sqlite with the rows
// the shipped transactional-sink scenario writes, "sink_database" in --json, the temporary
// directory a run with sinks and no --output-dir uses and removes, and a directory that cannot be
// created (exit code 2).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/scenario/cli_test_support.h"

namespace {

using streamsim::testing::Library;
using streamsim::testing::Outcome;
using streamsim::testing::Streamsim;

const char kScenario[] = "kafka-direct-transactional-sink.yaml";

std::string LastLine(const std::string& text) {
  const size_t end = text.find_last_not_of('\n');
  const size_t start = text.rfind('\n', end);
  return text.substr(start + 1, end - start);
}

// The first column of the first row of `sql` over the database at `path`, or -1.
int64_t QueryInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t value = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      value = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return value;
}

// How many "streamsim-run-*" directories the temporary directory holds.
// The run directories left in `base` (the runs below use it as TMPDIR, so that runs of other
// tests at the same time do not count).
int TemporaryRunDirectories(const std::string& base) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(base)) {
    count += entry.path().filename().string().rfind("streamsim-run-", 0) == 0 ? 1 : 0;
  }
  return count;
}

class CliSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "cli_sink_test.XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string directory_;
};

TEST_F(CliSinkTest, OutputDirIsCreatedAndHoldsTheSinkDatabase) {
  const std::string output_dir = directory_ + "/runs/first";
  const Outcome run =
      Streamsim("run " + Library(kScenario) + " --quiet --output-dir " + output_dir);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::string database = output_dir + "/sinks.sqlite";
  ASSERT_TRUE(std::filesystem::is_regular_file(database));
  // 4 words x 10 batches, each once; 21 calls, one skipped as already committed.
  EXPECT_EQ(QueryInt(database, "SELECT count(*) FROM word_counts"), 40);
  EXPECT_EQ(QueryInt(database, "SELECT count(*) FROM streamsim_sink_writes"), 21);
  EXPECT_EQ(QueryInt(database,
                     "SELECT count(*) FROM streamsim_sink_writes"
                     " WHERE outcome = 'skipped-already-committed'"),
            1);
  // The output is the same as without the option: where the file goes changes nothing.
  const Outcome elsewhere = Streamsim("run " + Library(kScenario) + " --quiet");
  ASSERT_EQ(elsewhere.exit_code, 0) << elsewhere.out;
  EXPECT_EQ(run.out, elsewhere.out);
  EXPECT_EQ(LastLine(run.out).rfind("seed: 1 fingerprint: ", 0), 0u);
  // A second run replaces the file rather than adding to it.
  ASSERT_EQ(
      Streamsim("run " + Library(kScenario) + " --quiet --output-dir " + output_dir).exit_code, 0);
  EXPECT_EQ(QueryInt(database, "SELECT count(*) FROM word_counts"), 40);
}

TEST_F(CliSinkTest, JsonNamesTheSinkDatabaseOnlyWhenItOutlivesTheRun) {
  const Outcome with_dir =
      Streamsim("run " + Library(kScenario) + " --json --output-dir " + directory_);
  ASSERT_EQ(with_dir.exit_code, 0) << with_dir.out;
  const nlohmann::json result = nlohmann::json::parse(with_dir.out);
  EXPECT_EQ(result["sink_database"], directory_ + "/sinks.sqlite");
  EXPECT_EQ(result["batches"].size(), 10u);

  const std::string private_tmp = directory_ + "/tmp";
  std::filesystem::create_directory(private_tmp);
  const Outcome without_dir =
      Streamsim("run " + Library(kScenario) + " --json", "TMPDIR=" + private_tmp);
  ASSERT_EQ(without_dir.exit_code, 0) << without_dir.out;
  EXPECT_FALSE(nlohmann::json::parse(without_dir.out).contains("sink_database"));
  EXPECT_EQ(nlohmann::json::parse(without_dir.out)["fingerprint"], result["fingerprint"]);
  EXPECT_EQ(TemporaryRunDirectories(private_tmp), 0);  // the temporary directory is gone
  // ...and it was made under TMPDIR: where TMPDIR cannot hold one, the run cannot start.
  const Outcome nowhere =
      Streamsim("run " + Library(kScenario) + " -q", "TMPDIR=" + directory_ + "/missing");
  EXPECT_EQ(nowhere.exit_code, 2);
  EXPECT_EQ(nowhere.out,
            "streamsim run: cannot create a temporary directory: no usable temporary directory "
            "(TMPDIR, TMP, TEMP, TEMPDIR or /tmp): No such file or directory\n");
}

TEST_F(CliSinkTest, AScenarioWithoutSinksWritesNoDatabase) {
  const std::string output_dir = directory_ + "/plain";
  const Outcome run = Streamsim("run " + Library("error-lines.yaml") +
                                " --json --batches 2 --output-dir " + output_dir);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_TRUE(std::filesystem::is_directory(output_dir));
  EXPECT_FALSE(std::filesystem::exists(output_dir + "/sinks.sqlite"));
  EXPECT_FALSE(nlohmann::json::parse(run.out).contains("sink_database"));
}

TEST_F(CliSinkTest, AnOutputDirThatCannotBeCreatedExitsTwo) {
  const std::string file = directory_ + "/a-file";
  std::ofstream(file) << "not a directory\n";
  const Outcome run = Streamsim("run " + Library(kScenario) + " --output-dir " + file + "/sub");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out.rfind("streamsim run: cannot create directory " + file + "/sub: ", 0), 0u)
      << run.out;
}

TEST_F(CliSinkTest, HelpDescribesOutputDir) {
  const Outcome help = Streamsim("run --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--output-dir"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("sinks.sqlite"), std::string::npos) << help.out;
}

}  // namespace
