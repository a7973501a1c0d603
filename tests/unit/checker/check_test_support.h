// Helpers of the check tests: a small pipeline (one source "events" of (word, number) pairs; a
// stateless stream "counts" = reduceByKey(a + b); a stateful stream "totals" = running sums by
// updateStateByKey), a run built by hand on an ledger::Ledger (records, batches, outcomes,
// emissions), and a sink database in a temporary directory written with engine::SinkDatabase and
// edited with plain SQL, as a broken run would leave it.
//
// The standard run: batch interval 1 s, zero time 0, five records of events/0 delivered (and
// acknowledged) at 0.2, 0.5, 1.3, 1.6 and 2.4 s: ("a", 1), ("b", 2) | ("a", 3), ("a", 4) | ("b", 5)
// in the batches of 1000, 2000 and 3000 ms. The oracle then gives
//   counts: 1000 [(a,1), (b,2)]   2000 [(a,7)]           3000 [(b,5)]
//   totals: 1000 [(a,1), (b,2)]   2000 [(a,8), (b,2)]    3000 [(a,8), (b,7)]
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "checker/check.h"
#include "engine/sinks/sqlite_sink.h"
#include "ledger/ledger.h"
#include "records/expression.h"

namespace streamsim::checker::testing {

using ledger::RecordId;
using ledger::RecordIds;
using records::Value;
using records::Values;

inline sim::Instant Ms(int64_t millis) { return sim::Instant{millis * 1000}; }

inline Value Pair(const std::string& word, int64_t number) {
  return Value::Pair(Value::String(word), Value::Int(number));
}

inline OperatorModel Op(const std::string& name, const std::string& function) {
  OperatorModel op;
  op.name = name;
  const auto parsed = records::Expression::Parse(function);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  if (parsed.ok()) op.func = parsed.value();
  return op;
}

inline PipelineModel Pipeline() {
  PipelineModel pipeline;
  pipeline.batch_interval = sim::Duration::Seconds(1);
  pipeline.sources = {"events"};
  pipeline.streams = {
      {"counts", "events", {Op("reduceByKey", "a + b")}},
      {"totals", "events", {Op("updateStateByKey", "sum(values) + if(state == null, 0, state)")}},
  };
  return pipeline;
}

// The configuration of the advice: "events" a reliable receiver, WAL and checkpoint on.
inline GuaranteeConfiguration ReliableConfiguration() {
  GuaranteeConfiguration configuration;
  configuration.sources = {{"events", SourceKind::kCustom, true, true, false}};
  configuration.write_ahead_log = true;
  configuration.checkpoint = true;
  configuration.supervise = true;
  return configuration;
}

// A run built by hand. Records are events/0/<sequence>.
class RunBuilder {
 public:
  RunBuilder() { ledger_.RegisterSource("events"); }

  // Produces a record just before `delivered_ms`, delivers it then and (when `acknowledged`)
  // acknowledges it at once. Returns its id.
  RecordId Record(int64_t sequence, Value value, int64_t delivered_ms, bool acknowledged = true) {
    const RecordId id{0, 0, sequence};
    ledger_.Produced(id, std::move(value), Ms(delivered_ms - 1));
    ledger_.Delivered({id}, Ms(delivered_ms));
    if (acknowledged) ledger_.Acknowledged({id}, Ms(delivered_ms));
    return id;
  }
  // A record produced but never handed to the system.
  void ProducedOnly(int64_t sequence, Value value, int64_t produced_ms) {
    ledger_.Produced(RecordId{0, 0, sequence}, std::move(value), Ms(produced_ms));
  }
  // The five records of the standard run.
  void StandardRecords() {
    Record(0, Pair("a", 1), 200);
    Record(1, Pair("b", 2), 500);
    Record(2, Pair("a", 3), 1300);
    Record(3, Pair("a", 4), 1600);
    Record(4, Pair("b", 5), 2400);
  }
  // Allocates `sequences` of events/0 to the batch at `t_ms` of `life`.
  void Allocate(int life, int64_t t_ms, const std::vector<int64_t>& sequences,
                bool recovered = false, int64_t unavailable = 0) {
    RecordIds ids;
    for (int64_t sequence : sequences) ids.push_back(RecordId{0, 0, sequence});
    ledger_.Allocated(ledger::BatchAllocation{.driver_life = life,
                                              .batch_time = Ms(t_ms),
                                              .input = "events",
                                              .records = ids,
                                              .recovered = recovered,
                                              .unavailable = unavailable});
  }
  void Finish(int life, int64_t t_ms, std::string failure = "") {
    ledger_.BatchFinished(life, Ms(t_ms), std::move(failure));
  }
  // Allocates and finishes successfully.
  void Batch(int life, int64_t t_ms, const std::vector<int64_t>& sequences,
             bool recovered = false) {
    Allocate(life, t_ms, sequences, recovered);
    Finish(life, t_ms);
  }
  // The standard run's three batches, by life 1.
  void StandardBatches() {
    Batch(1, 1000, {0, 1});
    Batch(1, 2000, {2, 3});
    Batch(1, 3000, {4});
  }
  // An emission of batch t_ms, made at emitted_ms (at the batch time when negative).
  void Emit(const std::string& output, int life, int64_t t_ms, Values records = {},
            int64_t emitted_ms = -1) {
    ledger_.Emitted(ledger::OutputEmission{output, life, Ms(t_ms), std::move(records),
                                           Ms(emitted_ms < 0 ? t_ms : emitted_ms)});
  }

  ledger::Ledger& ledger() { return ledger_; }

 private:
  ledger::Ledger ledger_;
};

// A sink database in a fresh temporary directory, removed with the object.
class SinkFile {
 public:
  SinkFile() {
    std::string pattern = std::filesystem::temp_directory_path() / "check_test.XXXXXX";
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    path_ = directory_ + "/sinks.sqlite";
    Result<std::unique_ptr<engine::SinkDatabase>> database = engine::SinkDatabase::Create(path_);
    EXPECT_TRUE(database.ok()) << database.status().message();
    if (database.ok()) database_ = std::move(database.value());
  }
  ~SinkFile() {
    database_.reset();
    std::filesystem::remove_all(directory_);
  }
  SinkFile(const SinkFile&) = delete;
  SinkFile& operator=(const SinkFile&) = delete;

  const std::string& path() const { return path_; }

  void Append(const std::string& output, const std::string& table, int64_t t_ms,
              const Values& records, int attempt = 0) {
    EXPECT_TRUE(database_->WriteAppend(Call(output, table, t_ms, attempt), records).ok());
  }
  void Upsert(const std::string& output, const std::string& table, int64_t t_ms,
              const Values& records, int attempt = 0) {
    EXPECT_TRUE(database_->WriteIdempotent(Call(output, table, t_ms, attempt), records).ok());
  }
  void Transact(const std::string& output, const std::string& table, int64_t t_ms,
                const Values& records, int attempt = 0) {
    EXPECT_TRUE(database_->WriteTransactional(Call(output, table, t_ms, attempt), records).ok());
  }
  // Plain SQL on the file, as a broken sink would leave it.
  void Exec(const std::string& sql) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message != nullptr ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }

 private:
  static engine::SinkWrite Call(const std::string& output, const std::string& table, int64_t t_ms,
                                int attempt) {
    return engine::SinkWrite{.output = output,
                             .table = table,
                             .batch_time = Ms(t_ms),
                             .partition = 0,
                             .attempt = attempt};
  }

  std::string directory_;
  std::string path_;
  std::unique_ptr<engine::SinkDatabase> database_;
};

// Facts for a run of `ledger`: the pipeline above, zero time 0, ended at `end_ms` without a
// graceful stop, the reliable configuration, no outputs and no faults.
inline RunFacts Facts(const ledger::Ledger& ledger, int64_t end_ms = 4000) {
  RunFacts facts;
  facts.ledger = &ledger;
  facts.pipeline = Pipeline();
  facts.zero_time = Ms(0);
  facts.end_time = Ms(end_ms);
  facts.configuration = ReliableConfiguration();
  return facts;
}

// Every finding as FormatFinding's line, in the report's order.
inline std::vector<std::string> Lines(const CheckReport& report) {
  std::vector<std::string> lines;
  for (const Finding& finding : report.findings) lines.push_back(FormatFinding(finding));
  return lines;
}

}  // namespace streamsim::checker::testing
