// The checker catches what it exists to catch (RapidCheck). Sinks: over random fault-free runs
// (socket, Kafka receiver or Kafka direct; with or without a checkpoint directory and the receiver
// WAL; an append, idempotent or transactional sink),
//  - the run itself is exactly-once with no finding;
//  - after a change the engine knows nothing about — one random sink row deleted, copied, or its
//    value changed, in the database file after the run — the verdict is never exactly-once, and
//    the one finding names exactly the row touched: its output, its batch, count 1, the record
//    (or its key) as the example (besides it, the calculator's contradiction: a run without
//    faults was predicted exactly-once).
// Sources: over random fault-free socket runs, one line lost or repeated between the server and
// its receiver (SocketServer::SetTamper) is found and named the same way.
// CTest runs RapidCheck's default 100 cases; a larger budget locally:
//   RC_PARAMS="max_success=3000" build/tests/property_tests --gtest_filter='InjectedFault*'
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/verdict.h"
#include "harness/run_check.h"
#include "harness/simulation.h"
#include "records/value_codec.h"
#include "scenarios/loader.h"

namespace streamsim::scenarios {
namespace {

struct FaultFreeCase {
  std::string source;  // socket | kafka-receiver | kafka-direct
  bool checkpoint = false;
  bool wal = false;
  std::string sink;  // append | idempotent | transactional
  uint64_t seed = 1;
};

std::string Yaml(const FaultFreeCase& c) {
  const std::string generator =
      "generator: {kind: words, vocabulary: [a, b, c, d], words_per_line: 2}";
  const std::string source =
      c.source == "socket"
          ? fmt::format("  words: {{kind: socket, port: 9999, rate: 100/s, {}}}\n", generator)
          : fmt::format(
                "  words: {{kind: kafka, mode: {}, topic: words, partitions: 2, "
                "rate: 100/s, start: earliest, {}}}\n",
                c.source == "kafka-direct" ? "direct" : "receiver", generator);
  std::string streaming = "{batch_interval: 1s";
  if (c.checkpoint) streaming += ", checkpoint: {dir: checkpoints/injected}";
  if (c.wal) streaming += ", write_ahead_log: true";
  streaming += "}";
  return fmt::format(
      "name: injected\nseed: {}\nstop: {{batches: 6}}\nstreaming: {}\n"
      "cluster: {{workers: 2, cores: 2}}\nsources:\n{}"
      "streams:\n  counts:\n    from: words\n"
      "    ops: [{{flatMap: 'split(x, \" \")'}}, {{map: \"(x, 1)\"}}, {{reduceByKey: \"a + b\"}}]\n"
      "outputs:\n  - {{stream: counts, sink: {{kind: {}, table: counts}}}}\n",
      c.seed, streaming, source, c.sink);
}

std::filesystem::path TemporaryDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "injected_sink.XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return std::filesystem::temp_directory_path();
  return pattern;
}

// One statement on the sink file; false when it fails.
bool Execute(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return false;
  const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

// The row at `index` (in rowid order) of table counts: its rowid, batch ms and record text.
struct Row {
  int64_t rowid = -1;
  int64_t batch_ms = 0;
  std::string record;
};

Row RowAt(const std::string& path, int index, int* count) {
  Row row;
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return row;
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT rowid, batch_time_ms, record FROM counts ORDER BY rowid", -1,
                     &statement, nullptr);
  *count = 0;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    if ((*count)++ != index) continue;
    row.rowid = sqlite3_column_int64(statement, 0);
    row.batch_ms = sqlite3_column_int64(statement, 1);
    row.record = reinterpret_cast<const char*>(sqlite3_column_text(statement, 2));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return row;
}

// The record of a row as the checker shows it, and its key's.
std::string Display(const std::string& record_json, bool key) {
  records::Value value;
  if (!records::DecodeValue(nlohmann::json::parse(record_json), &value)) return "?";
  return key ? value.Items()[0].ToDisplayString() : value.ToDisplayString();
}

// A fault-free case's simulation, built and not yet run, its sink database in this process's
// temporary directory. Held in place: the simulation keeps pointers to the scenario and listener.
struct PropertyRun {
  Scenario scenario;
  engine::OutputListener silent;
  std::string sink_path;
  std::unique_ptr<harness::Simulation> simulation;
};

std::unique_ptr<PropertyRun> Build(const FaultFreeCase& c) {
  auto run = std::make_unique<PropertyRun>();
  LoadResult<Scenario> loaded = LoadScenarioText(Yaml(c), "injected.yaml");
  RC_ASSERT(loaded.ok());
  run->scenario = std::move(loaded.value());
  static const std::filesystem::path directory = TemporaryDirectory();
  static int run_number = 0;
  harness::RunOptions options;
  options.sink_database_path = (directory / fmt::format("run-{}.sqlite", ++run_number)).string();
  run->sink_path = options.sink_database_path;
  auto built = harness::Simulation::Build(run->scenario, options, &run->silent);
  RC_ASSERT(built.ok());
  run->simulation = std::move(built.value());
  return run;
}

RC_GTEST_PROP(InjectedFaultProperty, AnyRowChangedAfterTheRunIsFoundAndNamed, ()) {
  FaultFreeCase c;
  c.source = *rc::gen::element<std::string>("socket", "kafka-receiver", "kafka-direct");
  c.checkpoint = *rc::gen::arbitrary<bool>();
  c.wal = c.checkpoint && c.source != "kafka-direct" && *rc::gen::arbitrary<bool>();
  c.sink = *rc::gen::element<std::string>("append", "idempotent", "transactional");
  c.seed = *rc::gen::inRange<uint64_t>(1, 1000000);
  RC_LOG() << Yaml(c);
  const std::unique_ptr<PropertyRun> run = Build(c);
  const Scenario& scenario = run->scenario;
  harness::Simulation* simulation = run->simulation.get();
  RC_ASSERT(simulation->Run().ok());

  // Without a fault: exactly-once, nothing found.
  const harness::RunCheck clean = harness::CheckRunOf(scenario, *simulation);
  for (const checker::Finding& finding : clean.report->findings) {
    RC_LOG() << checker::FormatFinding(finding) << "\n";
  }
  RC_ASSERT(clean.report->verdict == checker::Verdict::kExactlyOnce);
  RC_ASSERT(clean.report->findings.empty());

  // One row touched behind the engine's back.
  const std::string path = run->sink_path;
  int rows = 0;
  RowAt(path, 0, &rows);
  RC_PRE(rows > 0);
  const Row row = RowAt(path, *rc::gen::inRange(0, rows), &rows);
  const bool keyed = c.sink == "idempotent";
  const std::string change = keyed ? *rc::gen::element<std::string>("delete", "change")
                                   : *rc::gen::element<std::string>("delete", "copy", "change");
  RC_LOG() << change << " row " << row.rowid << " at " << row.batch_ms << ": " << row.record;
  std::string sql;
  std::string problem;
  std::string example = Display(row.record, false);
  if (change == "delete") {
    sql = fmt::format("DELETE FROM counts WHERE rowid = {}", row.rowid);
    problem = "loss";
    if (keyed) example = Display(row.record, true);
  } else if (change == "copy") {
    sql = fmt::format(
        "INSERT INTO counts SELECT output, batch_time_ms, partition, attempt, position + 100000, "
        "record FROM counts WHERE rowid = {}",
        row.rowid);
    problem = "duplication";
  } else {
    records::Value value;
    RC_ASSERT(records::DecodeValue(nlohmann::json::parse(row.record), &value));
    const records::Value changed = records::Value::Pair(
        value.Items()[0], records::Value::Int(value.Items()[1].AsInt() + 1000));
    sql = fmt::format("UPDATE counts SET record = '{}' WHERE rowid = {}",
                      records::EncodeValue(changed).dump(), row.rowid);
    problem = "divergence";
    example = changed.ToDisplayString();
  }
  RC_ASSERT(Execute(path, sql));
  const harness::RunCheck touched = harness::CheckRunOf(scenario, *simulation);
  for (const checker::Finding& finding : touched.report->findings) {
    RC_LOG() << checker::FormatFinding(finding) << "\n";
  }
  RC_ASSERT(touched.report->verdict != checker::Verdict::kExactlyOnce);
  // Besides the calculator's contradiction (it predicted exactly-once for a run without faults),
  // one finding.
  std::vector<checker::Finding> found;
  for (const checker::Finding& finding : touched.report->findings) {
    if (finding.check != "calculator") found.push_back(finding);
  }
  RC_ASSERT(found.size() == 1u);
  const checker::Finding& finding = found[0];
  RC_ASSERT(finding.check == std::string("sink-vs-oracle"));
  RC_ASSERT(finding.problem == problem);
  RC_ASSERT(finding.subject == std::string("sink:counts"));
  RC_ASSERT(finding.count == 1);
  RC_ASSERT(finding.batch_time.has_value());
  RC_ASSERT(finding.batch_time->millis() == row.batch_ms);
  RC_ASSERT(finding.examples == std::vector<std::string>{example});
}

// Between the socket server and its receiver, one line lost or repeated without TCP noticing: the
// engine stores what arrives and the ledger hears only of that. The verdict is never
// exactly-once and the one finding (besides the calculator's contradiction) names that line.
RC_GTEST_PROP(InjectedFaultProperty, ALineLostOrRepeatedInTransitIsFoundAndNamed, ()) {
  FaultFreeCase c;
  c.source = "socket";
  c.checkpoint = *rc::gen::arbitrary<bool>();
  c.wal = c.checkpoint && *rc::gen::arbitrary<bool>();
  c.sink = *rc::gen::element<std::string>("append", "idempotent", "transactional");
  c.seed = *rc::gen::inRange<uint64_t>(1, 1000000);
  // In the first 3 s of 100 lines/s, after the first: a line lost before any reached the receiver
  // is one the server sent before the receiver connected, for all anyone can tell (check.h: records
  // before the first delivered one were never read), and is not expected.
  const int64_t line = *rc::gen::inRange<int64_t>(1, 300);
  const bool repeat = *rc::gen::arbitrary<bool>();
  RC_LOG() << Yaml(c) << (repeat ? "repeat" : "lose") << " line " << line << "\n";
  const std::unique_ptr<PropertyRun> run = Build(c);
  const Scenario& scenario = run->scenario;
  harness::Simulation* simulation = run->simulation.get();
  simulation->externals().socket_servers.at(0)->SetTamper(
      [line, repeat](records::Values* lines, ledger::RecordIds* ids) {
        for (size_t i = 0; i < ids->size(); ++i) {
          if ((*ids)[i].sequence != line) continue;
          if (repeat) {
            lines->insert(lines->begin() + static_cast<std::ptrdiff_t>(i), (*lines)[i]);
            ids->insert(ids->begin() + static_cast<std::ptrdiff_t>(i), (*ids)[i]);
          } else {
            lines->erase(lines->begin() + static_cast<std::ptrdiff_t>(i));
            ids->erase(ids->begin() + static_cast<std::ptrdiff_t>(i));
          }
          return;
        }
      });
  RC_ASSERT(simulation->Run().ok());
  const harness::RunCheck check = harness::CheckRunOf(scenario, *simulation);
  std::vector<checker::Finding> found;
  for (const checker::Finding& finding : check.report->findings) {
    RC_LOG() << checker::FormatFinding(finding) << "\n";
    if (finding.check != "calculator") found.push_back(finding);
  }
  RC_ASSERT(check.report->verdict != checker::Verdict::kExactlyOnce);
  RC_ASSERT(found.size() == 1u);
  RC_ASSERT(found[0].check == std::string("acknowledged-once"));
  RC_ASSERT(found[0].problem == std::string(repeat ? "duplication" : "loss"));
  RC_ASSERT(found[0].subject == std::string("words"));
  RC_ASSERT(found[0].count == 1);
  RC_ASSERT(found[0].examples == std::vector<std::string>{fmt::format("words/0/{}", line)});
}

}  // namespace
}  // namespace streamsim::scenarios
