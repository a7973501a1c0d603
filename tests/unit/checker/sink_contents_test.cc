// Reading sink databases back: databases written by the engine's sink (as a run leaves them) and
// databases written with plain SQL (to show that the reader checks what it reads).
#include "checker/sink_contents.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>

#include "engine/sinks/sqlite_sink.h"

namespace streamsim::checker {
namespace {

using records::Value;
using records::Values;
using Batches = std::map<int64_t, Values>;

class SinkContentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "sink_contents_test.XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    path_ = directory_ + "/sinks.db";
    Result<std::unique_ptr<engine::SinkDatabase>> database = engine::SinkDatabase::Create(path_);
    ASSERT_TRUE(database.ok()) << database.status().message();
    database_ = std::move(database.value());
  }
  void TearDown() override {
    database_.reset();
    std::filesystem::remove_all(directory_);
  }

  SinkContents Contents() const {
    Result<SinkContents> contents = SinkContents::Open(path_);
    EXPECT_TRUE(contents.ok()) << contents.status().message();
    return std::move(contents.value());
  }

  void Exec(const std::string& sql) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message != nullptr ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }

  std::string directory_;
  std::string path_;
  std::unique_ptr<engine::SinkDatabase> database_;
};

engine::SinkWrite Call(std::string output, std::string table, int64_t batch_time_ms, int partition,
                       int attempt) {
  return engine::SinkWrite{.output = std::move(output),
                           .table = std::move(table),
                           .batch_time = sim::Instant{batch_time_ms * 1000},
                           .partition = partition,
                           .attempt = attempt};
}

Value WordCount(const std::string& word, int64_t count) {
  return Value::Pair(Value::String(word), Value::Int(count));
}

TEST_F(SinkContentsTest, IdempotentRowsHoldTheLatestRecordPerKeyInKeyOrder) {
  ASSERT_TRUE(database_
                  ->WriteIdempotent(Call("counts", "totals", 2000, 0, 0),
                                    {WordCount("b", 2), WordCount("a", 1)})
                  .ok());
  ASSERT_TRUE(
      database_->WriteIdempotent(Call("counts", "totals", 2000, 0, 1), {WordCount("b", 20)}).ok());
  ASSERT_TRUE(
      database_
          ->WriteIdempotent(Call("counts", "totals", 1000, 1, 0), {Value::Int(7), Value::Int(7)})
          .ok());
  ASSERT_TRUE(
      database_->WriteIdempotent(Call("others", "totals", 1000, 0, 0), {WordCount("c", 3)}).ok());
  Result<Batches> rows = Contents().Rows("totals", "counts");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(rows.value(),
            (Batches{{1000, {Value::Int(7)}}, {2000, {WordCount("a", 1), WordCount("b", 20)}}}));
  Result<std::string> kind = Contents().TableKind("TOTALS");
  ASSERT_TRUE(kind.ok()) << kind.status().message();
  EXPECT_EQ(kind.value(), "idempotent");
}

TEST_F(SinkContentsTest, TransactionalRowsAreTheFirstAttemptsAndTheLedgerSaysSkipped) {
  ASSERT_TRUE(database_
                  ->WriteTransactional(Call("counts", "orders", 1000, 1, 0),
                                       {WordCount("a", 1), WordCount("a", 2)})
                  .ok());
  ASSERT_TRUE(
      database_->WriteTransactional(Call("counts", "orders", 1000, 0, 0), {WordCount("z", 0)})
          .ok());
  Result<bool> replay =
      database_->WriteTransactional(Call("counts", "orders", 1000, 1, 1), {WordCount("b", 9)});
  ASSERT_TRUE(replay.ok() && replay.value());
  Result<Batches> rows = Contents().Rows("orders", "counts");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(rows.value(),
            (Batches{{1000, {WordCount("z", 0), WordCount("a", 1), WordCount("a", 2)}}}));

  Result<std::vector<SinkWriteRow>> writes = Contents().Writes("counts");
  ASSERT_TRUE(writes.ok()) << writes.status().message();
  ASSERT_EQ(writes.value().size(), 3u);
  const SinkWriteRow& first = writes.value()[0];
  EXPECT_EQ(first.write_id, 1);
  EXPECT_EQ(first.output, "counts");
  EXPECT_EQ(first.table, "orders");
  EXPECT_EQ(first.kind, "transactional");
  EXPECT_EQ(first.batch_time_ms, 1000);
  EXPECT_EQ(first.partition, 1);
  EXPECT_EQ(first.attempt, 0);
  EXPECT_EQ(first.record_count, 2);
  EXPECT_EQ(first.outcome, "written");
  EXPECT_EQ(first.records, (Values{WordCount("a", 1), WordCount("a", 2)}));
  const SinkWriteRow& skipped = writes.value()[2];
  EXPECT_EQ(skipped.partition, 1);
  EXPECT_EQ(skipped.attempt, 1);
  EXPECT_EQ(skipped.record_count, 1);
  EXPECT_EQ(skipped.outcome, "skipped-already-committed");
  EXPECT_EQ(skipped.records, Values{});
}

TEST_F(SinkContentsTest, AppendRowsDuplicateOnReplayAndTheLedgerSaysWhichAttempt) {
  const Values records = {Value::String("x"), Value::Int(1)};
  ASSERT_TRUE(database_->WriteAppend(Call("log", "events", 1000, 0, 0), records).ok());
  ASSERT_TRUE(database_->WriteAppend(Call("log", "events", 1000, 0, 1), records).ok());
  ASSERT_TRUE(database_->WriteAppend(Call("log", "events", 2000, 0, 0), {}).ok());
  Result<Batches> rows = Contents().Rows("events", "log");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(
      rows.value(),
      (Batches{{1000, {Value::String("x"), Value::Int(1), Value::String("x"), Value::Int(1)}}}));
  Result<std::vector<SinkWriteRow>> writes = Contents().Writes("log");
  ASSERT_TRUE(writes.ok()) << writes.status().message();
  ASSERT_EQ(writes.value().size(), 3u);
  for (int index = 0; index < 2; ++index) {
    EXPECT_EQ(writes.value()[index].attempt, index);
    EXPECT_EQ(writes.value()[index].outcome, "written");
    EXPECT_EQ(writes.value()[index].records, records);
  }
  EXPECT_EQ(writes.value()[2].batch_time_ms, 2000);
  EXPECT_EQ(writes.value()[2].records, Values{});
}

TEST_F(SinkContentsTest, ValuesOfEveryKindReadBackExactly) {
  const Values records = {
      Value::Null(),
      Value::Bool(false),
      Value::Int(std::numeric_limits<int64_t>::min()),
      Value::Double(-0.0),
      Value::Double(1.0),
      Value::Int(1),
      Value::Double(0.1),
      Value::String("caf\u00e9 \"quoted\"\n"),
      Value::Tuple({Value::Int(1), Value::Int(2), Value::Int(3)}),
      Value::List({Value::Pair(Value::Null(), Value::List({}))}),
  };
  ASSERT_TRUE(database_->WriteAppend(Call("all", "kinds", 1000, 0, 0), records).ok());
  Result<Batches> rows = Contents().Rows("kinds", "all");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows.value().at(1000).size(), records.size());
  for (size_t index = 0; index < records.size(); ++index) {
    const Value& read = rows.value().at(1000)[index];
    EXPECT_EQ(read, records[index]) << read.ToDisplayString();
    EXPECT_EQ(read.kind(), records[index].kind()) << read.ToDisplayString();
  }
  EXPECT_TRUE(std::signbit(rows.value().at(1000)[3].AsDouble()));
}

TEST_F(SinkContentsTest, MissingFilesTablesAndBadNamesAreErrors) {
  Result<SinkContents> missing_file = SinkContents::Open(directory_ + "/absent.db");
  ASSERT_FALSE(missing_file.ok());
  EXPECT_EQ(missing_file.status().message(),
            "sink database '" + directory_ + "/absent.db' does not exist");

  SinkContents contents = Contents();
  Result<bool> has_table = contents.HasTable("totals");
  ASSERT_TRUE(has_table.ok()) << has_table.status().message();
  EXPECT_FALSE(has_table.value());
  Result<Batches> missing_table = contents.Rows("totals", "counts");
  ASSERT_FALSE(missing_table.ok());
  EXPECT_EQ(missing_table.status().message(),
            "sink database '" + path_ + "' has no table 'totals'");
  Result<Batches> bad_name = contents.Rows("totals; DROP TABLE x", "counts");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find("is not a sink table name"), std::string::npos)
      << bad_name.status().message();
  Result<std::vector<SinkWriteRow>> no_writes = contents.Writes("counts");
  ASSERT_TRUE(no_writes.ok()) << no_writes.status().message();
  EXPECT_TRUE(no_writes.value().empty());
}

TEST_F(SinkContentsTest, AFileThatIsNotASinkDatabaseIsAnError) {
  database_.reset();
  std::filesystem::remove(path_);
  Exec("CREATE TABLE totals(output TEXT, batch_time_ms INTEGER, key TEXT, record TEXT)");
  SinkContents contents = Contents();
  Result<Batches> uncatalogued = contents.Rows("totals", "counts");
  ASSERT_FALSE(uncatalogued.ok());
  EXPECT_NE(uncatalogued.status().message().find("no such table: streamsim_sink_tables"),
            std::string::npos)
      << uncatalogued.status().message();
  Result<std::vector<SinkWriteRow>> writes = contents.Writes("counts");
  ASSERT_FALSE(writes.ok());
  EXPECT_NE(writes.status().message().find("no such table: streamsim_sink_writes"),
            std::string::npos)
      << writes.status().message();
}

TEST_F(SinkContentsTest, RowsThatContradictTheSchemaAreErrors) {
  ASSERT_TRUE(
      database_->WriteIdempotent(Call("counts", "totals", 1000, 0, 0), {WordCount("a", 1)}).ok());
  ASSERT_TRUE(database_->WriteAppend(Call("log", "events", 1000, 0, 0), {Value::Int(1)}).ok());
  Exec("UPDATE totals SET key = '\"b\"'");
  Exec("INSERT INTO events VALUES ('log', 1000, 0, 1, 0, '{\"not\": \"a value\"}')");
  Exec("UPDATE streamsim_sink_writes SET record_count = 2 WHERE output = 'log'");
  SinkContents contents = Contents();
  Result<Batches> wrong_key = contents.Rows("totals", "counts");
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_NE(wrong_key.status().message().find(R"(row key "b" is not the key of record ["a",1])"),
            std::string::npos)
      << wrong_key.status().message();
  Result<Batches> undecodable = contents.Rows("events", "log");
  ASSERT_FALSE(undecodable.ok());
  EXPECT_NE(undecodable.status().message().find("is not an encoded value"), std::string::npos)
      << undecodable.status().message();
  Result<std::vector<SinkWriteRow>> miscounted = contents.Writes("log");
  ASSERT_FALSE(miscounted.ok());
  EXPECT_NE(miscounted.status().message().find("write 2 has 1 records, not 2"), std::string::npos)
      << miscounted.status().message();
}

}  // namespace
}  // namespace streamsim::checker
