// Properties of the checker over random runs (RapidCheck): for a random source (socket, Kafka
// receiver, Kafka direct), write-ahead log, checkpoint, sink kind, one random crash (driver,
// worker or receiver, at a random time, restarted or not) and a random seed,
//  - no batch ran on other records than the driver made durable for it (no batch-ledger
//    finding): recovery never invents or drops an allocation;
//  - the verdict is never a state divergence (the pipeline has no state; a divergence would be a
//    wrong result, not a delivery failure);
//  - the verdict satisfies the guarantee calculator's prediction for the run's fault kinds (no
//    `contradiction` finding): the configuration's documented guarantee holds in every run.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "checker/check.h"
#include "checker/running_check.h"
#include "checker/verdict.h"
#include "harness/run_check.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"

namespace streamsim::scenarios {
namespace {

struct RandomCase {
  std::string source;  // socket | kafka-receiver | kafka-direct
  bool checkpoint = false;
  bool wal = false;
  std::string sink;    // append | idempotent | transactional
  std::string target;  // driver | worker/0 | receiver/words
  int crash_ms = 0;
  int restart_ms = 0;  // 0: not restarted (a receiver is restarted by the driver anyway)
  uint64_t seed = 1;
};

std::string Yaml(const RandomCase& c) {
  const std::string source =
      c.source == "socket"
          ? "  words: {kind: socket, port: 9999, rate: 100/s,\n"
            "          generator: {kind: words, vocabulary: [a, b, c, d], words_per_line: 2}}\n"
          : fmt::format(
                "  words: {{kind: kafka, mode: {}, topic: words, partitions: 2, "
                "rate: 100/s, start: earliest,\n"
                "          generator: {{kind: words, vocabulary: [a, b, c, d], "
                "words_per_line: 2}}}}\n",
                c.source == "kafka-direct" ? "direct" : "receiver");
  std::string streaming = "{batch_interval: 1s, supervise: true";
  if (c.checkpoint) streaming += ", checkpoint: {dir: checkpoints/property}";
  if (c.wal) streaming += ", write_ahead_log: true";
  streaming += "}";
  std::string fault = fmt::format("{{at: {}ms, crash: {}", c.crash_ms, c.target);
  if (c.restart_ms > 0 && c.target != "receiver/words") {
    fault += fmt::format(", restart_after: {}ms", c.restart_ms);
  }
  fault += "}";
  return fmt::format(
      "name: property\nseed: {}\nstop: {{batches: 12}}\nstreaming: {}\n"
      "cluster: {{workers: 2, cores: 2}}\nsources:\n{}"
      "streams:\n  counts:\n    from: words\n"
      "    ops: [{{flatMap: 'split(x, \" \")'}}, {{map: \"(x, 1)\"}}, {{reduceByKey: \"a + b\"}}]\n"
      "outputs:\n  - {{stream: counts, sink: {{kind: {}, table: counts}}}}\n"
      "faults: [{}]\n",
      c.seed, streaming, source, c.sink, fault);
}

// A fresh directory for this process's sink files (left for the system's temporary cleaner: a
// property's runs end at unknown times).
std::filesystem::path TemporaryDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "checker_property.XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return std::filesystem::temp_directory_path();
  return pattern;
}

RandomCase DrawCase() {
  RandomCase c;
  c.source = *rc::gen::element<std::string>("socket", "kafka-receiver", "kafka-direct");
  c.checkpoint = *rc::gen::arbitrary<bool>();
  c.wal = c.checkpoint && c.source != "kafka-direct" && *rc::gen::arbitrary<bool>();
  c.sink = *rc::gen::element<std::string>("append", "idempotent", "transactional");
  c.target = c.source == "kafka-direct"
                 ? *rc::gen::element<std::string>("driver", "worker/0")
                 : *rc::gen::element<std::string>("driver", "worker/0", "receiver/words");
  c.crash_ms = *rc::gen::inRange(500, 11000);
  c.restart_ms = *rc::gen::element(0, 1000, 2500, 4000);
  c.seed = *rc::gen::inRange<uint64_t>(1, 1000000);
  return c;
}

RC_GTEST_PROP(CheckerProperty, RecoveryKeepsTheDurableBatchLedgerAndThePredictedGuarantee, ()) {
  const RandomCase c = DrawCase();
  const std::string yaml = Yaml(c);
  RC_LOG() << yaml;
  Scenario scenario;
  LoadError error;
  LoadResult<Scenario> loaded = LoadScenarioText(yaml, "property.yaml");
  RC_ASSERT(loaded.ok());
  scenario = std::move(loaded.value());
  // The checker reads the sinks back from a file.
  static const std::filesystem::path directory = TemporaryDirectory();
  static int run_number = 0;
  harness::RunOptions options;
  options.sink_database_path = (directory / fmt::format("run-{}.sqlite", ++run_number)).string();
  engine::OutputListener silent;
  auto built = harness::Simulation::Build(scenario, options, &silent);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  RC_ASSERT(simulation != nullptr);
  RC_ASSERT(simulation->Run().ok());
  const harness::RunCheck check = harness::CheckRunOf(scenario, *simulation);
  for (const checker::Finding& finding : check.report->findings) {
    RC_LOG() << checker::FormatFinding(finding) << "\n";
    RC_ASSERT(finding.check != "batch-ledger");
    RC_ASSERT(finding.problem != "contradiction");
  }
  RC_ASSERT(check.report->verdict != checker::Verdict::kStateDivergence);
}

// The report of one run of `yaml`, and its fingerprint, checked after the run or as it goes.
std::string ReportOfRun(const std::string& yaml, bool as_it_goes) {
  LoadResult<Scenario> loaded = LoadScenarioText(yaml, "property.yaml");
  RC_ASSERT(loaded.ok());
  const Scenario& scenario = loaded.value();
  static const std::filesystem::path directory = TemporaryDirectory();
  static int run_number = 0;
  harness::RunOptions options;
  options.sink_database_path = (directory / fmt::format("same-{}.sqlite", ++run_number)).string();
  engine::OutputListener silent;
  auto built = harness::Simulation::Build(scenario, options, &silent);
  RC_ASSERT(built.ok());
  harness::Simulation& simulation = *built.value();
  std::unique_ptr<checker::RunningCheck> running;
  const Status ran =
      as_it_goes ? harness::RunCheckingAsItGoes(scenario, simulation, &running) : simulation.Run();
  RC_ASSERT(ran.ok());
  const harness::RunCheck check =
      harness::CheckRunOf(scenario, simulation, running ? &running->settled() : nullptr);
  return checker::CheckReportToJson(*check.report).dump(1) + "\nfingerprint " +
         simulation.world().trace().FingerprintHex();
}

// Checking batches as they settle (checker/running_check.h) gives the report of checking the
// whole run after it, over random sources, logs, checkpoints, sinks and crashes.
RC_GTEST_PROP(CheckerProperty, CheckingAsTheRunGoesGivesTheReportOfTheCheckAfterIt, ()) {
  const std::string yaml = Yaml(DrawCase());
  RC_LOG() << yaml;
  RC_ASSERT(ReportOfRun(yaml, true) == ReportOfRun(yaml, false));
}

// The case the property found: with the receiver WAL and a checkpoint directory, a driver that
// crashes before writing its first checkpoint leaves the next one nothing to recover from. It
// starts afresh, does not read the block tracker's log, and the records the first stored (and
// the reliable receiver acknowledged, so Kafka will not send them again) are lost — Spark's
// "zero data loss" assumes a checkpoint to recover from. The prediction says so.
TEST(CheckerPropertyCase, ADriverCrashBeforeTheFirstCheckpointIsPredictedAsWithoutOne) {
  RandomCase c{"kafka-receiver", true, true, "transactional", "driver", 500, 4000, 1};
  Scenario scenario;
  LoadError error;
  LoadResult<Scenario> loaded = LoadScenarioText(Yaml(c), "early-crash.yaml");
  ASSERT_TRUE(loaded.ok());
  scenario = std::move(loaded.value());
  harness::RunOptions options;
  options.sink_database_path = (TemporaryDirectory() / "early-crash.sqlite").string();
  engine::OutputListener silent;
  auto built = harness::Simulation::Build(scenario, options, &silent);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  ASSERT_NE(simulation, nullptr);
  ASSERT_TRUE(simulation->Run().ok());
  const harness::RunCheck check = harness::CheckRunOf(scenario, *simulation);
  EXPECT_EQ(check.report->verdict, checker::Verdict::kAtMostOnce);
  EXPECT_EQ(check.prediction.guarantee, checker::Guarantee::kAtMostOnce);
  const std::string afresh =
      "; the driver restarted at 4.500 s found no readable checkpoint (the one before it crashed "
      "before writing its first), so the run is predicted as without a checkpoint directory";
  EXPECT_EQ(check.prediction.reason.substr(check.prediction.reason.size() - afresh.size()), afresh);
  ASSERT_EQ(check.report->findings.size(), 1u);
  EXPECT_EQ(checker::FormatFinding(check.report->findings[0]),
            "loss at source words: 39 records never in a batch (words/0/0, words/0/1, "
            "words/0/2); first batch 2000 ms; nearest fault: crash driver, restart after 4s at "
            "0.500 s");
}

}  // namespace
}  // namespace streamsim::scenarios
