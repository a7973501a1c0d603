// Reading a sink database with the sqlite3 C API, read-only, one prepared query per read.
#include "checker/sink_contents.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>
#include <system_error>
#include <utility>

#include "records/value_codec.h"

namespace streamsim::checker {

namespace {

constexpr std::string_view kOutcomeSkipped = "skipped-already-committed";
constexpr size_t kTableNameLengthMax = 64;  // engine/sinks/sqlite_sink.h's limit

// One prepared query, finalized on destruction; parameters are bound once before stepping.
class Query {
 public:
  static Result<Query> Prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      return Status::Error(sqlite3_errmsg(db));
    }
    return Query(db, statement);
  }
  Query(Query&& other) noexcept
      : db_(other.db_), statement_(std::exchange(other.statement_, nullptr)) {}
  Query& operator=(Query&&) = delete;
  ~Query() { sqlite3_finalize(statement_); }

  Status Bind(int index, std::string_view text) {
    return Checked(sqlite3_bind_text64(statement_, index, text.data(), text.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  Status BindInt(int index, int64_t value) {
    return Checked(sqlite3_bind_int64(statement_, index, value));
  }
  // True when a row is available, false at the end.
  Result<bool> Next() {
    const int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    return Status::Error(sqlite3_errmsg(db_));
  }
  int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }

 private:
  Query(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  Status Checked(int code) const {
    return code == SQLITE_OK ? Status::Ok() : Status::Error(sqlite3_errmsg(db_));
  }

  sqlite3* db_;
  sqlite3_stmt* statement_;
};

Status CheckIdentifier(const std::string& name) {
  auto is_letter = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  bool valid = !name.empty() && name.size() <= kTableNameLengthMax && is_letter(name[0]);
  for (char c : name) valid = valid && (is_letter(c) || (c >= '0' && c <= '9'));
  if (valid) return Status::Ok();
  return Status::Error(fmt::format("'{}' is not a sink table name", name));
}

Result<records::Value> DecodeText(const std::string& text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  records::Value value;
  if (json.is_discarded() || !records::DecodeValue(json, &value)) {
    return Status::Error(fmt::format("'{}' is not an encoded value", text));
  }
  return value;
}

// A call wrote as many records as it was given, or none when it was skipped.
Status CheckRecordCounts(const std::vector<SinkWriteRow>& writes) {
  for (const SinkWriteRow& write : writes) {
    const int64_t expected = write.outcome == kOutcomeSkipped ? 0 : write.record_count;
    if (static_cast<int64_t>(write.records.size()) != expected) {
      return Status::Error(fmt::format("write {} has {} records, not {}", write.write_id,
                                       write.records.size(), expected));
    }
  }
  return Status::Ok();
}

// The checker's own reading of the idempotent key: a pair's first element, else the record.
const records::Value& KeyOf(const records::Value& record) {
  const bool is_pair = record.kind() == records::Value::Kind::kTuple && record.Items().size() == 2;
  return is_pair ? record.Items()[0] : record;
}

// Decodes one idempotent row into `records` (key -> record of one batch), checking that the row's
// key is its record's key and that no other row of the batch has that key.
Status AddKeyedRow(const std::string& key_text, const std::string& record_text,
                   std::map<records::Value, records::Value>* records) {
  Result<records::Value> key = DecodeText(key_text);
  if (!key.ok()) return key.status();
  Result<records::Value> record = DecodeText(record_text);
  if (!record.ok()) return record.status();
  if (!(KeyOf(record.value()) == key.value())) {
    return Status::Error(
        fmt::format("row key {} is not the key of record {}", key_text, record_text));
  }
  if (!records->emplace(key.value(), record.value()).second) {
    return Status::Error(fmt::format("two rows of one batch have key {}", key_text));
  }
  return Status::Ok();
}

}  // namespace

class SinkContents::Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { sqlite3_close(db_); }
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_;
};

SinkContents::SinkContents(std::string path, std::unique_ptr<Connection> connection)
    : path_(std::move(path)), connection_(std::move(connection)) {}
SinkContents::SinkContents(SinkContents&& other) noexcept = default;
SinkContents& SinkContents::operator=(SinkContents&& other) noexcept = default;
SinkContents::~SinkContents() = default;

Result<SinkContents> SinkContents::Open(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return Status::Error(fmt::format("sink database '{}' does not exist", path));
  }
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  auto connection = std::make_unique<Connection>(db);  // closes db on every path
  if (code != SQLITE_OK) {
    const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    return Status::Error(fmt::format("sink database '{}' cannot be opened: {}", path, message));
  }
  return SinkContents(path, std::move(connection));
}

Status SinkContents::Error(const std::string& what, const Status& cause) const {
  return Status::Error(fmt::format("sink database '{}': {}: {}", path_, what, cause.message()));
}

Result<bool> SinkContents::HasTable(const std::string& table) const {
  Status status = CheckIdentifier(table);
  if (!status.ok()) return Error("cannot look for a table", status);
  Result<Query> query = Query::Prepare(
      connection_->db(),
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE");
  if (!query.ok()) return Error("cannot read the schema", query.status());
  status = query.value().Bind(1, table);
  if (!status.ok()) return Error("cannot read the schema", status);
  Result<bool> found = query.value().Next();
  if (!found.ok()) return Error("cannot read the schema", found.status());
  return found.value();
}

Result<std::string> SinkContents::TableKind(const std::string& table) const {
  Result<bool> exists = HasTable(table);
  if (!exists.ok()) return exists.status();
  if (!exists.value())
    return Status::Error(fmt::format("sink database '{}' has no table '{}'", path_, table));
  const std::string what = fmt::format("cannot read the kind of table '{}'", table);
  Result<Query> query = Query::Prepare(
      connection_->db(), "SELECT kind FROM streamsim_sink_tables WHERE table_name = ?1");
  if (!query.ok()) return Error(what, query.status());
  Status status = query.value().Bind(1, table);
  if (!status.ok()) return Error(what, status);
  Result<bool> found = query.value().Next();
  if (!found.ok()) return Error(what, found.status());
  if (!found.value()) return Error(what, Status::Error("it is not in streamsim_sink_tables"));
  return query.value().Text(0);
}

Result<std::map<int64_t, records::Values>> SinkContents::Rows(const std::string& table,
                                                              const std::string& output,
                                                              const BatchRange& range) const {
  Result<std::string> kind = TableKind(table);
  if (!kind.ok()) return kind.status();
  if (kind.value() == "idempotent") return KeyedRows(table, output, range);
  if (kind.value() == "transactional" || kind.value() == "append") {
    return SequencedRows(table, output, range);
  }
  return Status::Error(fmt::format("sink database '{}': table '{}' has unknown kind '{}'", path_,
                                   table, kind.value()));
}

namespace {

// Binds the output's name and the batch range to ?1, ?2 and ?3.
Status BindOutputAndRange(Query& query, const std::string& output, const BatchRange& range) {
  Status status = query.Bind(1, output);
  if (status.ok()) status = query.BindInt(2, range.after_ms);
  if (status.ok()) status = query.BindInt(3, range.until_ms);
  return status;
}

}  // namespace

Result<std::map<int64_t, records::Values>> SinkContents::SequencedRows(
    const std::string& table, const std::string& output, const BatchRange& range) const {
  const std::string what = fmt::format("cannot read table '{}'", table);
  Result<Query> query = Query::Prepare(
      connection_->db(), fmt::format("SELECT batch_time_ms, record FROM {} WHERE output = ?1"
                                     " AND batch_time_ms > ?2 AND batch_time_ms <= ?3"
                                     " ORDER BY batch_time_ms, partition, attempt, position, rowid",
                                     table));
  if (!query.ok()) return Error(what, query.status());
  Status status = BindOutputAndRange(query.value(), output, range);
  if (!status.ok()) return Error(what, status);
  std::map<int64_t, records::Values> rows;
  while (true) {
    Result<bool> row = query.value().Next();
    if (!row.ok()) return Error(what, row.status());
    if (!row.value()) return rows;
    Result<records::Value> record = DecodeText(query.value().Text(1));
    if (!record.ok()) return Error(what, record.status());
    rows[query.value().Int(0)].push_back(std::move(record.value()));
  }
}

Result<std::map<int64_t, records::Values>> SinkContents::KeyedRows(const std::string& table,
                                                                   const std::string& output,
                                                                   const BatchRange& range) const {
  const std::string what = fmt::format("cannot read table '{}'", table);
  Result<Query> query =
      Query::Prepare(connection_->db(), fmt::format("SELECT batch_time_ms, key, record FROM {}"
                                                    " WHERE output = ?1 AND batch_time_ms > ?2"
                                                    " AND batch_time_ms <= ?3",
                                                    table));
  if (!query.ok()) return Error(what, query.status());
  Status status = BindOutputAndRange(query.value(), output, range);
  if (!status.ok()) return Error(what, status);
  std::map<int64_t, std::map<records::Value, records::Value>> by_key;  // batch -> key -> record
  while (true) {
    Result<bool> row = query.value().Next();
    if (!row.ok()) return Error(what, row.status());
    if (!row.value()) break;
    Status added =
        AddKeyedRow(query.value().Text(1), query.value().Text(2), &by_key[query.value().Int(0)]);
    if (!added.ok()) return Error(what, added);
  }
  std::map<int64_t, records::Values> rows;
  for (const auto& [batch_time_ms, records] : by_key) {
    for (const auto& [key, record] : records) rows[batch_time_ms].push_back(record);
  }
  return rows;
}

Result<std::vector<SinkWriteRow>> SinkContents::Writes(const std::string& output) const {
  const std::string what = "cannot read the write ledger";
  Result<Query> query = Query::Prepare(
      connection_->db(),
      "SELECT write_id, output, table_name, kind, batch_time_ms, partition, attempt, record_count,"
      " outcome FROM streamsim_sink_writes WHERE output = ?1 ORDER BY write_id");
  if (!query.ok()) return Error(what, query.status());
  Status status = query.value().Bind(1, output);
  if (!status.ok()) return Error(what, status);
  std::vector<SinkWriteRow> writes;
  while (true) {
    Result<bool> row = query.value().Next();
    if (!row.ok()) return Error(what, row.status());
    if (!row.value()) break;
    const Query& columns = query.value();
    writes.push_back(SinkWriteRow{columns.Int(0),
                                  columns.Text(1),
                                  columns.Text(2),
                                  columns.Text(3),
                                  columns.Int(4),
                                  static_cast<int>(columns.Int(5)),
                                  static_cast<int>(columns.Int(6)),
                                  columns.Int(7),
                                  columns.Text(8),
                                  {}});
  }
  status = AttachRecords(output, &writes);
  if (!status.ok()) return status;
  return writes;
}

// Fills each ledger row's records, and checks that a call wrote as many records as it was given
// (none when skipped).
Status SinkContents::AttachRecords(const std::string& output,
                                   std::vector<SinkWriteRow>* writes) const {
  const std::string what = "cannot read the write ledger's records";
  Result<Query> query =
      Query::Prepare(connection_->db(),
                     "SELECT r.write_id, r.record FROM streamsim_sink_write_records AS r"
                     " JOIN streamsim_sink_writes AS w ON w.write_id = r.write_id"
                     " WHERE w.output = ?1 ORDER BY r.write_id, r.position");
  if (!query.ok()) return Error(what, query.status());
  Status status = query.value().Bind(1, output);
  if (!status.ok()) return Error(what, status);
  auto write = writes->begin();
  while (true) {
    Result<bool> row = query.value().Next();
    if (!row.ok()) return Error(what, row.status());
    if (!row.value()) break;
    const int64_t write_id = query.value().Int(0);
    while (write != writes->end() && write->write_id < write_id) ++write;
    Result<records::Value> record = DecodeText(query.value().Text(1));
    if (!record.ok()) return Error(what, record.status());
    if (write == writes->end() || write->write_id != write_id) {
      return Error(what, Status::Error(fmt::format("records of unknown write {}", write_id)));
    }
    write->records.push_back(std::move(record.value()));
  }
  status = CheckRecordCounts(*writes);
  if (!status.ok()) return Error(what, status);
  return Status::Ok();
}

}  // namespace streamsim::checker
