// Executor-side and driver-side halves of each output operation.
#include "engine/streaming/output.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "engine/core/cluster.h"

namespace streamsim::engine {
namespace {

std::string PartFileName(int partition) { return fmt::format("part-{:05d}", partition); }

std::string BatchDirectory(const OutputOperation& output, sim::Instant batch_time) {
  std::string directory = fmt::format("{}-{}", output.prefix, batch_time.millis());
  if (!output.suffix.empty()) directory += "." + output.suffix;
  return directory;
}

// Writes a file the way Hadoop's output committer does: a temporary name, then a rename, so a
// retried task replaces its earlier attempt and readers never see half a file.
TaskResult<bool> CommitFile(TaskContext& context, const std::string& path,
                            const std::string& contents) {
  Status status = context.storage().ReplaceFileAtomically(context.node(), path, contents);
  if (!status.ok()) return TaskError::Storage(status.message());
  context.AddStorageWriteWork(static_cast<int64_t>(contents.size()));
  return true;
}

TaskResult<Values> SaveTextPartition(const OutputOperation& output, sim::Instant batch_time,
                                     const Values& records, int partition, TaskContext& context) {
  std::string contents;
  for (const Value& record : records) contents += record.ToDisplayString() + "\n";
  context.AddRecordWork(context.cost().record_output, records.size());
  TaskResult<bool> committed = CommitFile(
      context, BatchDirectory(output, batch_time) + "/" + PartFileName(partition), contents);
  if (!committed.ok()) return committed.error();
  return Values{Value::Int(static_cast<int64_t>(records.size()))};
}

TaskResult<Values> AppendToFileSink(const OutputOperation& output, sim::Instant batch_time,
                                    const Values& records, int partition, TaskContext& context) {
  std::string lines;
  for (const Value& record : records) {
    lines += fmt::format("{}\t{}\t{}\n", batch_time.millis(), partition, record.ToJson().dump());
  }
  context.AddRecordWork(context.cost().record_output, records.size());
  sim::Storage& storage = context.storage();
  Status status = Status::Ok();
  if (!storage.Exists(output.sink_path)) status = storage.Create(context.node(), output.sink_path);
  if (status.ok()) status = storage.Append(output.sink_path, lines);
  if (status.ok()) status = storage.Sync(output.sink_path);
  if (!status.ok()) return TaskError::Storage(status.message());
  context.AddWork(context.cost().storage_write +
                  storage.WriteDelay(static_cast<int64_t>(lines.size())));
  return Values{Value::Int(static_cast<int64_t>(records.size()))};
}

// The sink database's messages name its file ("sink database '/tmp/run/sinks.sqlite' refuses the
// table: ..."). Where the file is differs between two runs of one scenario, and a task failure's
// message reaches the trace, so the name is dropped to keep the fingerprint the same.
std::string WithoutDatabasePath(const std::string& message) {
  constexpr std::string_view kPrefix = "sink database '";
  if (message.rfind(kPrefix, 0) != 0) return message;
  const size_t end = message.find("' ", kPrefix.size());
  if (end == std::string::npos) return message;
  return "sink database " + message.substr(end + 2);
}

// One call of the sink database per output task, named by the output, batch, partition and the
// task's attempt, so that the write ledger shows a retried task as a second call. The write is
// charged like one durable write of the records' estimated size (the cost model's figure only:
// the sink database is outside the simulated store, whose faults do not reach it).
TaskResult<Values> WriteToSinkTable(const OutputOperation& output, sim::Instant batch_time,
                                    const Values& records, int partition, TaskContext& context) {
  const SinkWrite write{output.name, output.sink_table, batch_time, partition,
                        context.attempt_number()};
  SinkDatabase& database = *output.sink_database;
  Status status = Status::Ok();
  switch (output.sink_kind) {
    case SinkKind::kIdempotent:
      status = database.WriteIdempotent(write, records);
      break;
    case SinkKind::kTransactional: {
      // Skipped as already committed (true) is a success: the marker says an earlier attempt of
      // this partition wrote the batch.
      const Result<bool> skipped = database.WriteTransactional(write, records);
      if (!skipped.ok()) status = skipped.status();
      break;
    }
    case SinkKind::kAppend:
      status = database.WriteAppend(write, records);
      break;
  }
  if (!status.ok()) return TaskError::Storage(WithoutDatabasePath(status.message()));
  context.AddRecordWork(context.cost().record_output, records.size());
  context.AddWork(context.cost().StorageWrite(EstimateBytes(records)));
  return Values{Value::Int(static_cast<int64_t>(records.size()))};
}

int64_t SumCounts(const std::vector<Values>& partition_results) {
  int64_t total = 0;
  for (const Values& result : partition_results) {
    for (const Value& count : result) total += count.AsInt();
  }
  return total;
}

Values Concatenate(const std::vector<Values>& partition_results) {
  Values all;
  for (const Values& result : partition_results)
    all.insert(all.end(), result.begin(), result.end());
  return all;
}

}  // namespace

ResultFunction MakeResultFunction(const OutputOperation& output, sim::Instant batch_time) {
  switch (output.kind) {
    case OutputOperation::Kind::kPrint: {
      const size_t limit = static_cast<size_t>(output.print_count) + 1;  // take(n + 1)
      return [limit](Values records, int, TaskContext&) {
        if (records.size() > limit) records.resize(limit);
        return records;
      };
    }
    case OutputOperation::Kind::kCollect:
      return [](Values records, int, TaskContext&) { return records; };
    case OutputOperation::Kind::kSaveAsTextFiles:
      return [output, batch_time](Values records, int partition, TaskContext& context) {
        return SaveTextPartition(output, batch_time, records, partition, context);
      };
    case OutputOperation::Kind::kFileSink:
      return [output, batch_time](Values records, int partition, TaskContext& context) {
        return AppendToFileSink(output, batch_time, records, partition, context);
      };
    case OutputOperation::Kind::kSqliteSink:
      if (output.sink_database == nullptr) {
        std::fprintf(stderr, "streamsim: output %s: a SQLite sink without a database\n",
                     output.name.c_str());
        std::abort();
      }
      return [output, batch_time](Values records, int partition, TaskContext& context) {
        return WriteToSinkTable(output, batch_time, records, partition, context);
      };
  }
  return nullptr;
}

std::string FormatPrint(sim::Instant batch_time, const Values& first_records, int count) {
  std::string text = fmt::format(
      "-------------------------------------------\nTime: {} ms\n"
      "-------------------------------------------\n",
      batch_time.millis());
  for (size_t i = 0; i < first_records.size() && i < static_cast<size_t>(count); ++i) {
    text += first_records[i].ToDisplayString() + "\n";
  }
  if (first_records.size() > static_cast<size_t>(count)) text += "...\n";
  return text + "\n";
}

int64_t FinishOutput(const OutputOperation& output, sim::Instant batch_time,
                     const std::vector<Values>& partition_results, sim::World* world,
                     sim::NodeId driver, OutputListener* listener) {
  switch (output.kind) {
    case OutputOperation::Kind::kPrint: {
      Values first = Concatenate(partition_results);
      if (first.size() > static_cast<size_t>(output.print_count) + 1) {
        first.resize(static_cast<size_t>(output.print_count) + 1);
      }
      listener->OnPrint(FormatPrint(batch_time, first, output.print_count));
      return static_cast<int64_t>(first.size());
    }
    case OutputOperation::Kind::kCollect: {
      const Values all = Concatenate(partition_results);
      listener->OnCollect(output.name, batch_time.millis(), all);
      return static_cast<int64_t>(all.size());
    }
    case OutputOperation::Kind::kSaveAsTextFiles: {
      // The job commits with a _SUCCESS marker once every part file is in place.
      Status status = world->storage().WriteWholeFile(
          driver, BatchDirectory(output, batch_time) + "/_SUCCESS", "");
      if (!status.ok()) world->Record("output", "commit failed: " + status.message());
      return SumCounts(partition_results);
    }
    case OutputOperation::Kind::kFileSink:
    case OutputOperation::Kind::kSqliteSink:
      return SumCounts(partition_results);
  }
  return 0;
}

}  // namespace streamsim::engine
