// Tests of the SQLite sink output (engine/streaming/output.cc, kSqliteSink): the rows each batch
// and partition leaves in its table and in the write ledger, read back with plain SQL; the attempt
// number a retried task writes with; and what each sink kind keeps when a worker crash makes an
// output task run twice (append duplicates, idempotent and transactional do not).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "engine/streaming/output.h"
#include "tests/unit/engine/sqlite_query_support.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::D;
using testing::I;
using testing::L;
using testing::P;
using testing::RecordingListener;
using testing::S;

using testing::Rows;

// A context over a fresh world writing into a sink database in a directory of its own.
class SinkOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "output_sqlite_sink_test.XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    path_ = directory_ + "/sinks.sqlite";
    Result<std::unique_ptr<SinkDatabase>> database = SinkDatabase::Create(path_);
    ASSERT_TRUE(database.ok()) << database.status().message();
    database_ = std::move(database.value());
  }
  void TearDown() override {
    context_.reset();
    database_.reset();
    std::filesystem::remove_all(directory_);
  }

  // `workers` workers of two cores, stopping after `batches`; every task launch costs
  // `task_launch`.
  StreamingContext& Context(int workers, int64_t batches, sim::Duration task_launch) {
    StreamingConfig config;
    config.workers = workers;
    config.cores_per_worker = 2;
    config.stop_after_batches = batches;
    CostModel cost;
    cost.task_launch = task_launch;
    context_.reset();  // before the world it runs in
    world_ = std::make_unique<sim::World>(1);
    context_ = std::make_unique<StreamingContext>(world_.get(), config, cost, &listener_);
    return *context_;
  }

  void AddSink(DStream* stream, SinkKind kind, const std::string& table) {
    OutputOperation output;
    output.kind = OutputOperation::Kind::kSqliteSink;
    output.stream = stream;
    output.name = "sink:" + table;
    output.sink_database = database_.get();
    output.sink_kind = kind;
    output.sink_table = table;
    context_->AddOutput(output);
  }

  void Run() {
    ASSERT_TRUE(context_->Start().ok());
    testing::RunToTermination(*world_, *context_);
  }

  // Every row of `sql`, each column as text ("NULL" for null).
  Rows Query(const std::string& sql) const { return testing::QueryRows(path_, sql); }

  // The ledger: one row per call, in call order.
  Rows Ledger() const {
    return Query(
        "SELECT output, table_name, kind, batch_time_ms, partition, attempt, record_count, outcome"
        " FROM streamsim_sink_writes ORDER BY write_id");
  }

  std::string directory_;
  std::string path_;
  std::unique_ptr<SinkDatabase> database_;
  RecordingListener listener_;
  std::unique_ptr<sim::World> world_;
  std::unique_ptr<StreamingContext> context_;
};

TEST_F(SinkOutputTest, AppendWritesEachPartitionsRecordsWithTheBatchTimePartitionAndAttempt) {
  StreamingContext& context = Context(2, 3, sim::Duration::Millis(1));
  // Three records in two slices, [0, 1) and [1, 3); an empty batch; one record, in slice [0, 1).
  DStream* input = context.QueueStream(
      "input", {{P(S("a"), I(1)), S("b"), D(2.5)}, {}, {L({I(1), I(2)})}}, 2, true);
  AddSink(input, SinkKind::kAppend, "events");
  Run();
  EXPECT_EQ(Query("SELECT output, batch_time_ms, partition, attempt, position, record FROM events"
                  " ORDER BY batch_time_ms, partition, position"),
            (Rows{{"sink:events", "1000", "0", "0", "0", "[\"a\",1]"},
                  {"sink:events", "1000", "1", "0", "0", "\"b\""},
                  {"sink:events", "1000", "1", "0", "1", "2.5"},
                  {"sink:events", "3000", "1", "0", "0", "{\"list\":[1,2]}"}}));
  // Every output task calls the sink once, with the records it was given (none is a call too).
  Rows ledger = Ledger();
  std::sort(ledger.begin(), ledger.end(), [](const auto& a, const auto& b) {
    return std::tie(a[3], a[4]) < std::tie(b[3], b[4]);
  });
  EXPECT_EQ(ledger, (Rows{{"sink:events", "events", "append", "1000", "0", "0", "1", "written"},
                          {"sink:events", "events", "append", "1000", "1", "0", "2", "written"},
                          {"sink:events", "events", "append", "2000", "0", "0", "0", "written"},
                          {"sink:events", "events", "append", "2000", "1", "0", "0", "written"},
                          {"sink:events", "events", "append", "3000", "0", "0", "0", "written"},
                          {"sink:events", "events", "append", "3000", "1", "0", "1", "written"}}));
  EXPECT_EQ(Query("SELECT kind FROM streamsim_sink_tables WHERE table_name = 'events'"),
            (Rows{{"append"}}));
}

TEST_F(SinkOutputTest, IdempotentKeysPairsByTheirFirstElementAndOtherRecordsByThemselves) {
  StreamingContext& context = Context(2, 1, sim::Duration::Millis(1));
  DStream* input = context.QueueStream(
      "input", {{P(S("a"), I(1)), P(S("a"), I(2)), S("b"), S("b"), I(7)}}, 1, true);
  AddSink(input, SinkKind::kIdempotent, "latest");
  Run();
  // Within one call the last record with a key wins; "b" twice is one row.
  EXPECT_EQ(Query("SELECT batch_time_ms, key, record, partition, attempt FROM latest ORDER BY key"),
            (Rows{{"1000", "\"a\"", "[\"a\",2]", "0", "0"},
                  {"1000", "\"b\"", "\"b\"", "0", "0"},
                  {"1000", "7", "7", "0", "0"}}));
  EXPECT_EQ(Ledger(),
            (Rows{{"sink:latest", "latest", "idempotent", "1000", "0", "0", "5", "upserted"}}));
}

TEST_F(SinkOutputTest, TheSinkWriteTakesSimulatedTime) {
  // One task of three records: 1 ms launch, 3 x 2 us record_output, a 5 ms durable write.
  StreamingContext& context = Context(1, 1, sim::Duration::Millis(1));
  DStream* input = context.QueueStream("input", {{I(1), I(2), I(3)}}, 1, true);
  AddSink(input, SinkKind::kTransactional, "numbers");
  Run();
  const std::vector<BatchInfo> batches = context.batches();
  ASSERT_EQ(batches.size(), 1u);
  ASSERT_TRUE(batches[0].processing_time().has_value());
  StreamingContext& without_sink = Context(1, 1, sim::Duration::Millis(1));
  OutputOperation collect;
  collect.kind = OutputOperation::Kind::kCollect;
  collect.stream = without_sink.QueueStream("input", {{I(1), I(2), I(3)}}, 1, true);
  collect.name = "numbers";
  without_sink.AddOutput(collect);
  Run();
  ASSERT_TRUE(without_sink.batches()[0].processing_time().has_value());
  EXPECT_EQ(batches[0].processing_time()->us - without_sink.batches()[0].processing_time()->us,
            3 * 2 + 5000);
}

// Four partitions of one record on two workers of two cores: partitions 0 and 2 run on worker/0,
// 1 and 3 on worker/1 (the scheduler takes the executor with the most free cores, the lower
// index on a tie). Every task launch costs 400 ms, so batch 1000 ms's tasks, launched just after
// 1002.5 ms, write to the sink on arrival and report some 400 ms later. Worker/1 crashes at
// 1100 ms, between its two tasks' writes and their reports: the driver resubmits them to worker/0,
// as attempt 1, once its cores free up. Batch 2000 ms holds one record, in partition 3.
void TwoPartitionsRetried(StreamingContext& context, sim::World& world) {
  world.ScheduleGlobal(sim::Duration::Millis(1100),
                       [&context]() { context.CrashWorker(1, std::nullopt); });
}

const std::vector<Values> kRetriedBatches = {
    {P(S("a"), I(1)), P(S("b"), I(2)), P(S("c"), I(3)), P(S("d"), I(4))}, {P(S("e"), I(5))}};

class SinkKindUnderRetryTest : public SinkOutputTest {
 protected:
  void RunWithRetries(SinkKind kind) {
    StreamingContext& context = Context(2, 2, sim::Duration::Millis(400));
    AddSink(context.QueueStream("words", kRetriedBatches, 4, true), kind, "words");
    TwoPartitionsRetried(context, *world_);
    Run();
    EXPECT_EQ(context.stop_reason(), "stopped after 2 batches");
    EXPECT_EQ(context.warnings(), std::vector<std::string>{});
    EXPECT_EQ(context.scheduler().counters().tasks_failed, 0);
    // 4 + 2 resubmitted + 4.
    EXPECT_EQ(context.scheduler().counters().tasks_launched, 10);
  }

  // The ledger's (batch, partition, attempt, outcome) of calls with records, by batch, attempt
  // and partition (within an attempt, calls follow the launch messages' network latencies).
  Rows Calls() const {
    return Query(
        "SELECT batch_time_ms, partition, attempt, outcome FROM streamsim_sink_writes"
        " WHERE record_count > 0 ORDER BY batch_time_ms, attempt, partition");
  }
};

TEST_F(SinkKindUnderRetryTest, AppendWritesTheRetriedPartitionsTwice) {
  RunWithRetries(SinkKind::kAppend);
  EXPECT_EQ(Query("SELECT batch_time_ms, partition, attempt, record FROM words"
                  " ORDER BY batch_time_ms, partition, attempt"),
            (Rows{{"1000", "0", "0", "[\"a\",1]"},
                  {"1000", "1", "0", "[\"b\",2]"},
                  {"1000", "1", "1", "[\"b\",2]"},
                  {"1000", "2", "0", "[\"c\",3]"},
                  {"1000", "3", "0", "[\"d\",4]"},
                  {"1000", "3", "1", "[\"d\",4]"},
                  {"2000", "3", "0", "[\"e\",5]"}}));
  EXPECT_EQ(Calls(), (Rows{{"1000", "0", "0", "written"},
                           {"1000", "1", "0", "written"},
                           {"1000", "2", "0", "written"},
                           {"1000", "3", "0", "written"},
                           {"1000", "1", "1", "written"},
                           {"1000", "3", "1", "written"},
                           {"2000", "3", "0", "written"}}));
}

TEST_F(SinkKindUnderRetryTest, IdempotentOverwritesTheRetriedPartitionsRows) {
  RunWithRetries(SinkKind::kIdempotent);
  EXPECT_EQ(Query("SELECT batch_time_ms, key, record, partition, attempt FROM words"
                  " ORDER BY batch_time_ms, key"),
            (Rows{{"1000", "\"a\"", "[\"a\",1]", "0", "0"},
                  {"1000", "\"b\"", "[\"b\",2]", "1", "1"},
                  {"1000", "\"c\"", "[\"c\",3]", "2", "0"},
                  {"1000", "\"d\"", "[\"d\",4]", "3", "1"},
                  {"2000", "\"e\"", "[\"e\",5]", "3", "0"}}));
  EXPECT_EQ(Calls(), (Rows{{"1000", "0", "0", "upserted"},
                           {"1000", "1", "0", "upserted"},
                           {"1000", "2", "0", "upserted"},
                           {"1000", "3", "0", "upserted"},
                           {"1000", "1", "1", "upserted"},
                           {"1000", "3", "1", "upserted"},
                           {"2000", "3", "0", "upserted"}}));
}

TEST_F(SinkKindUnderRetryTest, TransactionalSkipsTheRetriedPartitionsAlreadyCommitted) {
  RunWithRetries(SinkKind::kTransactional);
  EXPECT_EQ(Query("SELECT batch_time_ms, partition, attempt, record FROM words"
                  " ORDER BY batch_time_ms, partition"),
            (Rows{{"1000", "0", "0", "[\"a\",1]"},
                  {"1000", "1", "0", "[\"b\",2]"},
                  {"1000", "2", "0", "[\"c\",3]"},
                  {"1000", "3", "0", "[\"d\",4]"},
                  {"2000", "3", "0", "[\"e\",5]"}}));
  EXPECT_EQ(Calls(), (Rows{{"1000", "0", "0", "written"},
                           {"1000", "1", "0", "written"},
                           {"1000", "2", "0", "written"},
                           {"1000", "3", "0", "written"},
                           {"1000", "1", "1", "skipped-already-committed"},
                           {"1000", "3", "1", "skipped-already-committed"},
                           {"2000", "3", "0", "written"}}));
  EXPECT_EQ(Query("SELECT batch_time_ms, partition, attempt FROM streamsim_sink_commits"
                  " WHERE batch_time_ms = 1000 ORDER BY partition"),
            (Rows{{"1000", "0", "0"}, {"1000", "1", "0"}, {"1000", "2", "0"}, {"1000", "3", "0"}}));
}

TEST_F(SinkOutputTest, AWriteTheSinkRefusesFailsTheTaskWithoutNamingTheFile) {
  // A NaN has no JSON spelling: every attempt fails, and so does the job.
  StreamingContext& context = Context(1, 1, sim::Duration::Millis(1));
  AddSink(context.QueueStream("input", {{D(std::nan(""))}}, 1, true), SinkKind::kAppend, "nan");
  Run();
  const std::vector<BatchInfo> batches = context.batches();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].failure,
            "Job aborted due to stage failure: Task 0 in stage 0.0 failed 4 times, most recent "
            "failure: sink database table 'nan': record nan holds a NaN or infinite double, "
            "which JSON cannot store");
  EXPECT_EQ(context.scheduler().counters().tasks_failed, 4);
  EXPECT_EQ(Query("SELECT count(*) FROM streamsim_sink_writes"), (Rows{{"0"}}));
}

}  // namespace
}  // namespace streamsim::engine
