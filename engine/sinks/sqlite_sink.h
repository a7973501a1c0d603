// Sink databases: the SQLite file a run's sink outputs write into (one file per run), with the
// three sink kinds whose delivery guarantees the simulation compares — an idempotent upsert, a
// transactional write guarded by a commit marker, and a naive append that duplicates on a retry —
// plus a write ledger saying which (batch, partition, attempt) call wrote what. The checker reads
// the file back with its own SQL (checker/sink_contents.h); this schema is the contract between
// the two, so change both together.
//
// Schema. Sink tables are created on first use; a table keeps the kind it was created with.
// Records and keys are stored as the lossless JSON text of records/value_codec.h (EncodeValue).
//   idempotent <table>(output TEXT, batch_time_ms INTEGER, key TEXT, record TEXT,
//                      partition INTEGER, attempt INTEGER,
//                      PRIMARY KEY (output, batch_time_ms, key))
//       key: the record's first element when the record is a pair (a 2-tuple), else the record.
//       partition, attempt: the call that wrote the row's current record.
//   transactional <table>(output TEXT, batch_time_ms INTEGER, partition INTEGER, attempt INTEGER,
//                         position INTEGER, record TEXT,
//                         PRIMARY KEY (output, batch_time_ms, partition, position))
//   append <table>(output TEXT, batch_time_ms INTEGER, partition INTEGER, attempt INTEGER,
//                  position INTEGER, record TEXT)             -- no key: a replay adds rows
//   streamsim_sink_tables(table_name TEXT PRIMARY KEY COLLATE NOCASE, kind TEXT)
//       kind: "idempotent", "transactional" or "append".
//   streamsim_sink_commits(table_name TEXT COLLATE NOCASE, output TEXT, batch_time_ms INTEGER,
//                          partition INTEGER, attempt INTEGER,
//                          PRIMARY KEY (table_name, output, batch_time_ms, partition))
//       the transactional markers; attempt is the attempt that committed.
//   streamsim_sink_writes(write_id INTEGER PRIMARY KEY, output TEXT, table_name TEXT, kind TEXT,
//                         batch_time_ms INTEGER, partition INTEGER, attempt INTEGER,
//                         record_count INTEGER, outcome TEXT)
//       one row per call, write_id in call order; record_count is the number of records the
//       call was given; outcome: "written" (append, transactional), "upserted" (idempotent) or
//       "skipped-already-committed" (transactional, marker present).
//   streamsim_sink_write_records(write_id INTEGER, position INTEGER, record TEXT,
//                                PRIMARY KEY (write_id, position))
//       the records a call wrote, in the order given; none for a skipped call.
// `position` is the record's index in the call's records. Table names are SQL identifiers
// ([A-Za-z_][A-Za-z0-9_]*, at most kSinkTableNameLengthMax characters, case-insensitive as in
// SQLite, not starting with "sqlite_" or "streamsim_"), since SQLite cannot bind them.
//
// Each call is one SQLite transaction: the sink rows, the marker and the ledger rows land
// together or not at all. Calls are synchronous and single-threaded; no clock or randomness is
// involved, so the file's contents depend only on the sequence of calls. The file is a simulation
// artefact, written with journal_mode=MEMORY and synchronous=OFF: what a simulated crash loses is
// decided by when the engine calls the sink, never by real fsync.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/core/records_and_ledger.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::engine {

enum class SinkKind { kIdempotent, kTransactional, kAppend };

// "idempotent", "transactional", "append": the spelling stored in the database.
std::string_view SinkKindName(SinkKind kind);

inline constexpr size_t kSinkTableNameLengthMax = 64;

// Which call this is: the output operation, its table, and the output task's batch, partition and
// attempt. Named fields, so that partition and attempt cannot be swapped at a call site.
struct SinkWrite {
  std::string output;
  std::string table;
  sim::Instant batch_time;  // REQUIRES: a whole number of milliseconds (batch times are)
  int partition = 0;
  int attempt = 0;
};

class SinkDatabase {
 public:
  // Creates the database at `path`, first removing any file (and SQLite journal) already there, so
  // that the run starts from an empty sink. Errors: the old file cannot be removed, the directory
  // does not exist, or SQLite cannot create or configure the file.
  static Result<std::unique_ptr<SinkDatabase>> Create(const std::string& path);
  // Opens the database at `path`, creating it when missing and keeping what is there.
  static Result<std::unique_ptr<SinkDatabase>> Open(const std::string& path);

  ~SinkDatabase();
  SinkDatabase(const SinkDatabase&) = delete;
  SinkDatabase& operator=(const SinkDatabase&) = delete;

  // Upserts every record keyed by (output, batch time, key): a replay overwrites, so the table
  // holds the latest record per key (within one call, the last record with that key). Ledger
  // outcome "upserted".
  Status WriteIdempotent(const SinkWrite& write, const Values& records);
  // Writes the records and the (table, output, batch time, partition) marker in one transaction.
  // When the marker exists already, writes nothing to the sink table, records the call in the
  // ledger as "skipped-already-committed" and returns true; otherwise returns false ("written").
  Result<bool> WriteTransactional(const SinkWrite& write, const Values& records);
  // Inserts every record with its partition, attempt and position: a replay duplicates. Ledger
  // outcome "written".
  Status WriteAppend(const SinkWrite& write, const Values& records);
  //
  // All three fail, writing no sink row, marker or ledger row, when: the table name is not a
  // valid identifier; the table exists with another kind; a record holds a NaN or infinite double
  // (JSON has no spelling for them, so they would not read back exactly) or a string that is not
  // UTF-8; or SQLite reports an error (its message is included; a sink table the call created
  // may then remain, empty).

 private:
  class Impl;  // the connection and its prepared statements (sqlite_sink.cc)

  explicit SinkDatabase(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace streamsim::engine
