// The sink database: what each sink kind leaves in its table and in the write ledger after a first
// attempt and a replay, read back with plain SQL so that the test pins the documented schema.
#include "engine/sinks/sqlite_sink.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "records/value_codec.h"
#include "tests/unit/engine/sqlite_query_support.h"

namespace streamsim::engine {
namespace {

using testing::Rows;

class SqliteSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "sqlite_sink_test.XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    path_ = directory_ + "/sinks.db";
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::unique_ptr<SinkDatabase> Create() {
    Result<std::unique_ptr<SinkDatabase>> database = SinkDatabase::Create(path_);
    EXPECT_TRUE(database.ok()) << database.status().message();
    return database.ok() ? std::move(database.value()) : nullptr;
  }

  // Every row of `sql`, each column as text ("NULL" for null).
  Rows Query(const std::string& sql) const { return testing::QueryRows(path_, sql); }

  std::string directory_;
  std::string path_;
};

SinkWrite Call(std::string table, int64_t batch_time_ms, int partition, int attempt) {
  return SinkWrite{.output = "counts",
                   .table = std::move(table),
                   .batch_time = sim::Instant{batch_time_ms * 1000},
                   .partition = partition,
                   .attempt = attempt};
}

Value WordCount(const std::string& word, int64_t count) {
  return Value::Pair(Value::String(word), Value::Int(count));
}

constexpr const char* kLedgerSql =
    "SELECT write_id, output, table_name, kind, batch_time_ms, partition, attempt, record_count,"
    " outcome FROM streamsim_sink_writes ORDER BY write_id";

TEST_F(SqliteSinkTest, IdempotentReplayOverwritesAndLeavesOneRowPerKey) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  Status first =
      database->WriteIdempotent(Call("totals", 2000, 1, 0), {WordCount("a", 1), WordCount("b", 2)});
  ASSERT_TRUE(first.ok()) << first.message();
  Status replay = database->WriteIdempotent(Call("totals", 2000, 1, 1),
                                            {WordCount("b", 20), WordCount("a", 10)});
  ASSERT_TRUE(replay.ok()) << replay.message();
  EXPECT_EQ(Query("SELECT output, batch_time_ms, key, record, partition, attempt FROM totals"
                  " ORDER BY key"),
            (Rows{{"counts", "2000", R"("a")", R"(["a",10])", "1", "1"},
                  {"counts", "2000", R"("b")", R"(["b",20])", "1", "1"}}));
  EXPECT_EQ(Query(kLedgerSql),
            (Rows{{"1", "counts", "totals", "idempotent", "2000", "1", "0", "2", "upserted"},
                  {"2", "counts", "totals", "idempotent", "2000", "1", "1", "2", "upserted"}}));
  EXPECT_EQ(Query("SELECT write_id, position, record FROM streamsim_sink_write_records"
                  " ORDER BY write_id, position"),
            (Rows{{"1", "0", R"(["a",1])"},
                  {"1", "1", R"(["b",2])"},
                  {"2", "0", R"(["b",20])"},
                  {"2", "1", R"(["a",10])"}}));
}

TEST_F(SqliteSinkTest, IdempotentKeysAreScopedByOutputAndBatch) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  ASSERT_TRUE(database->WriteIdempotent(Call("totals", 1000, 0, 0), {WordCount("a", 1)}).ok());
  ASSERT_TRUE(database->WriteIdempotent(Call("totals", 2000, 0, 0), {WordCount("a", 2)}).ok());
  SinkWrite other_output = Call("totals", 1000, 0, 0);
  other_output.output = "other";
  ASSERT_TRUE(database->WriteIdempotent(other_output, {WordCount("a", 3)}).ok());
  EXPECT_EQ(
      Query("SELECT output, batch_time_ms, record FROM totals ORDER BY output, batch_time_ms"),
      (Rows{{"counts", "1000", R"(["a",1])"},
            {"counts", "2000", R"(["a",2])"},
            {"other", "1000", R"(["a",3])"}}));
}

TEST_F(SqliteSinkTest, IdempotentNonPairRecordsAreTheirOwnKeys) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  const Values records = {
      Value::Int(5), Value::Tuple({Value::Int(1), Value::Int(2), Value::Int(3)}),
      Value::String("x"), Value::Int(5), Value::List({Value::Int(7), Value::Int(8)})};
  Status status = database->WriteIdempotent(Call("seen", 1000, 0, 0), records);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Query("SELECT key, record FROM seen ORDER BY key"),
            (Rows{{R"("x")", R"("x")"},
                  {"5", "5"},
                  {"[1,2,3]", "[1,2,3]"},
                  {R"({"list":[7,8]})", R"({"list":[7,8]})"}}));
  EXPECT_EQ(Query("SELECT record_count FROM streamsim_sink_writes"), (Rows{{"5"}}));
}

TEST_F(SqliteSinkTest, TransactionalReplayIsSkippedAndKeepsTheFirstAttempt) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  Result<bool> first = database->WriteTransactional(Call("orders", 3000, 2, 0),
                                                    {WordCount("a", 1), WordCount("a", 1)});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_FALSE(first.value());
  Result<bool> replay =
      database->WriteTransactional(Call("orders", 3000, 2, 1), {WordCount("z", 9)});
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_TRUE(replay.value());
  Result<bool> other_partition =
      database->WriteTransactional(Call("orders", 3000, 3, 1), {WordCount("b", 2)});
  ASSERT_TRUE(other_partition.ok());
  EXPECT_FALSE(other_partition.value());

  EXPECT_EQ(Query("SELECT batch_time_ms, partition, attempt, position, record FROM orders"
                  " ORDER BY partition, position"),
            (Rows{{"3000", "2", "0", "0", R"(["a",1])"},
                  {"3000", "2", "0", "1", R"(["a",1])"},
                  {"3000", "3", "1", "0", R"(["b",2])"}}));
  EXPECT_EQ(Query("SELECT table_name, output, batch_time_ms, partition, attempt"
                  " FROM streamsim_sink_commits ORDER BY partition"),
            (Rows{{"orders", "counts", "3000", "2", "0"}, {"orders", "counts", "3000", "3", "1"}}));
  EXPECT_EQ(Query(kLedgerSql),
            (Rows{{"1", "counts", "orders", "transactional", "3000", "2", "0", "2", "written"},
                  {"2", "counts", "orders", "transactional", "3000", "2", "1", "1",
                   "skipped-already-committed"},
                  {"3", "counts", "orders", "transactional", "3000", "3", "1", "1", "written"}}));
  EXPECT_EQ(Query("SELECT write_id, COUNT(*) FROM streamsim_sink_write_records GROUP BY write_id"),
            (Rows{{"1", "2"}, {"3", "1"}}));
}

TEST_F(SqliteSinkTest, TransactionalMarkerOfAnEmptyPartitionStillSkipsTheReplay) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  Result<bool> first = database->WriteTransactional(Call("orders", 1000, 0, 0), {});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first.value());
  Result<bool> replay = database->WriteTransactional(Call("orders", 1000, 0, 1), {Value::Int(1)});
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay.value());
  EXPECT_EQ(Query("SELECT COUNT(*) FROM orders"), (Rows{{"0"}}));
}

TEST_F(SqliteSinkTest, AppendDuplicatesOnReplay) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  ASSERT_TRUE(database->WriteAppend(Call("log", 1000, 0, 0), {Value::Int(1), Value::Int(2)}).ok());
  ASSERT_TRUE(database->WriteAppend(Call("log", 1000, 0, 1), {Value::Int(1), Value::Int(2)}).ok());
  EXPECT_EQ(Query("SELECT output, batch_time_ms, partition, attempt, position, record FROM log"
                  " ORDER BY rowid"),
            (Rows{{"counts", "1000", "0", "0", "0", "1"},
                  {"counts", "1000", "0", "0", "1", "2"},
                  {"counts", "1000", "0", "1", "0", "1"},
                  {"counts", "1000", "0", "1", "1", "2"}}));
  EXPECT_EQ(Query("SELECT kind, attempt, outcome FROM streamsim_sink_writes ORDER BY write_id"),
            (Rows{{"append", "0", "written"}, {"append", "1", "written"}}));
}

TEST_F(SqliteSinkTest, ValuesOfEveryKindRoundTripExactly) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  const Values records = {
      Value::Null(),
      Value::Bool(true),
      Value::Bool(false),
      Value::Int(std::numeric_limits<int64_t>::min()),
      Value::Int(std::numeric_limits<int64_t>::max()),
      Value::Int(1),
      Value::Double(1.0),
      Value::Double(-0.0),
      Value::Double(0.1),
      Value::Double(1e300),
      Value::Double(std::numeric_limits<double>::denorm_min()),
      Value::String(""),
      Value::String("quote \" backslash \\ newline \n tab \t unicode \u00e9\u4e2d"),
      Value::Tuple({}),
      Value::List({}),
      Value::Pair(Value::String("k"), Value::List({Value::Tuple({Value::Null()})})),
      Value::List({Value::Int(1), Value::Double(2.5), Value::String("s")}),
  };
  Status status = database->WriteAppend(Call("kinds", 1000, 0, 0), records);
  ASSERT_TRUE(status.ok()) << status.message();
  Rows rows = Query("SELECT record FROM kinds ORDER BY position");
  ASSERT_EQ(rows.size(), records.size());
  for (size_t index = 0; index < records.size(); ++index) {
    Value decoded;
    ASSERT_TRUE(DecodeValue(nlohmann::json::parse(rows[index][0]), &decoded)) << rows[index][0];
    EXPECT_EQ(decoded, records[index]) << rows[index][0];
    EXPECT_EQ(decoded.kind(), records[index].kind()) << rows[index][0];
  }
  EXPECT_TRUE(std::signbit(Value::FromJson(nlohmann::json::parse(rows[7][0])).AsDouble()));
}

TEST_F(SqliteSinkTest, BadTableNamesAreErrorsAndWriteNothing) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  for (const std::string& name :
       {std::string(""), std::string("1abc"), std::string("two words"), std::string("t;DROP"),
        std::string("t\"x"), std::string("sqlite_master"), std::string("STREAMSIM_sink_writes"),
        std::string(kSinkTableNameLengthMax + 1, 'a')}) {
    Status status = database->WriteAppend(Call(name, 1000, 0, 0), {Value::Int(1)});
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_NE(status.message().find("sink table name"), std::string::npos) << status.message();
    Result<bool> transactional = database->WriteTransactional(Call(name, 1000, 0, 0), {});
    EXPECT_FALSE(transactional.ok()) << name;
    EXPECT_FALSE(database->WriteIdempotent(Call(name, 1000, 0, 0), {}).ok()) << name;
  }
  EXPECT_TRUE(database
                  ->WriteAppend(Call(std::string(kSinkTableNameLengthMax, 'a'), 1000, 0, 0),
                                {Value::Int(1)})
                  .ok());
  EXPECT_EQ(Query("SELECT COUNT(*) FROM streamsim_sink_writes"), (Rows{{"1"}}));
}

TEST_F(SqliteSinkTest, ATableKeepsItsKindWhateverTheCase) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  ASSERT_TRUE(database->WriteAppend(Call("events", 1000, 0, 0), {Value::Int(1)}).ok());
  Status status = database->WriteIdempotent(Call("Events", 1000, 0, 0), {Value::Int(1)});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(),
            "sink database '" + path_ + "': table 'Events' has sink kind append, not idempotent");
  EXPECT_TRUE(database->WriteAppend(Call("EVENTS", 2000, 0, 0), {Value::Int(2)}).ok());
  EXPECT_EQ(Query("SELECT batch_time_ms, record FROM events ORDER BY rowid"),
            (Rows{{"1000", "1"}, {"2000", "2"}}));
}

TEST_F(SqliteSinkTest, NonFiniteDoublesAndNonUtf8StringsAreRefused) {
  auto database = Create();
  ASSERT_NE(database, nullptr);
  const Values refused = {
      Value::Double(std::numeric_limits<double>::quiet_NaN()),
      Value::Pair(Value::Int(1), Value::Double(std::numeric_limits<double>::infinity())),
      Value::String("\xff\xfe")};
  const std::vector<std::string> reasons = {"holds a NaN or infinite double",
                                            "holds a NaN or infinite double", "cannot be encoded"};
  for (size_t index = 0; index < refused.size(); ++index) {
    Status status =
        database->WriteAppend(Call("numbers", 1000, 0, 0), {Value::Int(1), refused[index]});
    ASSERT_FALSE(status.ok()) << refused[index].ToDisplayString();
    EXPECT_NE(status.message().find(reasons[index]), std::string::npos) << status.message();
  }
  EXPECT_EQ(Query("SELECT COUNT(*) FROM streamsim_sink_writes"), (Rows{{"0"}}));
}

TEST_F(SqliteSinkTest, ReopeningKeepsTablesKindsAndMarkers) {
  {
    auto database = Create();
    ASSERT_NE(database, nullptr);
    ASSERT_TRUE(database->WriteTransactional(Call("orders", 1000, 0, 0), {Value::Int(1)}).ok());
  }
  Result<std::unique_ptr<SinkDatabase>> reopened = SinkDatabase::Open(path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  Result<bool> replay =
      reopened.value()->WriteTransactional(Call("orders", 1000, 0, 1), {Value::Int(2)});
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_TRUE(replay.value());
  EXPECT_FALSE(reopened.value()->WriteAppend(Call("orders", 1000, 0, 1), {}).ok());
  EXPECT_EQ(Query("SELECT attempt, record FROM orders"), (Rows{{"0", "1"}}));
}

TEST_F(SqliteSinkTest, CreateStartsFromAnEmptyFile) {
  {
    auto database = Create();
    ASSERT_NE(database, nullptr);
    ASSERT_TRUE(database->WriteAppend(Call("log", 1000, 0, 0), {Value::Int(1)}).ok());
  }
  auto database = Create();
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(Query("SELECT name FROM sqlite_schema WHERE name = 'log'"), Rows{});
  EXPECT_EQ(Query("SELECT COUNT(*) FROM streamsim_sink_writes"), (Rows{{"0"}}));
}

TEST_F(SqliteSinkTest, UnopenableFilesAreErrors) {
  Result<std::unique_ptr<SinkDatabase>> missing_directory =
      SinkDatabase::Create(directory_ + "/no/such/dir/sinks.db");
  ASSERT_FALSE(missing_directory.ok());
  EXPECT_NE(missing_directory.status().message().find("cannot be opened"), std::string::npos)
      << missing_directory.status().message();

  std::ofstream(path_) << "not a database, just text that is long enough to be a header\n";
  Result<std::unique_ptr<SinkDatabase>> not_a_database = SinkDatabase::Open(path_);
  ASSERT_FALSE(not_a_database.ok());
  EXPECT_NE(not_a_database.status().message().find("not a database"), std::string::npos)
      << not_a_database.status().message();
}

}  // namespace
}  // namespace streamsim::engine
