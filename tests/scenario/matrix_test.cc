// The guarantee matrix: source kind x receiver write-ahead log x checkpoint x sink kind x fault
// kind, each case run in the simulation and checked. Every case asserts the exact verdict the
// checker gives and that it satisfies the guarantee the calculator predicts from the
// configuration alone — the calculator is a worst case, so a case may observe better (a fault that
// happened to hit nothing in flight), never worse.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "checker/verdict.h"
#include "harness/run_check.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"

namespace streamsim::scenarios {
namespace {

struct MatrixCase {
  std::string source;  // socket | kafka-receiver | kafka-direct
  bool wal = false;
  bool checkpoint = false;
  std::string sink;   // append | idempotent | transactional
  std::string fault;  // driver | worker | receiver

  std::string Name() const {
    return fmt::format("{}{}{}-{}-{}", source, checkpoint ? "-checkpoint" : "", wal ? "-wal" : "",
                       sink, fault);
  }
};

std::string SourceYaml(const std::string& source) {
  if (source == "socket") {
    return "  words: {kind: socket, port: 9999, rate: 100/s,\n"
           "          generator: {kind: words, vocabulary: [a, b, c, d], words_per_line: 2}}\n";
  }
  const std::string mode = source == "kafka-direct" ? "direct" : "receiver";
  return "  words: {kind: kafka, mode: " + mode +
         ", topic: words, partitions: 2, rate: 100/s, start: earliest,\n"
         "          generator: {kind: words, vocabulary: [a, b, c, d], words_per_line: 2}}\n";
}

std::string FaultYaml(const std::string& fault) {
  if (fault == "driver") return "[{at: 5500ms, crash: driver, restart_after: 2s}]";
  if (fault == "worker") return "[{at: 5500ms, crash: worker/0, restart_after: 3s}]";
  return "[{at: 5500ms, crash: receiver/words}]";
}

std::string ScenarioYaml(const MatrixCase& c) {
  std::string streaming = "{batch_interval: 1s, supervise: true";
  if (c.checkpoint) streaming += ", checkpoint: {dir: checkpoints/matrix}";
  if (c.wal) streaming += ", write_ahead_log: true";
  streaming += "}";
  return fmt::format(
      "name: {}\nseed: 1\nstop: {{batches: 12}}\nstreaming: {}\n"
      "cluster: {{workers: 2, cores: 2}}\nsources:\n{}"
      "streams:\n  counts:\n    from: words\n"
      "    ops: [{{flatMap: 'split(x, \" \")'}}, {{map: \"(x, 1)\"}}, {{reduceByKey: \"a + b\"}}]\n"
      "outputs:\n  - {{stream: counts, sink: {{kind: {}, table: counts}}}}\n"
      "faults: {}\n",
      c.Name(), streaming, SourceYaml(c.source), c.sink, FaultYaml(c.fault));
}

std::vector<MatrixCase> Cases() {
  std::vector<MatrixCase> cases;
  for (std::string source : {"socket", "kafka-receiver", "kafka-direct"}) {
    for (auto [checkpoint, wal] : {std::pair{false, false}, {true, false}, {true, true}}) {
      if (source == "kafka-direct" && wal) continue;  // no receiver, nothing to log
      for (std::string sink : {"append", "idempotent", "transactional"}) {
        for (std::string fault : {"driver", "worker", "receiver"}) {
          if (source == "kafka-direct" && fault == "receiver") continue;
          cases.push_back({source, wal, checkpoint, sink, fault});
        }
      }
    }
  }
  return cases;
}

struct Observed {
  checker::Verdict verdict;
  checker::Guarantee predicted;
  std::vector<std::string> findings;
};

Observed RunCase(const MatrixCase& c, const std::filesystem::path& directory) {
  Scenario scenario;
  LoadError error;
  {
    LoadResult<Scenario> loaded = LoadScenarioText(ScenarioYaml(c), c.Name() + ".yaml");
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
    if (loaded.ok()) scenario = std::move(loaded.value());
  }
  harness::RunOptions options;
  options.sink_database_path = (directory / (c.Name() + ".sqlite")).string();
  engine::OutputListener silent;
  auto built = harness::Simulation::Build(scenario, options, &silent);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  EXPECT_NE(simulation, nullptr) << error.ToString();
  EXPECT_TRUE(simulation->Run().ok());
  const harness::RunCheck check = harness::CheckRunOf(scenario, *simulation);
  Observed observed{check.report->verdict, check.prediction.guarantee, {}};
  for (const checker::Finding& finding : check.report->findings) {
    observed.findings.push_back(checker::FormatFinding(finding));
  }
  return observed;
}

// The verdict each case observes (seed 1), by case name.
const std::map<std::string, std::string>& ExpectedVerdicts() {
  static const std::map<std::string, std::string> verdicts = {
      {"socket-append-driver", "at-most-once"},
      {"socket-append-worker", "at-most-once"},
      {"socket-append-receiver", "at-most-once"},
      {"socket-idempotent-driver", "at-most-once"},
      {"socket-idempotent-worker", "at-most-once"},
      {"socket-idempotent-receiver", "at-most-once"},
      {"socket-transactional-driver", "at-most-once"},
      {"socket-transactional-worker", "at-most-once"},
      {"socket-transactional-receiver", "at-most-once"},
      {"socket-checkpoint-append-driver", "at-most-once"},
      {"socket-checkpoint-append-worker", "at-most-once"},
      {"socket-checkpoint-append-receiver", "at-most-once"},
      {"socket-checkpoint-idempotent-driver", "at-most-once"},
      {"socket-checkpoint-idempotent-worker", "at-most-once"},
      {"socket-checkpoint-idempotent-receiver", "at-most-once"},
      {"socket-checkpoint-transactional-driver", "at-most-once"},
      {"socket-checkpoint-transactional-worker", "at-most-once"},
      {"socket-checkpoint-transactional-receiver", "at-most-once"},
      {"socket-checkpoint-wal-append-driver", "loss-and-duplication"},
      {"socket-checkpoint-wal-append-worker", "at-most-once"},
      {"socket-checkpoint-wal-append-receiver", "at-most-once"},
      {"socket-checkpoint-wal-idempotent-driver", "at-most-once"},
      {"socket-checkpoint-wal-idempotent-worker", "at-most-once"},
      {"socket-checkpoint-wal-idempotent-receiver", "at-most-once"},
      {"socket-checkpoint-wal-transactional-driver", "at-most-once"},
      {"socket-checkpoint-wal-transactional-worker", "at-most-once"},
      {"socket-checkpoint-wal-transactional-receiver", "at-most-once"},
      {"kafka-receiver-append-driver", "at-least-once"},
      {"kafka-receiver-append-worker", "at-least-once"},
      {"kafka-receiver-append-receiver", "at-most-once"},
      {"kafka-receiver-idempotent-driver", "at-least-once"},
      {"kafka-receiver-idempotent-worker", "at-least-once"},
      {"kafka-receiver-idempotent-receiver", "at-most-once"},
      {"kafka-receiver-transactional-driver", "at-least-once"},
      {"kafka-receiver-transactional-worker", "at-least-once"},
      {"kafka-receiver-transactional-receiver", "at-most-once"},
      {"kafka-receiver-checkpoint-append-driver", "loss-and-duplication"},
      {"kafka-receiver-checkpoint-append-worker", "at-least-once"},
      {"kafka-receiver-checkpoint-append-receiver", "at-most-once"},
      {"kafka-receiver-checkpoint-idempotent-driver", "loss-and-duplication"},
      {"kafka-receiver-checkpoint-idempotent-worker", "at-least-once"},
      {"kafka-receiver-checkpoint-idempotent-receiver", "at-most-once"},
      {"kafka-receiver-checkpoint-transactional-driver", "loss-and-duplication"},
      {"kafka-receiver-checkpoint-transactional-worker", "at-least-once"},
      {"kafka-receiver-checkpoint-transactional-receiver", "at-most-once"},
      {"kafka-receiver-checkpoint-wal-append-driver", "at-least-once"},
      {"kafka-receiver-checkpoint-wal-append-worker", "exactly-once"},
      {"kafka-receiver-checkpoint-wal-append-receiver", "exactly-once"},
      {"kafka-receiver-checkpoint-wal-idempotent-driver", "exactly-once"},
      {"kafka-receiver-checkpoint-wal-idempotent-worker", "exactly-once"},
      {"kafka-receiver-checkpoint-wal-idempotent-receiver", "exactly-once"},
      {"kafka-receiver-checkpoint-wal-transactional-driver", "exactly-once"},
      {"kafka-receiver-checkpoint-wal-transactional-worker", "exactly-once"},
      {"kafka-receiver-checkpoint-wal-transactional-receiver", "exactly-once"},
      {"kafka-direct-append-driver", "at-least-once"},
      {"kafka-direct-append-worker", "exactly-once"},
      {"kafka-direct-idempotent-driver", "at-least-once"},
      {"kafka-direct-idempotent-worker", "exactly-once"},
      {"kafka-direct-transactional-driver", "at-least-once"},
      {"kafka-direct-transactional-worker", "exactly-once"},
      {"kafka-direct-checkpoint-append-driver", "at-least-once"},
      {"kafka-direct-checkpoint-append-worker", "exactly-once"},
      {"kafka-direct-checkpoint-idempotent-driver", "exactly-once"},
      {"kafka-direct-checkpoint-idempotent-worker", "exactly-once"},
      {"kafka-direct-checkpoint-transactional-driver", "exactly-once"},
      {"kafka-direct-checkpoint-transactional-worker", "exactly-once"},
  };
  return verdicts;
}

TEST(GuaranteeMatrixTest, EveryCaseGivesItsVerdictWithinThePrediction) {
  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() / fmt::format("streamsim-matrix-{}", ::getpid());
  std::filesystem::create_directories(directory);
  for (const MatrixCase& c : Cases()) {
    SCOPED_TRACE(c.Name());
    const Observed observed = RunCase(c, directory);
    std::string findings;
    for (const std::string& finding : observed.findings) findings += "\n  " + finding;
    EXPECT_TRUE(checker::Satisfies(observed.verdict, observed.predicted))
        << c.Name() << ": observed " << checker::VerdictName(observed.verdict) << ", predicted "
        << checker::GuaranteeName(observed.predicted) << findings;
    const auto expected = ExpectedVerdicts().find(c.Name());
    EXPECT_NE(expected, ExpectedVerdicts().end())
        << "    {\"" << c.Name() << "\", \"" << checker::VerdictName(observed.verdict) << "\"},"
        << findings;
    if (expected != ExpectedVerdicts().end()) {
      EXPECT_EQ(checker::VerdictName(observed.verdict), expected->second) << findings;
    }
  }
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace streamsim::scenarios
