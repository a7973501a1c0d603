// Sink contents as the checker sees them: the rows a run left in its SQLite sink database, and the
// write ledger saying which (batch, partition, attempt) call wrote what. It reads the file with its
// own SQL against the schema documented in engine/sinks/sqlite_sink.h, never through the engine's
// sink code (STYLE.md practice 6), and checks what it reads: a row that does not decode to a value,
// an idempotent row whose key is not its record's key, or a ledger row whose record count does not
// match its records is an error, not something to compare.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "records/value.h"

namespace streamsim::checker {

// One call of a sink by an output task, from the ledger (streamsim_sink_writes).
struct SinkWriteRow {
  int64_t write_id = 0;  // the call's rank in the run's sequence of sink calls
  std::string output;
  std::string table;
  std::string kind;  // "idempotent", "transactional" or "append"
  int64_t batch_time_ms = 0;
  int partition = 0;
  int attempt = 0;
  int64_t record_count = 0;  // how many records the call was given
  std::string outcome;       // "written", "upserted" or "skipped-already-committed"
  records::Values records;   // what the call wrote, in order; empty when skipped
};

// Batch times (in ms) after `after_ms` up to `until_ms`, both bounds open-ended by default.
struct BatchRange {
  int64_t after_ms = std::numeric_limits<int64_t>::min();
  int64_t until_ms = std::numeric_limits<int64_t>::max();
};

// A read-only view of one sink database file. Reads see the file as it is when they run.
class SinkContents {
 public:
  // Errors: the file does not exist or SQLite cannot open it.
  static Result<SinkContents> Open(const std::string& path);

  SinkContents(SinkContents&& other) noexcept;
  SinkContents& operator=(SinkContents&& other) noexcept;
  ~SinkContents();

  // Whether the database holds a sink table of that name (names are case-insensitive, as in
  // SQLite). A sink table exists once some call wrote to it, even with no records.
  Result<bool> HasTable(const std::string& table) const;
  // The table's sink kind from the catalog: "idempotent", "transactional" or "append".
  Result<std::string> TableKind(const std::string& table) const;
  // The output's rows in the table, by batch time (batches without rows are absent). Append and
  // transactional tables: every row, in (partition, attempt, position) order. Idempotent tables:
  // one record per key, in the keys' total order. Errors: no such table, a name that is not an
  // identifier, an undecodable row or a key that does not match its record.
  // Only the batch times in `range`.
  Result<std::map<int64_t, records::Values>> Rows(const std::string& table,
                                                  const std::string& output,
                                                  const BatchRange& range = {}) const;
  // The output's ledger rows in call order (every table it wrote to), each with its records.
  Result<std::vector<SinkWriteRow>> Writes(const std::string& output) const;

 private:
  class Connection;  // the read-only sqlite3 handle (sink_contents.cc)

  SinkContents(std::string path, std::unique_ptr<Connection> connection);
  Status Error(const std::string& what, const Status& cause) const;
  Result<std::map<int64_t, records::Values>> SequencedRows(const std::string& table,
                                                           const std::string& output,
                                                           const BatchRange& range) const;
  Result<std::map<int64_t, records::Values>> KeyedRows(const std::string& table,
                                                       const std::string& output,
                                                       const BatchRange& range) const;
  Status AttachRecords(const std::string& output, std::vector<SinkWriteRow>* writes) const;

  std::string path_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace streamsim::checker
