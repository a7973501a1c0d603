// `streamsim guarantees FILE` end to end on shipped library scenarios (the exact table and JSON),
// its bad-input handling (as `streamsim validate`), and the scenario model it predicts from
// (harness/guarantee_configuration.h) on library and inline scenarios.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/guarantee_configuration.h"
#include "scenarios/loader.h"
#include "tests/scenario/cli_test_support.h"

namespace streamsim::scenarios {
namespace {

using checker::SinkKind;
using checker::SourceKind;

using streamsim::testing::Library;
using streamsim::testing::Outcome;
using streamsim::testing::Streamsim;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

Scenario LoadLibrary(const std::string& name) {
  Scenario scenario;
  LoadError error;
  {
    LoadResult<Scenario> loaded = LoadScenarioFile(Library(name));
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
    if (loaded.ok()) scenario = std::move(loaded.value());
  }
  return scenario;
}

constexpr const char* kHeader = "fault           guarantee      reason";
constexpr const char* kNoFaultLine =
    "no fault        exactly-once   nothing fails: every record is received, computed and output "
    "once";
constexpr const char* kPrintAgain =
    "print: the batch of the checkpoint's time runs again after the restart and shows again (an "
    "at-least-once observer)";
constexpr const char* kCollectAgain =
    "collect: the batch of the checkpoint's time runs again after the restart and shows again (an "
    "at-least-once observer)";

// Kafka direct, checkpointed, supervised, driver crash: input exactly once, print and collect
// at least once (the programming guide's output rule).
TEST(GuaranteesCommandTest, KafkaDirectDriverCrashIsAtLeastOnceThroughItsOutputs) {
  const Outcome run = Streamsim("guarantees " + Library("kafka-direct.yaml"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(Lines(run.out),
            (std::vector<std::string>{kHeader, kNoFaultLine,
                                      std::string("driver_crash    at-least-once  ") + kPrintAgain +
                                          "; " + kCollectAgain}));
}

// Spark's table, WAL on, driver failure, with an unreliable receiver: buffered data lost; and the
// re-run batch prints again: loss and duplicates.
TEST(GuaranteesCommandTest, SocketWithWalDriverCrashHasNoGuarantee) {
  const Outcome run = Streamsim("guarantees " + Library("socket-wal-driver-crash.yaml"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(Lines(run.out),
            (std::vector<std::string>{
                kHeader, kNoFaultLine,
                std::string("driver_crash    none           socket is an unreliable receiver: "
                            "records buffered in the block generator are lost with the driver's "
                            "executors, and lines the server sends while no receiver is connected "
                            "are gone; the WAL keeps only stored blocks (Spark: 'buffered data "
                            "lost'); use a reliable receiver or Kafka direct; ") +
                    kPrintAgain}));
}

// A random schedule: one line per kind of its `kinds`, in the nemesis' order.
TEST(GuaranteesCommandTest, RandomSoakPredictsEveryKindOfItsSchedule) {
  const Outcome run = Streamsim("guarantees " + Library("random-fault-soak.yaml"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::string socket_lost =
      "at-most-once   socket is an unreliable receiver: records buffered in the block generator "
      "are lost with the ";
  const std::string socket_tail =
      ", and lines the server sends while no receiver is connected are gone (Spark: 'buffered "
      "data lost'), with or without the WAL; use a reliable receiver or Kafka direct";
  EXPECT_EQ(
      Lines(run.out),
      (std::vector<std::string>{
          kHeader, kNoFaultLine, "worker_crash    " + socket_lost + "executor" + socket_tail,
          "executor_crash  " + socket_lost + "executor" + socket_tail,
          "receiver_crash  " + socket_lost + "receiver task" + socket_tail,
          "pause           exactly-once   a pause only delays: the node keeps its state and runs "
          "what waited when it resumes (far below spark.network.timeout, 120 s)",
          "partition       exactly-once   a partition only delays: Spark's RPC runs over TCP, so a "
          "cut shorter than spark.network.timeout (120 s) holds messages and delivers them when "
          "it heals",
          "network         exactly-once   network loss and latency only delay: TCP retransmits "
          "lost segments and the batches catch up after the window",
          "refuse_writes   at-most-once   socket is an unreliable receiver: a block the receiver "
          "log or the block tracker's log refuses is dropped with Spark's block-pushing error, and "
          "the source never sends it again; use a reliable receiver or Kafka direct",
          "slow_storage    exactly-once   a slow store only delays: every write still succeeds, "
          "later",
          "torn_writes     exactly-once   torn writes alone lose nothing: they matter only with a "
          "crash, and recovery skips a torn checkpoint or log tail as Spark does"}));
}

// A scenario without faults gets Spark's whole table for its configuration (before: a lone "no
// fault" line). The chapter's socket example: a worker or receiver failure loses what the
// receiver held in memory; a driver failure without a checkpoint loses everything in flight.
TEST(GuaranteesCommandTest, AScenarioWithoutFaultsGetsSparksTableForItsConfiguration) {
  const Outcome run = Streamsim("guarantees " + Library("error-lines.yaml"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 6u) << run.out;
  EXPECT_EQ(lines[0],
            "The scenario injects no fault; what each failure of Spark's table would "
            "give:");
  EXPECT_EQ(lines[1], kHeader);
  EXPECT_EQ(lines[2], kNoFaultLine);
  EXPECT_EQ(lines[3].substr(0, 30), "worker_crash    at-most-once  ");
  EXPECT_EQ(lines[4].substr(0, 30), "driver_crash    at-most-once  ");
  EXPECT_EQ(lines[5].substr(0, 30), "receiver_crash  at-most-once  ");
  const Outcome json = Streamsim("guarantees " + Library("error-lines.yaml") + " --json");
  const nlohmann::json result = nlohmann::json::parse(json.out);
  EXPECT_EQ(result["hypothetical"], true);
  EXPECT_EQ(result["predictions"].size(), 4u);
}

TEST(GuaranteesCommandTest, JsonHasScenarioAndPredictions) {
  const Outcome run =
      Streamsim("guarantees " + Library("kafka-receiver-worker-crash.yaml") + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json result = nlohmann::json::parse(run.out);
  EXPECT_EQ(result["scenario"], "kafka-receiver-worker-crash");
  EXPECT_EQ(result["hypothetical"], false);
  ASSERT_EQ(result["predictions"].size(), 2u);
  EXPECT_EQ(result["predictions"][0]["fault"], "no fault");
  EXPECT_EQ(result["predictions"][0]["guarantee"], "exactly-once");
  EXPECT_EQ(result["predictions"][1]["fault"], "worker_crash");
  EXPECT_EQ(result["predictions"][1]["guarantee"], "none");
  EXPECT_EQ(result["predictions"][1]["reason"],
            "Kafka receiver (KafkaReceiver) auto-commits fetched offsets: the relaunched consumer "
            "reads again what it fetched after the last commit (duplicates) and loses records "
            "committed while still buffered; enable the WAL (ReliableKafkaReceiver) or use Kafka "
            "direct");
}

TEST(GuaranteesCommandTest, BadScenarioIsReportedAsValidateReportsIt) {
  const std::filesystem::path scenario =
      std::filesystem::temp_directory_path() / "streamsim_guarantees_test_bad.yaml";
  std::ofstream(scenario) << "streaming: {batch_interval: ten}\n";
  const Outcome guarantees = Streamsim("guarantees " + scenario.string());
  const Outcome validate = Streamsim("validate " + scenario.string());
  EXPECT_EQ(guarantees.exit_code, 2);
  EXPECT_EQ(guarantees.out,
            scenario.string() + ":1:29: expected a duration like 1s or 200ms, got 'ten'\n");
  EXPECT_EQ(guarantees.out, validate.out);
  EXPECT_EQ(Streamsim("guarantees /nonexistent/scenario.yaml").out,
            "/nonexistent/scenario.yaml: cannot read file\n");
}

TEST(GuaranteesCommandTest, UsageErrorsExitTwoAndHelpExitsZero) {
  EXPECT_EQ(Streamsim("guarantees").exit_code, 2);
  EXPECT_EQ(Streamsim("guarantees a.yaml b.yaml").exit_code, 2);
  const Outcome unknown = Streamsim("guarantees --yaml " + Library("kafka-direct.yaml"));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.out.rfind("streamsim guarantees: unknown option '--yaml'\n", 0), 0u);
  const Outcome help = Streamsim("guarantees --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.rfind("usage: streamsim guarantees FILE [--json]\n", 0), 0u);
  EXPECT_NE(Streamsim("--help").out.find("  guarantees FILE predict the delivery guarantee"),
            std::string::npos);
}

TEST(GuaranteeConfigurationTest, ReceiversReliabilityAndStorageFromLibraryScenarios) {
  const checker::GuaranteeConfiguration kafka =
      harness::GuaranteeConfigurationOf(LoadLibrary("kafka-receiver-wal-worker-crash.yaml"));
  ASSERT_EQ(kafka.sources.size(), 1u);
  EXPECT_EQ(kafka.sources[0].kind, SourceKind::kKafkaReceiver);
  EXPECT_TRUE(kafka.sources[0].receiver_based);
  EXPECT_TRUE(kafka.sources[0].reliable);  // ReliableKafkaReceiver: the WAL is on
  EXPECT_TRUE(kafka.write_ahead_log);
  EXPECT_TRUE(kafka.checkpoint);
  EXPECT_FALSE(kafka.supervise);
  EXPECT_FALSE(kafka.replicated_blocks);  // MEMORY_AND_DISK_SER
  const checker::GuaranteeConfiguration flume =
      harness::GuaranteeConfigurationOf(LoadLibrary("flume-pull-driver-crash.yaml"));
  EXPECT_EQ(flume.sources[0].kind, SourceKind::kFlumePull);
  EXPECT_TRUE(flume.sources[0].reliable);
  EXPECT_TRUE(flume.supervise);
  EXPECT_TRUE(flume.replicated_blocks);  // the default MEMORY_AND_DISK_SER_2
  const checker::GuaranteeConfiguration custom =
      harness::GuaranteeConfigurationOf(LoadLibrary("custom-unreliable-worker-crash.yaml"));
  EXPECT_EQ(custom.sources[0].kind, SourceKind::kCustom);
  EXPECT_FALSE(custom.sources[0].reliable);
  EXPECT_TRUE(
      harness::GuaranteeConfigurationOf(LoadLibrary("cleaner-ttl-too-short.yaml")).cleaner_ttl);
}

TEST(GuaranteeConfigurationTest, OutputsReadTheirSourcesThroughTheirStreams) {
  const checker::GuaranteeConfiguration join =
      harness::GuaranteeConfigurationOf(LoadLibrary("join-reference-table.yaml"));
  ASSERT_EQ(join.outputs.size(), 1u);
  EXPECT_EQ(join.outputs[0].stream, "statusCounts");
  EXPECT_EQ(join.outputs[0].sink, SinkKind::kPrint);
  // transformWith names the queue inside a transform chain.
  EXPECT_EQ(join.outputs[0].sources, (std::vector<std::string>{"logs", "statusNames"}));
  const checker::GuaranteeConfiguration saved =
      harness::GuaranteeConfigurationOf(LoadLibrary("file-stream-save.yaml"));
  ASSERT_EQ(saved.outputs.size(), 2u);
  EXPECT_EQ(saved.outputs[0].sink, SinkKind::kSaveAsTextFiles);
  EXPECT_EQ(saved.outputs[1].sink, SinkKind::kPrint);
  EXPECT_EQ(saved.outputs[0].sources, (std::vector<std::string>{"incoming"}));
  EXPECT_EQ(saved.sources[0].kind, SourceKind::kFile);
  EXPECT_FALSE(saved.sources[0].receiver_based);
}

constexpr const char* kInline =
    "sources:\n"
    "  events: {kind: kafka, mode: direct, topic: events, rate: 10/s, start: earliest}\n"
    "  lines: {kind: socket, port: 7777, rate: 10/s}\n"
    "  unused: {kind: queue, batches: [[1]]}\n"
    "streams:\n"
    "  both: {from: events, ops: [{union: lines}]}\n"
    "outputs:\n"
    "  - {stream: both, foreachRDD: {sink: {kind: file, path: sinks/both}}}\n"
    "  - {stream: events, saveAsTextFiles: out/events}\n"
    "faults:\n"
    "  - {at: 1s, storage: slow, extra_latency: 10ms, for: 1s}\n"
    "  - {at: 2s, down: kafka/events, for: 1s}\n"
    "  - {at: 3s, crash: receiver/lines}\n"
    "  - {at: 4s, storage: torn_writes, for: 1s}\n"
    "  - {at: 5s, crash: executor/1}\n"
    "  - {at: 6s, crash: receiver/lines}\n";

TEST(GuaranteeConfigurationTest, InlineScenarioSinksSourcesAndFaultKinds) {
  Scenario scenario;
  LoadError error;
  {
    LoadResult<Scenario> loaded = LoadScenarioText(kInline, "inline.yaml");
    ASSERT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
    if (loaded.ok()) scenario = std::move(loaded.value());
  }
  const checker::GuaranteeConfiguration config = harness::GuaranteeConfigurationOf(scenario);
  ASSERT_EQ(config.sources.size(), 3u);
  EXPECT_EQ(config.sources[0].kind, SourceKind::kKafkaDirect);
  EXPECT_TRUE(config.sources[0].reads_from_earliest);
  EXPECT_FALSE(config.sources[0].receiver_based);
  EXPECT_EQ(config.sources[1].kind, SourceKind::kSocket);
  EXPECT_TRUE(config.sources[1].receiver_based);
  EXPECT_FALSE(config.sources[1].reliable);
  ASSERT_EQ(config.outputs.size(), 2u);
  EXPECT_EQ(config.outputs[0].sink, SinkKind::kFile);
  EXPECT_EQ(config.outputs[0].sources, (std::vector<std::string>{"events", "lines"}));
  EXPECT_EQ(config.outputs[1].sources, (std::vector<std::string>{"events"}));
  EXPECT_FALSE(config.checkpoint);
  EXPECT_EQ(harness::FaultKindsOf(scenario),
            (std::vector<faults::FaultKind>{
                faults::FaultKind::kExecutorCrash, faults::FaultKind::kReceiverCrash,
                faults::FaultKind::kSlowStorage, faults::FaultKind::kTornWrites,
                faults::FaultKind::kExternalDown}));
}

TEST(GuaranteeConfigurationTest, FaultKindsOfAScenario) {
  EXPECT_EQ(harness::FaultKindsOf(LoadLibrary("status-counts.yaml")),
            std::vector<faults::FaultKind>{});
  EXPECT_EQ(harness::FaultKindsOf(LoadLibrary("custom-reliable-driver-crash.yaml")),
            std::vector<faults::FaultKind>{faults::FaultKind::kDriverCrash});
}

}  // namespace
}  // namespace streamsim::scenarios
