// Runs that lost data must never be certified exactly-once (issue 13's list, each through
// `streamsim run` as a user runs it): each scenario here was certified exactly-once before its fix.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/scenario/cli_test_support.h"

namespace {

using streamsim::testing::Outcome;
using streamsim::testing::Streamsim;

// Writes `text` to a scenario file named after the running test (tests run in parallel).
std::string Scenario(const std::string& text) {
  const std::string path = ::testing::TempDir() +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                           ".yaml";
  std::ofstream(path) << text;
  return path;
}

// The text from the "verdict:" line to the end, without the fingerprint line.
std::string VerdictPart(const std::string& out) {
  const size_t start = out.find("\nverdict: ");
  if (start == std::string::npos) return "no verdict in:\n" + out;
  const size_t end = out.find("seed: ", start);
  return out.substr(start + 1, end - start - 1);
}

const char kLastBatchFails[] = R"(name: last-batch-fails
seed: 1
stop: {batches: 3}
streaming: {batch_interval: 1s}
cluster: {workers: 1, cores: 2}
sources:
  q: {kind: queue, batches: [[1, 2], [3], ["oops"]]}
streams:
  doubled: {from: q, ops: [{map: "x * 2"}]}
outputs:
  - {stream: doubled, collect: doubled_out}
expect: {guarantee: exactly-once}
)";

// The run's last batch fails: its record reaches no output. That is loss, and the report says
// where Spark's awaitTermination would have rethrown the job's error.
TEST(NoFalseExactlyOnceTest, TheLastBatchFailingIsLoss) {
  const Outcome run = Streamsim("run " + Scenario(kLastBatchFails) + " -q");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("a job failed at batch 3000 ms: in Spark, ssc.awaitTermination() would "
                         "rethrow its error to the application: Job aborted due to stage failure: "
                         "Task 0 in stage 2.0 failed 4 times, most recent failure: user function "
                         "failed: '*' cannot combine string and int\n"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(VerdictPart(run.out),
            "verdict: at-most-once\n"
            "  loss at output doubled_out: 1 record missing from 1 batch, lost with 1 failed batch "
            "(the first at 3000 ms) (oops); first batch 3000 ms\n"
            "expected: exactly-once (NOT met)\n");
}

TEST(NoFalseExactlyOnceTest, TheLastBatchFailingIsInTheJson) {
  const Outcome run = Streamsim("run " + Scenario(kLastBatchFails) + " --json");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  const nlohmann::json json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["verdict"], "at-most-once");
  EXPECT_EQ(json["predicted_guarantee"], "at-most-once");
  EXPECT_EQ(json["rethrown_error"]["batch_time_ms"], 3000);
  EXPECT_EQ(json["rethrown_error"]["driver_life"], 1);
  EXPECT_EQ(json["findings"].size(), 1u);
  EXPECT_EQ(json["findings"][0]["problem"], "loss");
  EXPECT_EQ(json["findings"][0]["count"], 1);
}

// A driver crash without supervise: the application is down at the end and every record the
// receiver was handed before the crash and no batch held is lost (before: 119 stored, 89 in
// batches, and no finding).
TEST(NoFalseExactlyOnceTest, ADriverCrashWithoutSuperviseLosesWhatTheReceiverHeld) {
  const Outcome run = Streamsim("run " + Scenario(R"(name: driver-crash-no-supervise
seed: 1
stop: {batches: 10}
streaming: {batch_interval: 1s}
cluster: {workers: 2, cores: 2}
sources:
  lines: {kind: socket, host: localhost, port: 7777, rate: 50/s,
          generator: {kind: log_lines}}
outputs:
  - {stream: lines, collect: all}
faults:
  - {at: 2500ms, crash: driver}
)") + " --json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["predicted_guarantee"], "at-most-once");
  EXPECT_EQ(json["verdict"], "at-most-once");
  EXPECT_EQ(json["receivers"][0]["records"], 119);
  ASSERT_EQ(json["findings"].size(), 1u) << json["findings"].dump(2);
  EXPECT_EQ(json["findings"][0]["text"],
            "loss at source lines: 35 records never in a batch (lines/0/89, lines/0/90, "
            "lines/0/91); first batch 3000 ms; nearest fault: crash driver at 2.500 s; "
            "prevention: use a reliable receiver or Kafka direct");
}

// NaN and infinities were collected as null and certified exactly-once: a non-finite literal is
// refused at load with its position, and an expression that makes one fails its task.
TEST(NoFalseExactlyOnceTest, ANonFiniteRecordLiteralIsRefusedAtLoad) {
  const Outcome run = Streamsim("run " + Scenario(R"(name: non-finite
stop: {batches: 1}
sources:
  q: {kind: queue, batches: [[1.5, .nan, .inf, -.inf]]}
outputs:
  - {stream: q, collect: all}
)"));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("/ANonFiniteRecordLiteralIsRefusedAtLoad.yaml:4:36: "
                         "record value .nan is not a finite number; records hold finite numbers "
                         "only (quote it for a string)"),
            std::string::npos)
      << run.out;
}

TEST(NoFalseExactlyOnceTest, AnExpressionMakingANonFiniteDoubleFailsItsBatch) {
  const Outcome run = Streamsim("run " + Scenario(R"(name: overflow
stop: {batches: 2}
sources:
  q: {kind: queue, batches: [[1.5], [1e308]]}
streams:
  big: {from: q, ops: [{map: "x * 10"}]}
outputs:
  - {stream: big, collect: all}
)") + " --json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["verdict"], "at-most-once");
  EXPECT_EQ(json["rethrown_error"]["batch_time_ms"], 2000);
  EXPECT_NE(json["rethrown_error"]["message"].get<std::string>().find(
                "user function failed: 1e+308 * 10 is not a finite number"),
            std::string::npos)
      << json.dump(2);
}

// --compare-faultless compared only tables and collects: a run whose print output lost records
// showed "0 differences". Every output kind is compared now.
TEST(NoFalseExactlyOnceTest, CompareFaultlessComparesPrintOutputs) {
  const Outcome run = Streamsim("run " + streamsim::testing::Library("socket-worker-crash.yaml") +
                                " -q --compare-faultless");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("faults-off twin: 3 differences\n"
                         "  print:errors at 6000 ms: 1 records only with faults (13), 1 only "
                         "without (23)\n"),
            std::string::npos)
      << run.out;
}

// A Flume pull channel with room for one event at 1,000 events/s dropped most events, and nothing
// said so. Now the drops are counted, shown, and lost; the calculator predicts it.
TEST(NoFalseExactlyOnceTest, EventsAFullFlumeChannelDroppedAreLoss) {
  const std::string file = Scenario(R"(name: flume-overflow
stop: {batches: 5}
streaming: {batch_interval: 1s}
cluster: {workers: 2, cores: 2}
sources:
  clicks: {kind: flume, mode: pull, rate: 1000/s, channel_capacity: 1, max_batch_size: 1}
outputs:
  - {stream: clicks, print: 3}
expect: {guarantee: exactly-once}
)");
  const Outcome run = Streamsim("run " + file + " -q");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("source clicks dropped 4563 records: its Flume channel (capacity 1) was "
                         "full\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("verdict: at-most-once\n  loss at source clicks: 4563 records dropped by "
                         "the source before Spark could take them (clicks/0/1, clicks/0/2, "
                         "clicks/0/3); first batch 2000 ms; prevention: give the Flume channel "
                         "room for a batch interval's events (channel_capacity at least 1000)\n"),
            std::string::npos)
      << run.out;
  const nlohmann::json json = nlohmann::json::parse(Streamsim("run " + file + " --json").out);
  EXPECT_EQ(json["dropped_by_sources"],
            nlohmann::json::parse(R"([{"source": "clicks", "records": 4563,
                                       "reason": "its Flume channel (capacity 1) was full"}])"));
  EXPECT_EQ(json["predicted_guarantee"], "at-most-once");
}

// Checkpoint writes refused for 20 s, then a driver crash: the recovered driver started from the
// checkpoint of 10 s and generated batches 11-29 s again, the first reading every offset since.
// The rows the first driver wrote for those batches are copies of records the recovered driver
// wrote at 11000 ms: duplication, not a state divergence of a pipeline without state; and the
// calculator predicts as much.
TEST(NoFalseExactlyOnceTest, RowsOfARerunWithOtherOffsetsAreDuplicatesNotDivergence) {
  const std::string file = Scenario(R"yaml(name: kafka-direct-refused-writes
stop: {after: 60s}
streaming: {batch_interval: 1s, checkpoint: {dir: checkpoints/app}, supervise: true}
cluster: {workers: 2, cores: 2}
sources:
  events: {kind: kafka, mode: direct, topic: events, partitions: 2, rate: 100/s}
streams:
  pairs: {from: events, ops: [{map: "(x, 1)"}]}
outputs:
  - {stream: pairs, sink: {kind: idempotent, table: pairs}}
faults:
  - {at: 10s, storage: refuse_writes, for: 20s}
  - {at: 30s, crash: driver, restart_after: 8s}
)yaml");
  const nlohmann::json json = nlohmann::json::parse(Streamsim("run " + file + " --json").out);
  EXPECT_EQ(json["verdict"], "at-least-once");
  EXPECT_EQ(json["predicted_guarantee"], "at-least-once");
  ASSERT_EQ(json["findings"].size(), 2u) << json["findings"].dump();
  EXPECT_EQ(json["findings"][0]["check"], "acknowledged-once");
  EXPECT_EQ(json["findings"][0]["problem"], "duplication");
  EXPECT_EQ(json["findings"][0]["count"], 1900);
  EXPECT_EQ(json["findings"][1]["check"], "sink-vs-oracle");
  EXPECT_EQ(json["findings"][1]["problem"], "duplication");
  EXPECT_EQ(json["findings"][1]["subject"], "sink:pairs");
  EXPECT_EQ(json["findings"][1]["count"], 1900);
  EXPECT_EQ(json["findings"][1]["batch_time_ms"], 11000);
  const Outcome guarantees = Streamsim("guarantees " + file);
  EXPECT_NE(guarantees.out.find("\ndriver_crash and refuse_writes at-least-once  a driver that "
                                "crashes after checkpoint writes were refused"),
            std::string::npos)
      << guarantees.out;
}

}  // namespace
