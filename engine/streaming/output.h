// Output operations: what makes a DStream graph run. Each output generates one job per batch
// (when its stream has an RDD at that time): print(n) shows the first n elements under a
// "Time: <ms> ms" header, collect hands every record to the listener (the CLI writes JSON lines),
// saveAsTextFiles writes one directory per batch "prefix-<ms>.suffix" with a part file per
// partition, foreachRDD into a file sink appends every record to a file in durable storage, and a
// SQLite sink writes each partition's records into a table of the run's sink database
// (engine/sinks/sqlite_sink.h) with the batch time, the partition and the task's attempt number.
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/scheduler.h"
#include "engine/sinks/sqlite_sink.h"
#include "engine/streaming/dstream.h"

namespace streamsim::engine {

// Receives what output operations produce on the driver, and the run's warnings.
class OutputListener {
 public:
  virtual ~OutputListener() = default;
  virtual void OnPrint(const std::string& text) { (void)text; }
  virtual void OnCollect(const std::string& output, int64_t batch_time_ms, const Values& records) {
    (void)output, (void)batch_time_ms, (void)records;
  }
  virtual void OnWarning(const std::string& message) { (void)message; }
};

struct OutputOperation {
  enum class Kind { kPrint, kCollect, kSaveAsTextFiles, kFileSink, kSqliteSink };
  Kind kind = Kind::kPrint;
  DStream* stream = nullptr;
  // The collect name, or the name the run reports the output by (the trace's jobs and output
  // lines; a SQLite sink's rows and write ledger rows, as their `output` column).
  std::string name;
  int print_count = 10;
  std::string prefix;  // saveAsTextFiles
  std::string suffix;
  std::string sink_path;  // file sink
  // SQLite sink. The database outlives the run (REQUIRES: not null for kSqliteSink). Each output
  // task makes one call of the kind's Write* with the partition's records, in partition order:
  // an idempotent table keys a record by its first element when it is a pair, else by the whole
  // record (SinkDatabase::WriteIdempotent), so a stream of pairs upserts per (batch time, key)
  // and any other stream per (batch time, record) — duplicates within a batch collapse.
  SinkDatabase* sink_database = nullptr;
  SinkKind sink_kind = SinkKind::kAppend;
  std::string sink_table;
};

// What each partition's task does on the executor for this output.
ResultFunction MakeResultFunction(const OutputOperation& output, sim::Instant batch_time);
// What the driver does with the partition results once the job is done. Returns the number of
// records the output saw, for the trace (a SQLite sink: the records its tasks were given, also when
// a transactional write was skipped as already committed).
int64_t FinishOutput(const OutputOperation& output, sim::Instant batch_time,
                     const std::vector<Values>& partition_results, sim::World* world,
                     sim::NodeId driver, OutputListener* listener);
// Spark's print() text for one batch.
std::string FormatPrint(sim::Instant batch_time, const Values& first_records, int count);

}  // namespace streamsim::engine
