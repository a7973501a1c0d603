// Tests of `sink:` outputs in scenarios (scenarios/sink_reader.cc, scenarios/validator.cc,
// harness/simulation.cc, harness/guarantee_configuration.cc): the spelling loaded into exact model
// values, every error with its exact "file:line:col: message", one kind and one output per table,
// the guarantee calculator's sink kinds, and the database a built scenario opens.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "harness/guarantee_configuration.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"
#include "tests/unit/scenarios/loader_test_support.h"

namespace streamsim::scenarios {
namespace {

using testing::ErrorOf;
using testing::Loaded;

// Lines 1-3; the outputs start on line 4.
constexpr char kHeader[] = "sources:\n  numbers: {kind: queue}\noutputs:\n";

std::string WithOutputs(const std::string& outputs) { return kHeader + outputs; }

// One output on line 4 writing `numbers` into a sink written as `sink`, e.g. "{kind: x}".
std::string WithSink(const std::string& sink) {
  return WithOutputs("  - {stream: numbers, sink: " + sink + "}\n");
}

TEST(SinkLoaderTest, LoadsKindTableAndPositions) {
  const Scenario scenario = Loaded(WithSink("{kind: idempotent, table: counts}"));
  ASSERT_EQ(scenario.outputs.size(), 1u);
  const OutputSpec& output = scenario.outputs[0];
  EXPECT_EQ(output.kind, scenarios::OutputKind::kSink);
  EXPECT_EQ(output.stream, "numbers");
  EXPECT_EQ(output.sink_kind, scenarios::SinkKind::kIdempotent);
  EXPECT_EQ(output.sink_table, "counts");
  EXPECT_EQ(output.sink_kind_position.line, 4);
  EXPECT_EQ(output.sink_kind_position.column, 36);
  EXPECT_EQ(output.sink_table_position.line, 4);
  EXPECT_EQ(output.sink_table_position.column, 55);
}

TEST(SinkLoaderTest, EveryKindLoads) {
  for (const std::string kind : {"idempotent", "transactional", "append"}) {
    const Scenario scenario = Loaded(WithSink("{kind: " + kind + ", table: t_" + kind + "}"));
    EXPECT_EQ(SinkKindName(scenario.outputs[0].sink_kind), kind);
    EXPECT_EQ(scenario.outputs[0].sink_table, "t_" + kind);
  }
  EXPECT_EQ(Loaded(WithSink("{kind: append, table: _Mixed_Case_9}")).outputs[0].sink_table,
            "_Mixed_Case_9");
}

TEST(SinkLoaderTest, UnknownKindListsTheKindsAndSuggestsACloseOne) {
  EXPECT_EQ(ErrorOf(WithSink("{kind: idempotnt, table: counts}")),
            "t.yaml:4:36: unknown sink kind 'idempotnt'; expected one of idempotent, "
            "transactional, append; did you mean 'idempotent'?");
  EXPECT_EQ(ErrorOf(WithSink("{kind: kafka, table: counts}")),
            "t.yaml:4:36: unknown sink kind 'kafka'; expected one of idempotent, transactional, "
            "append");
}

TEST(SinkLoaderTest, EachSinkSpellingPointsToTheOtherForTheOthersKinds) {
  EXPECT_EQ(ErrorOf(WithSink("{kind: file, table: counts}")),
            "t.yaml:4:36: unknown sink kind 'file'; expected one of idempotent, transactional, "
            "append (a file sink is written foreachRDD: {sink: {kind: file, path: PATH}})");
  EXPECT_EQ(
      ErrorOf(WithOutputs("  - {stream: numbers, foreachRDD: {sink: {kind: append, path: x}}}\n")),
      "t.yaml:4:49: unknown sink kind 'append'; expected one of file (a database sink is written "
      "sink: {kind: append, table: NAME} in the output itself, not under foreachRDD)");
}

TEST(SinkLoaderTest, KindAndTableAreRequired) {
  EXPECT_EQ(ErrorOf(WithSink("{kind: append}")), "t.yaml:4:29: missing key 'table' in sink");
  EXPECT_EQ(ErrorOf(WithSink("{table: counts}")), "t.yaml:4:29: missing key 'kind' in sink");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: }")),
            "t.yaml:4:44: expected a string, got nothing");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: ''}")),
            "t.yaml:4:51: 'table' must not be empty");
}

TEST(SinkLoaderTest, UnknownKeyInSink) {
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, tables: counts}")),
            "t.yaml:4:44: unknown key 'tables' in sink; did you mean 'table'?");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: counts, path: x}")),
            "t.yaml:4:59: unknown key 'path' in sink");
}

TEST(SinkLoaderTest, SinkIsAMapping) {
  EXPECT_EQ(ErrorOf(WithSink("counts")), "t.yaml:4:29: expected a mapping for sink, got 'counts'");
}

TEST(SinkLoaderTest, TableNamesTheSinkDatabaseWouldRefuse) {
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: 9lives}")),
            "t.yaml:4:51: sink table name '9lives' is not an SQL identifier: a letter or '_', "
            "then letters, digits and '_'");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: word-counts}")),
            "t.yaml:4:51: sink table name 'word-counts' is not an SQL identifier: a letter or "
            "'_', then letters, digits and '_'");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: \"a b\"}")),
            "t.yaml:4:51: sink table name 'a b' is not an SQL identifier: a letter or '_', then "
            "letters, digits and '_'");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: " + std::string(65, 'x') + "}")),
            "t.yaml:4:51: sink table name 'xxxxxxxxxxxxxxxx...' is longer than 64 characters");
  EXPECT_EQ(Loaded(WithSink("{kind: append, table: " + std::string(64, 'x') + "}"))
                .outputs[0]
                .sink_table.size(),
            64u);
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: streamsim_sink_writes}")),
            "t.yaml:4:51: sink table name 'streamsim_sink_writes' is reserved: names starting "
            "with streamsim_ or sqlite_ belong to the sink database itself");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: StreamSim_Mine}")),
            "t.yaml:4:51: sink table name 'StreamSim_Mine' is reserved: names starting with "
            "streamsim_ or sqlite_ belong to the sink database itself");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: sqlite_master}")),
            "t.yaml:4:51: sink table name 'sqlite_master' is reserved: names starting with "
            "streamsim_ or sqlite_ belong to the sink database itself");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: Order}")),
            "t.yaml:4:51: sink table name 'Order' is an SQL keyword");
  // Near misses are fine.
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: streamsim}")), "loaded");
  EXPECT_EQ(ErrorOf(WithSink("{kind: append, table: orders}")), "loaded");
}

TEST(SinkLoaderTest, AnOutputWithASinkDoesNothingElse) {
  EXPECT_EQ(ErrorOf(WithOutputs(
                "  - {stream: numbers, print: 3, sink: {kind: append, table: counts}}\n")),
            "t.yaml:4:33: an output does one thing; this one has both 'print' and 'sink'");
  EXPECT_EQ(ErrorOf(WithOutputs("  - {stream: numbers}\n")),
            "t.yaml:4:5: output 1 needs one of print, collect, saveAsTextFiles, foreachRDD, sink");
}

TEST(SinkLoaderTest, ATableHasOneKind) {
  EXPECT_EQ(ErrorOf(WithOutputs("  - {stream: numbers, sink: {kind: idempotent, table: counts}}\n"
                                "  - {stream: numbers, print: 3}\n"
                                "  - {stream: numbers, sink: {kind: append, table: counts}}\n")),
            "t.yaml:6:36: sink table 'counts' is idempotent for output 1 (line 4); a table has "
            "one kind, so it cannot also be append");
}

TEST(SinkLoaderTest, ATableHasOneOutputAndNamesIgnoreCase) {
  EXPECT_EQ(ErrorOf(WithOutputs("  - {stream: numbers, sink: {kind: append, table: counts}}\n"
                                "  - {stream: numbers, sink: {kind: append, table: counts}}\n")),
            "t.yaml:5:51: sink table 'counts' is already written by output 1 (line 4); a table "
            "has one output");
  EXPECT_EQ(ErrorOf(WithOutputs("  - {stream: numbers, sink: {kind: append, table: counts}}\n"
                                "  - {stream: numbers, sink: {kind: append, table: Counts}}\n")),
            "t.yaml:5:51: sink table 'Counts' is already written by output 1 (line 4) as "
            "'counts' (table names ignore case); a table has one output");
  EXPECT_EQ(
      ErrorOf(WithOutputs("  - {stream: numbers, sink: {kind: transactional, table: COUNTS}}\n"
                          "  - {stream: numbers, sink: {kind: append, table: counts}}\n")),
      "t.yaml:5:36: sink table 'counts' is transactional for output 1 (line 4) as 'COUNTS' "
      "(table names ignore case); a table has one kind, so it cannot also be append");
  // Two tables, one stream: fine.
  EXPECT_EQ(ErrorOf(WithOutputs("  - {stream: numbers, sink: {kind: append, table: a}}\n"
                                "  - {stream: numbers, sink: {kind: idempotent, table: b}}\n")),
            "loaded");
}

TEST(SinkLoaderTest, TheGuaranteeCalculatorSeesEachSinkKind) {
  const Scenario scenario =
      Loaded(WithOutputs("  - {stream: numbers, sink: {kind: idempotent, table: a}}\n"
                         "  - {stream: numbers, sink: {kind: transactional, table: b}}\n"
                         "  - {stream: numbers, sink: {kind: append, table: c}}\n"
                         "  - {stream: numbers, foreachRDD: {sink: {kind: file, path: d}}}\n"));
  const checker::GuaranteeConfiguration configuration = harness::GuaranteeConfigurationOf(scenario);
  ASSERT_EQ(configuration.outputs.size(), 4u);
  EXPECT_EQ(configuration.outputs[0].sink, checker::SinkKind::kIdempotent);
  EXPECT_EQ(configuration.outputs[1].sink, checker::SinkKind::kTransactional);
  EXPECT_EQ(configuration.outputs[2].sink, checker::SinkKind::kAppend);
  EXPECT_EQ(configuration.outputs[3].sink, checker::SinkKind::kFile);
  EXPECT_EQ(configuration.outputs[1].stream, "numbers");
  EXPECT_EQ(configuration.outputs[1].sources, std::vector<std::string>{"numbers"});
}

// ---------------------------------------------------------------------------------------------
// The database a built scenario opens.

class SinkBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "sink_build_test.XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string directory_;
};

const char kSinkScenario[] =
    "stop: {batches: 1}\n"
    "sources:\n"
    "  numbers: {kind: queue, batches: [[1, 2]]}\n"
    "outputs:\n"
    "  - {stream: numbers, print: 1}\n"
    "  - {stream: numbers, sink: {kind: append, table: numbers}}\n";

TEST_F(SinkBuildTest, CreatesTheDatabaseAtThePathReplacingAnOldFile) {
  const std::string path = directory_ + "/sinks.sqlite";
  {
    std::FILE* old = std::fopen(path.c_str(), "w");
    ASSERT_NE(old, nullptr);
    std::fputs("not a database", old);
    std::fclose(old);
  }
  harness::RunOptions options;
  options.sink_database_path = path;
  engine::OutputListener silent;
  LoadError error;
  auto built = harness::Simulation::Build(Loaded(kSinkScenario), options, &silent);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  ASSERT_NE(simulation, nullptr) << error.ToString();
  EXPECT_EQ(simulation->sink_database_path(), path);
  EXPECT_NE(simulation->sink_database(), nullptr);
  ASSERT_TRUE(simulation->Run().ok());
  EXPECT_GT(std::filesystem::file_size(path), 0u);
}

TEST_F(SinkBuildTest, WithoutAPathTheDatabaseIsInMemory) {
  engine::OutputListener silent;
  LoadError error;
  auto built = harness::Simulation::Build(Loaded(kSinkScenario), {}, &silent);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  ASSERT_NE(simulation, nullptr) << error.ToString();
  EXPECT_EQ(simulation->sink_database_path(), "");
  EXPECT_NE(simulation->sink_database(), nullptr);
  EXPECT_TRUE(simulation->Run().ok());
}

TEST_F(SinkBuildTest, AScenarioWithoutSinksHasNoDatabase) {
  harness::RunOptions options;
  options.sink_database_path = directory_ + "/sinks.sqlite";
  engine::OutputListener silent;
  auto built = harness::Simulation::Build(
      Loaded("sources:\n  numbers: {kind: queue}\noutputs:\n  - {stream: numbers, print: 1}\n"),
      options, &silent);
  ASSERT_TRUE(built.ok()) << built.error().ToString();
  const std::unique_ptr<harness::Simulation>& simulation = built.value();
  EXPECT_EQ(simulation->sink_database_path(), "");
  EXPECT_EQ(simulation->sink_database(), nullptr);
  EXPECT_FALSE(std::filesystem::exists(options.sink_database_path));
}

TEST_F(SinkBuildTest, ADatabaseThatCannotBeCreatedIsReportedAtTheFirstSinkOutput) {
  harness::RunOptions options;
  options.sink_database_path = directory_ + "/missing/sinks.sqlite";
  engine::OutputListener silent;
  const auto built = harness::Simulation::Build(Loaded(kSinkScenario), options, &silent);
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.error().ToString(), "t.yaml:6:5: sink database '" + directory_ +
                                          "/missing/sinks.sqlite' cannot be opened: unable to open "
                                          "database file");
}

}  // namespace
}  // namespace streamsim::scenarios
