// The sink database on the sqlite3 C API: one prepared statement per sink table and one per
// ledger operation, each call in one transaction, every SQLite failure turned into a Status.
#include "engine/sinks/sqlite_sink.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "engine/core/records_and_ledger.h"
#include "records/value_codec.h"

namespace streamsim::engine {

namespace {

constexpr std::string_view kOutcomeWritten = "written";
constexpr std::string_view kOutcomeUpserted = "upserted";
constexpr std::string_view kOutcomeSkipped = "skipped-already-committed";

// The file is a simulation artefact: whether a write "survives a crash" is decided by when the
// engine calls the sink, not by fsync. So the rollback journal stays in memory (ROLLBACK still
// works) and SQLite never syncs; a real process crash may corrupt the file, which the simulation
// never relies on.
constexpr const char* kSchemaSql = R"sql(
PRAGMA journal_mode = MEMORY;
PRAGMA synchronous = OFF;
CREATE TABLE IF NOT EXISTS streamsim_sink_tables(
  table_name TEXT PRIMARY KEY COLLATE NOCASE, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS streamsim_sink_commits(
  table_name TEXT NOT NULL COLLATE NOCASE, output TEXT NOT NULL, batch_time_ms INTEGER NOT NULL,
  partition INTEGER NOT NULL, attempt INTEGER NOT NULL,
  PRIMARY KEY (table_name, output, batch_time_ms, partition));
CREATE TABLE IF NOT EXISTS streamsim_sink_writes(
  write_id INTEGER PRIMARY KEY, output TEXT NOT NULL, table_name TEXT NOT NULL,
  kind TEXT NOT NULL, batch_time_ms INTEGER NOT NULL, partition INTEGER NOT NULL,
  attempt INTEGER NOT NULL, record_count INTEGER NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS streamsim_sink_write_records(
  write_id INTEGER NOT NULL, position INTEGER NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (write_id, position));
)sql";

std::string SqliteMessage(sqlite3* db) { return sqlite3_errmsg(db); }

Status Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  const int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  if (code == SQLITE_OK) return Status::Ok();
  std::string text = message != nullptr ? message : sqlite3_errstr(code);
  sqlite3_free(message);
  return Status::Error(std::move(text));
}

// One prepared statement, finalized on destruction. Bind resets it, so a statement is reused
// call after call; Run and QueryText reset it when done so that it holds no lock in between.
class Statement {
 public:
  static Result<Statement> Prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    const int code =
        sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (code != SQLITE_OK) return Status::Error(SqliteMessage(db));
    return Statement(db, statement);
  }
  Statement(Statement&& other) noexcept
      : db_(other.db_), statement_(std::exchange(other.statement_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() { sqlite3_finalize(statement_); }

  template <typename... Args>
  Status Bind(const Args&... args) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    int index = 0;
    int code = SQLITE_OK;
    ((code = code == SQLITE_OK ? BindOne(++index, args) : code), ...);
    if (code != SQLITE_OK) return Status::Error(SqliteMessage(db_));
    return Status::Ok();
  }
  // Steps a statement that returns no rows to its end.
  Status Run() {
    const int code = sqlite3_step(statement_);
    Status status = code == SQLITE_DONE ? Status::Ok() : Status::Error(SqliteMessage(db_));
    sqlite3_reset(statement_);
    return status;
  }
  // The first row's first column as text; nullopt when there is no row.
  Result<std::optional<std::string>> QueryText() {
    const int code = sqlite3_step(statement_);
    std::optional<std::string> text;
    if (code == SQLITE_ROW) {
      const unsigned char* column = sqlite3_column_text(statement_, 0);
      text = column != nullptr ? reinterpret_cast<const char*>(column) : "";
    }
    Status status = (code == SQLITE_ROW || code == SQLITE_DONE) ? Status::Ok()
                                                                : Status::Error(SqliteMessage(db_));
    sqlite3_reset(statement_);
    if (!status.ok()) return status;
    return text;
  }

 private:
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  int BindOne(int index, int64_t value) { return sqlite3_bind_int64(statement_, index, value); }
  int BindOne(int index, std::string_view text) {
    return sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  }

  sqlite3* db_;
  sqlite3_stmt* statement_;
};

// Rolls back on destruction unless committed, so that every early error return undoes the call.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) (void)Exec(db_, "ROLLBACK");
  }
  Status Begin() {
    Status status = Exec(db_, "BEGIN IMMEDIATE");
    open_ = status.ok();
    return status;
  }
  Status Commit() {
    Status status = Exec(db_, "COMMIT");
    if (status.ok()) open_ = false;
    return status;
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

std::optional<SinkKind> ParseSinkKind(std::string_view name) {
  for (SinkKind kind : {SinkKind::kIdempotent, SinkKind::kTransactional, SinkKind::kAppend}) {
    if (SinkKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string LowerCase(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

bool IsIdentifier(const std::string& name) {
  auto is_letter = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  if (name.empty() || !is_letter(name[0])) return false;
  for (char c : name) {
    if (!is_letter(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

Status CheckTableName(const std::string& name) {
  if (!IsIdentifier(name) || name.size() > kSinkTableNameLengthMax) {
    return Status::Error(
        fmt::format("sink table name '{}' is not an identifier of at most {} characters "
                    "([A-Za-z_][A-Za-z0-9_]*)",
                    name, kSinkTableNameLengthMax));
  }
  const std::string lower = LowerCase(name);
  if (lower.starts_with("sqlite_") || lower.starts_with("streamsim_")) {
    return Status::Error(fmt::format(
        "sink table name '{}' is reserved (names starting with sqlite_ or streamsim_)", name));
  }
  return Status::Ok();
}

std::string CreateTableSql(const std::string& name, SinkKind kind) {
  switch (kind) {
    case SinkKind::kIdempotent:
      return fmt::format(
          "CREATE TABLE {}(output TEXT NOT NULL, batch_time_ms INTEGER NOT NULL, key TEXT NOT NULL,"
          " record TEXT NOT NULL, partition INTEGER NOT NULL, attempt INTEGER NOT NULL,"
          " PRIMARY KEY (output, batch_time_ms, key))",
          name);
    case SinkKind::kTransactional:
      return fmt::format(
          "CREATE TABLE {}(output TEXT NOT NULL, batch_time_ms INTEGER NOT NULL,"
          " partition INTEGER NOT NULL, attempt INTEGER NOT NULL, position INTEGER NOT NULL,"
          " record TEXT NOT NULL, PRIMARY KEY (output, batch_time_ms, partition, position))",
          name);
    case SinkKind::kAppend:
      return fmt::format(
          "CREATE TABLE {}(output TEXT NOT NULL, batch_time_ms INTEGER NOT NULL,"
          " partition INTEGER NOT NULL, attempt INTEGER NOT NULL, position INTEGER NOT NULL,"
          " record TEXT NOT NULL)",
          name);
  }
  return "";
}

// Idempotent: ?1 output, ?2 batch_time_ms, ?3 key, ?4 record, ?5 partition, ?6 attempt.
// Transactional and append: ?1 output, ?2 batch_time_ms, ?3 partition, ?4 attempt, ?5 position,
// ?6 record.
std::string WriteRowSql(const std::string& name, SinkKind kind) {
  if (kind == SinkKind::kIdempotent) {
    return fmt::format(
        "INSERT INTO {}(output, batch_time_ms, key, record, partition, attempt)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (output, batch_time_ms, key) DO UPDATE SET"
        " record = excluded.record, partition = excluded.partition, attempt = excluded.attempt",
        name);
  }
  return fmt::format(
      "INSERT INTO {}(output, batch_time_ms, partition, attempt, position, record)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      name);
}

bool HasNonFiniteDouble(const Value& value) {
  if (value.kind() == Value::Kind::kDouble) return !std::isfinite(value.AsDouble());
  if (!value.is_sequence()) return false;
  for (const Value& item : value.Items()) {
    if (HasNonFiniteDouble(item)) return true;
  }
  return false;
}

// The stored text of a value: EncodeValue's JSON. Refuses what would not read back exactly.
Result<std::string> EncodeForSink(const Value& value) {
  if (HasNonFiniteDouble(value)) {
    return Status::Error(
        fmt::format("record {} holds a NaN or infinite double, which JSON cannot store",
                    value.ToDisplayString()));
  }
  try {
    return EncodeValue(value).dump();
  } catch (const nlohmann::json::exception& error) {  // a string that is not UTF-8
    return Status::Error(
        fmt::format("record {} cannot be encoded: {}", value.ToDisplayString(), error.what()));
  }
}

struct EncodedRecord {
  std::string record;
  std::string key;  // idempotent sinks only
};

Result<std::vector<EncodedRecord>> EncodeRecords(const Values& records, SinkKind kind) {
  std::vector<EncodedRecord> encoded;
  encoded.reserve(records.size());
  for (const Value& record : records) {
    Result<std::string> text = EncodeForSink(record);
    if (!text.ok()) return text.status();
    EncodedRecord row{std::move(text.value()), ""};
    if (kind == SinkKind::kIdempotent) {
      const bool is_pair = record.kind() == Value::Kind::kTuple && record.Items().size() == 2;
      row.key = is_pair ? EncodeValue(record.Items()[0]).dump() : row.record;
    }
    encoded.push_back(std::move(row));
  }
  return encoded;
}

int64_t BatchTimeMillis(const SinkWrite& write) {
  STREAMSIM_ASSERT(write.batch_time.us % 1000 == 0);
  return write.batch_time.millis();
}

struct TableStatements {
  SinkKind kind;
  Statement write_row;
};

struct LedgerStatements {
  Statement find_table_kind;  // ?1 table_name
  Statement add_table;        // ?1 table_name, ?2 kind
  Statement find_marker;      // ?1 table_name, ?2 output, ?3 batch_time_ms, ?4 partition
  Statement add_marker;       // the same, ?5 attempt
  Statement add_write;        // output, table_name, kind, batch, partition, attempt, count, outcome
  Statement add_write_record;  // ?1 write_id, ?2 position, ?3 record
};

}  // namespace

std::string_view SinkKindName(SinkKind kind) {
  switch (kind) {
    case SinkKind::kIdempotent:
      return "idempotent";
    case SinkKind::kTransactional:
      return "transactional";
    case SinkKind::kAppend:
      return "append";
  }
  return "?";
}

class SinkDatabase::Impl {
 public:
  Impl(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    tables_.clear();  // statements are finalized before the connection closes
    ledger_.reset();
    sqlite3_close(db_);
  }

  Status Initialize();
  Status WriteAll(const SinkWrite& write, const Values& records, SinkKind kind,
                  std::string_view outcome);
  Result<bool> WriteTransactional(const SinkWrite& write, const Values& records);

 private:
  Status Error(std::string_view what, const Status& cause) const;
  Result<TableStatements*> Table(const std::string& name, SinkKind kind);
  Result<TableStatements*> OpenTable(const std::string& name, SinkKind kind);
  Result<std::optional<std::string>> QueryTableKind(const std::string& name);
  Status KindMismatch(const std::string& name, std::string_view existing, SinkKind wanted) const;
  Result<int64_t> RecordWrite(const SinkWrite& write, SinkKind kind, size_t record_count,
                              std::string_view outcome);
  Status WriteRows(TableStatements& table, const SinkWrite& write,
                   const std::vector<EncodedRecord>& records, int64_t write_id);
  Result<bool> MarkerExists(const SinkWrite& write);
  Status AddMarker(const SinkWrite& write);

  sqlite3* db_;
  std::string path_;
  std::map<std::string, std::unique_ptr<TableStatements>> tables_;  // by lower-case name
  std::unique_ptr<LedgerStatements> ledger_;
};

Status SinkDatabase::Impl::Initialize() {
  Status status = Exec(db_, kSchemaSql);
  if (!status.ok()) return Error("cannot be initialized", status);
  Result<Statement> statements[] = {
      Statement::Prepare(db_, "SELECT kind FROM streamsim_sink_tables WHERE table_name = ?1"),
      Statement::Prepare(db_,
                         "INSERT INTO streamsim_sink_tables(table_name, kind) VALUES (?1, ?2)"),
      Statement::Prepare(db_,
                         "SELECT attempt FROM streamsim_sink_commits WHERE table_name = ?1 AND"
                         " output = ?2 AND batch_time_ms = ?3 AND partition = ?4"),
      Statement::Prepare(db_,
                         "INSERT INTO streamsim_sink_commits(table_name, output, batch_time_ms,"
                         " partition, attempt) VALUES (?1, ?2, ?3, ?4, ?5)"),
      Statement::Prepare(
          db_,
          "INSERT INTO streamsim_sink_writes(output, table_name, kind, batch_time_ms,"
          " partition, attempt, record_count, outcome)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
      Statement::Prepare(db_,
                         "INSERT INTO streamsim_sink_write_records(write_id, position, record)"
                         " VALUES (?1, ?2, ?3)"),
  };
  for (const Result<Statement>& statement : statements) {
    if (!statement.ok()) return Error("cannot be initialized", statement.status());
  }
  ledger_ = std::make_unique<LedgerStatements>(
      LedgerStatements{std::move(statements[0].value()), std::move(statements[1].value()),
                       std::move(statements[2].value()), std::move(statements[3].value()),
                       std::move(statements[4].value()), std::move(statements[5].value())});
  return Status::Ok();
}

Status SinkDatabase::Impl::Error(std::string_view what, const Status& cause) const {
  return Status::Error(fmt::format("sink database '{}' {}: {}", path_, what, cause.message()));
}

Result<TableStatements*> SinkDatabase::Impl::Table(const std::string& name, SinkKind kind) {
  Status valid = CheckTableName(name);
  if (!valid.ok()) return Error("refuses the table", valid);
  const auto found = tables_.find(LowerCase(name));
  if (found == tables_.end()) return OpenTable(name, kind);
  if (found->second->kind != kind)
    return KindMismatch(name, SinkKindName(found->second->kind), kind);
  return found->second.get();
}

Status SinkDatabase::Impl::KindMismatch(const std::string& name, std::string_view existing,
                                        SinkKind wanted) const {
  return Status::Error(fmt::format("sink database '{}': table '{}' has sink kind {}, not {}", path_,
                                   name, existing, SinkKindName(wanted)));
}

// Creates the table and its catalog row in one transaction unless a reopened file has them, then
// prepares its write statement.
Result<TableStatements*> SinkDatabase::Impl::OpenTable(const std::string& name, SinkKind kind) {
  Transaction transaction(db_);
  Status status = transaction.Begin();
  if (!status.ok()) return Error("cannot begin a transaction", status);
  Result<std::optional<std::string>> existing = QueryTableKind(name);
  if (!existing.ok()) return existing.status();
  if (!existing.value().has_value()) {
    status = Exec(db_, CreateTableSql(name, kind));
    if (status.ok()) status = ledger_->add_table.Bind(std::string_view(name), SinkKindName(kind));
    if (status.ok()) status = ledger_->add_table.Run();
    if (!status.ok()) return Error(fmt::format("cannot create table '{}'", name), status);
  } else if (ParseSinkKind(*existing.value()) != kind) {
    return KindMismatch(name, *existing.value(), kind);
  }
  status = transaction.Commit();
  if (!status.ok()) return Error("cannot commit", status);
  Result<Statement> write_row = Statement::Prepare(db_, WriteRowSql(name, kind));
  if (!write_row.ok()) return Error(fmt::format("table '{}'", name), write_row.status());
  auto table =
      std::make_unique<TableStatements>(TableStatements{kind, std::move(write_row.value())});
  TableStatements* pointer = table.get();
  tables_.emplace(LowerCase(name), std::move(table));
  return pointer;
}

Result<std::optional<std::string>> SinkDatabase::Impl::QueryTableKind(const std::string& name) {
  Status status = ledger_->find_table_kind.Bind(std::string_view(name));
  if (!status.ok()) return Error("cannot read the table catalog", status);
  Result<std::optional<std::string>> kind = ledger_->find_table_kind.QueryText();
  if (!kind.ok()) return Error("cannot read the table catalog", kind.status());
  return kind;
}

Result<int64_t> SinkDatabase::Impl::RecordWrite(const SinkWrite& write, SinkKind kind,
                                                size_t record_count, std::string_view outcome) {
  Statement& add = ledger_->add_write;
  Status status = add.Bind(std::string_view(write.output), std::string_view(write.table),
                           SinkKindName(kind), BatchTimeMillis(write), int64_t{write.partition},
                           int64_t{write.attempt}, static_cast<int64_t>(record_count), outcome);
  if (status.ok()) status = add.Run();
  if (!status.ok()) return Error("cannot record the write in the ledger", status);
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

// Writes every record into the sink table and into the ledger's record rows.
Status SinkDatabase::Impl::WriteRows(TableStatements& table, const SinkWrite& write,
                                     const std::vector<EncodedRecord>& records, int64_t write_id) {
  const int64_t batch_time_ms = BatchTimeMillis(write);
  for (size_t index = 0; index < records.size(); ++index) {
    const EncodedRecord& row = records[index];
    const auto position = static_cast<int64_t>(index);
    Status status =
        table.kind == SinkKind::kIdempotent
            ? table.write_row.Bind(std::string_view(write.output), batch_time_ms,
                                   std::string_view(row.key), std::string_view(row.record),
                                   int64_t{write.partition}, int64_t{write.attempt})
            : table.write_row.Bind(std::string_view(write.output), batch_time_ms,
                                   int64_t{write.partition}, int64_t{write.attempt}, position,
                                   std::string_view(row.record));
    if (status.ok()) status = table.write_row.Run();
    if (status.ok()) {
      status = ledger_->add_write_record.Bind(write_id, position, std::string_view(row.record));
    }
    if (status.ok()) status = ledger_->add_write_record.Run();
    if (!status.ok()) return Error(fmt::format("cannot write to table '{}'", write.table), status);
  }
  return Status::Ok();
}

// The whole call of an idempotent or append sink: one transaction with the rows and the ledger.
Status SinkDatabase::Impl::WriteAll(const SinkWrite& write, const Values& records, SinkKind kind,
                                    std::string_view outcome) {
  Result<std::vector<EncodedRecord>> encoded = EncodeRecords(records, kind);
  if (!encoded.ok()) return Error(fmt::format("table '{}'", write.table), encoded.status());
  Result<TableStatements*> table = Table(write.table, kind);
  if (!table.ok()) return table.status();
  Transaction transaction(db_);
  Status status = transaction.Begin();
  if (!status.ok()) return Error("cannot begin a transaction", status);
  Result<int64_t> write_id = RecordWrite(write, kind, records.size(), outcome);
  if (!write_id.ok()) return write_id.status();
  status = WriteRows(*table.value(), write, encoded.value(), write_id.value());
  if (!status.ok()) return status;
  status = transaction.Commit();
  if (!status.ok()) return Error("cannot commit", status);
  return Status::Ok();
}

Result<bool> SinkDatabase::Impl::WriteTransactional(const SinkWrite& write, const Values& records) {
  Result<std::vector<EncodedRecord>> encoded = EncodeRecords(records, SinkKind::kTransactional);
  if (!encoded.ok()) return Error(fmt::format("table '{}'", write.table), encoded.status());
  Result<TableStatements*> table = Table(write.table, SinkKind::kTransactional);
  if (!table.ok()) return table.status();
  Transaction transaction(db_);
  Status status = transaction.Begin();
  if (!status.ok()) return Error("cannot begin a transaction", status);
  Result<bool> committed = MarkerExists(write);
  if (!committed.ok()) return committed.status();
  const std::string_view outcome = committed.value() ? kOutcomeSkipped : kOutcomeWritten;
  Result<int64_t> write_id = RecordWrite(write, SinkKind::kTransactional, records.size(), outcome);
  if (!write_id.ok()) return write_id.status();
  if (!committed.value()) {
    status = WriteRows(*table.value(), write, encoded.value(), write_id.value());
    if (status.ok()) status = AddMarker(write);
    if (!status.ok()) return status;
  }
  status = transaction.Commit();
  if (!status.ok()) return Error("cannot commit", status);
  return committed.value();
}

Result<bool> SinkDatabase::Impl::MarkerExists(const SinkWrite& write) {
  Statement& find = ledger_->find_marker;
  Status status = find.Bind(std::string_view(write.table), std::string_view(write.output),
                            BatchTimeMillis(write), int64_t{write.partition});
  if (!status.ok()) return Error("cannot read the commit markers", status);
  Result<std::optional<std::string>> attempt = find.QueryText();
  if (!attempt.ok()) return Error("cannot read the commit markers", attempt.status());
  return attempt.value().has_value();
}

Status SinkDatabase::Impl::AddMarker(const SinkWrite& write) {
  Statement& add = ledger_->add_marker;
  Status status =
      add.Bind(std::string_view(write.table), std::string_view(write.output),
               BatchTimeMillis(write), int64_t{write.partition}, int64_t{write.attempt});
  if (status.ok()) status = add.Run();
  if (!status.ok()) return Error("cannot write the commit marker", status);
  return Status::Ok();
}

SinkDatabase::SinkDatabase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SinkDatabase::~SinkDatabase() = default;

Result<std::unique_ptr<SinkDatabase>> SinkDatabase::Create(const std::string& path) {
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    std::error_code error;
    std::filesystem::remove(path + suffix, error);
    if (error) {
      return Status::Error(
          fmt::format("sink database '{}{}' cannot be removed: {}", path, suffix, error.message()));
    }
  }
  return Open(path);
}

Result<std::unique_ptr<SinkDatabase>> SinkDatabase::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int code =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (code != SQLITE_OK) {
    std::string message = db != nullptr ? SqliteMessage(db) : sqlite3_errstr(code);
    sqlite3_close(db);
    return Status::Error(fmt::format("sink database '{}' cannot be opened: {}", path, message));
  }
  auto impl = std::make_unique<Impl>(db, path);
  Status status = impl->Initialize();
  if (!status.ok()) return status;
  return std::unique_ptr<SinkDatabase>(new SinkDatabase(std::move(impl)));
}

Status SinkDatabase::WriteIdempotent(const SinkWrite& write, const Values& records) {
  return impl_->WriteAll(write, records, SinkKind::kIdempotent, kOutcomeUpserted);
}

Result<bool> SinkDatabase::WriteTransactional(const SinkWrite& write, const Values& records) {
  return impl_->WriteTransactional(write, records);
}

Status SinkDatabase::WriteAppend(const SinkWrite& write, const Values& records) {
  return impl_->WriteAll(write, records, SinkKind::kAppend, kOutcomeWritten);
}

}  // namespace streamsim::engine
