// Database sink outputs: the kind, and a table name checked against the sink database's rules.
#include "scenarios/sink_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <string>

#include "engine/sinks/sqlite_sink.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

// SQLite's keywords (sqlite3_keyword_name of SQLite 3.40), lower case, sorted. The sink writes
// table names into its SQL unquoted (engine/sinks/sqlite_sink.h), so a keyword would fail there at
// every batch; the loader rejects it here instead. A fixed list, not sqlite3_keyword_check, so that
// which scenarios load does not depend on the SQLite the program was linked with.
// (Unformatted: one keyword a line would take 150 lines.)
// clang-format off
constexpr std::array<std::string_view, 147> kSqlKeywords = {
    "abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "as", "asc",
    "attach", "autoincrement", "before", "begin", "between", "by", "cascade", "case", "cast",
    "check", "collate", "column", "commit", "conflict", "constraint", "create", "cross", "current",
    "current_date", "current_time", "current_timestamp", "database", "default", "deferrable",
    "deferred", "delete", "desc", "detach", "distinct", "do", "drop", "each", "else", "end",
    "escape", "except", "exclude", "exclusive", "exists", "explain", "fail", "filter", "first",
    "following", "for", "foreign", "from", "full", "generated", "glob", "group", "groups",
    "having", "if", "ignore", "immediate", "in", "index", "indexed", "initially", "inner",
    "insert", "instead", "intersect", "into", "is", "isnull", "join", "key", "last", "left",
    "like", "limit", "match", "materialized", "natural", "no", "not", "nothing", "notnull", "null",
    "nulls", "of", "offset", "on", "or", "order", "others", "outer", "over", "partition", "plan",
    "pragma", "preceding", "primary", "query", "raise", "range", "recursive", "references",
    "regexp", "reindex", "release", "rename", "replace", "restrict", "returning", "right",
    "rollback", "row", "rows", "savepoint", "select", "set", "table", "temp", "temporary", "then",
    "ties", "to", "transaction", "trigger", "unbounded", "union", "unique", "update", "using",
    "vacuum", "values", "view", "virtual", "when", "where", "window", "with", "without",
};
// clang-format on

constexpr std::string_view kFileSinkKind = "file";
constexpr std::array<std::string_view, 2> kReservedPrefixes = {"streamsim_", "sqlite_"};

std::string LowerCase(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

bool IsIdentifier(std::string_view name) {
  auto is_letter = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  if (name.empty() || !is_letter(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return is_letter(c) || (c >= '0' && c <= '9'); });
}

// The rules of engine/sinks/sqlite_sink.h for table names, checked where the name is written.
std::string ReadTableName(const YamlField& field) {
  std::string name = ToName(field);
  if (!IsIdentifier(name)) {
    Fail(field.position, fmt::format("sink table name '{}' is not an SQL identifier: a letter or "
                                     "'_', then letters, digits and '_'",
                                     name));
  }
  if (name.size() > engine::kSinkTableNameLengthMax) {
    Fail(field.position, fmt::format("sink table name '{}...' is longer than {} characters",
                                     name.substr(0, 16), engine::kSinkTableNameLengthMax));
  }
  const std::string lower = LowerCase(name);
  for (std::string_view prefix : kReservedPrefixes) {
    if (lower.starts_with(prefix)) {
      Fail(field.position,
           fmt::format("sink table name '{}' is reserved: names starting with streamsim_ or "
                       "sqlite_ belong to the sink database itself",
                       name));
    }
  }
  if (std::binary_search(kSqlKeywords.begin(), kSqlKeywords.end(), std::string_view(lower))) {
    Fail(field.position, fmt::format("sink table name '{}' is an SQL keyword", name));
  }
  return name;
}

}  // namespace

const std::vector<std::string_view>& DatabaseSinkKinds() {
  static const std::vector<std::string_view> kinds = {
      engine::SinkKindName(engine::SinkKind::kIdempotent),
      engine::SinkKindName(engine::SinkKind::kTransactional),
      engine::SinkKindName(engine::SinkKind::kAppend)};
  return kinds;
}

void ReadSinkAction(const YamlContext& context, const YamlField& field, OutputSpec* output) {
  const MappingReader sink(context, field, "sink", {"kind", "table"});
  const YamlField kind = sink.Required("kind");
  if (kind.node.IsScalar() && kind.node.Scalar() == kFileSinkKind) {
    Fail(kind.position,
         fmt::format("unknown sink kind 'file'; expected one of {} (a file sink is written "
                     "foreachRDD: {{sink: {{kind: file, path: PATH}}}})",
                     fmt::join(DatabaseSinkKinds(), ", ")));
  }
  output->sink_kind = SinkKindFromName(ToChoice(kind, DatabaseSinkKinds(), "sink kind"));
  output->sink_kind_position = kind.position;
  const YamlField table = sink.Required("table");
  output->sink_table = ReadTableName(table);
  output->sink_table_position = table.position;
}

std::string ReadForeachSinkKind(const YamlField& field) {
  const std::vector<std::string_view>& database = DatabaseSinkKinds();
  if (field.node.IsScalar() &&
      std::find(database.begin(), database.end(), field.node.Scalar()) != database.end()) {
    Fail(field.position,
         fmt::format("unknown sink kind '{}'; expected one of file (a database sink is written "
                     "sink: {{kind: {}, table: NAME}} in the output itself, not under foreachRDD)",
                     field.node.Scalar(), field.node.Scalar()));
  }
  return ToChoice(field, {kFileSinkKind}, "sink kind");
}

}  // namespace streamsim::scenarios
