// The run report renders a RunResult exactly as `streamsim run` prints it.
#include "reports/run_report.h"

#include <gtest/gtest.h>

namespace streamsim::reports {
namespace {

engine::BatchInfo Batch(int driver_life, int64_t batch_ms, int64_t records, bool completed) {
  engine::BatchInfo batch;
  batch.driver_life = driver_life;
  batch.batch_time = sim::Instant{batch_ms * 1000};
  batch.input_records = records;
  batch.submission_time = batch.batch_time + sim::Duration::Millis(2);
  if (completed) {
    batch.processing_start = batch.batch_time + sim::Duration::Millis(5);
    batch.processing_end = batch.batch_time + sim::Duration::Millis(45);
  }
  return batch;
}

// Scheduling delay is processing start minus submission (2 ms after the batch time, processing
// from 5 ms to 45 ms): 3 ms; processing time 40 ms; total delay 45 ms.
TEST(RunReportTest, TheBatchTableHasADriverColumnOnlyOnceADriverRestarted) {
  EXPECT_EQ(
      FormatBatchTable({Batch(1, 1000, 12, true), Batch(1, 2000, 3, false)}),
      "    batch time  input records  scheduling delay  processing time  total delay  status\n"
      "       1000 ms             12              3 ms            40 ms        45 ms  completed\n"
      "       2000 ms              3                 -                -            -  queued\n");
  engine::BatchInfo recovered = Batch(2, 3000, 0, true);
  recovered.recovered = true;
  EXPECT_EQ(
      FormatBatchTable({recovered}),
      "driver      batch time  input records  scheduling delay  processing time  total delay"
      "  status\n"
      "     2         3000 ms              0              3 ms            40 ms        45 ms  "
      "completed (recovered)\n");
}

TEST(RunReportTest, TheReceiverTableIsEmptyWithoutReceivers) {
  EXPECT_EQ(FormatReceiverTable({}), "");
  EXPECT_EQ(FormatReceiverTable({{"lines", "active", "executor-0", 120, 5, ""}}),
            "receiver          state     executor      records   blocks  last error\n"
            "lines             active    executor-0        120        5  -\n");
}

TEST(RunReportTest, TheTextEndsWithTheVerdictAndTheSeedAndFingerprint) {
  harness::RunResult result;
  result.seed = 7;
  result.fingerprint = "0123456789abcdef";
  result.stop_reason = "stopped after 1 batches";
  result.batches = {Batch(1, 1000, 12, true)};
  result.check.report.emplace();  // checked: exactly-once, no findings
  EXPECT_EQ(
      FormatRunText(result, /*quiet=*/true),
      "    batch time  input records  scheduling delay  processing time  total delay  status\n"
      "       1000 ms             12              3 ms            40 ms        45 ms  completed\n"
      "\nstopped after 1 batches\n"
      "\nverdict: exactly-once\n"
      "seed: 7 fingerprint: 0123456789abcdef\n");
}

TEST(RunReportTest, TheJsonNamesTheSinkDatabaseOnlyWhenItIsKept) {
  harness::RunResult result;
  result.scenario_name = "s";
  result.seed = 3;
  result.fingerprint = "00000000000000ff";
  result.check.report.emplace();
  nlohmann::json json = RunToJson(result);
  EXPECT_EQ(json["scenario"], "s");
  EXPECT_EQ(json["seed"], 3);
  EXPECT_EQ(json["fingerprint"], "00000000000000ff");
  EXPECT_EQ(json["verdict"], "exactly-once");
  EXPECT_EQ(json["checked"], true);
  EXPECT_EQ(json["batches"].size(), 0u);
  EXPECT_FALSE(json.contains("sink_database"));
  result.kept_sink_database = "out/sinks.sqlite";
  EXPECT_EQ(RunToJson(result)["sink_database"], "out/sinks.sqlite");
}

// The table keeps the newest batches (spark.streaming.ui.retainedBatches); the report says how many
// it left out and keeps its totals over every batch (before, it dropped them without a word).
TEST(RunReportTest, BatchesLeftOutOfTheTableAreCountedAndInTheTotals) {
  harness::RunResult result;
  result.seed = 7;
  result.fingerprint = "0123456789abcdef";
  result.stop_reason = "stopped after 1 batches";
  result.batches = {Batch(1, 1000, 12, true)};
  result.batches_left_out = {.batches = 3, .completed = 2, .failed = 1, .input_records = 30};
  result.check.report.emplace();
  EXPECT_EQ(
      FormatRunText(result, /*quiet=*/true),
      "    batch time  input records  scheduling delay  processing time  total delay  status\n"
      "       1000 ms             12              3 ms            40 ms        45 ms  completed\n"
      "(the last 1 batches out of 4; in all 3 completed, 1 failed, 42 input records)\n"
      "\nstopped after 1 batches\n"
      "\nverdict: exactly-once\n"
      "seed: 7 fingerprint: 0123456789abcdef\n");
  const nlohmann::json json = RunToJson(result);
  EXPECT_EQ(json["batches_left_out"], nlohmann::json::parse(R"({"batches": 3, "completed": 2,
                                      "failed": 1, "input_records": 30})"));
  EXPECT_EQ(json["batch_totals"], nlohmann::json::parse(R"({"batches": 4, "completed": 3,
                                  "failed": 1, "input_records": 42})"));
}

// `streamsim run --no-check`: the report says where the verdict would be that there is none, and
// an expectation that was not evaluated; the JSON keeps every key, null where nothing was checked.
harness::RunResult UncheckedRun() {
  harness::RunResult result;
  result.seed = 7;
  result.fingerprint = "0123456789abcdef";
  result.stop_reason = "stopped after 1 batches";
  result.batches = {Batch(1, 1000, 12, true)};
  result.check.prediction.guarantee = checker::Guarantee::kAtLeastOnce;
  return result;
}

TEST(RunReportTest, AnUncheckedRunSaysSoWhereTheVerdictIs) {
  harness::RunResult result = UncheckedRun();
  EXPECT_EQ(
      FormatRunText(result, /*quiet=*/true),
      "    batch time  input records  scheduling delay  processing time  total delay  status\n"
      "       1000 ms             12              3 ms            40 ms        45 ms  completed\n"
      "\nstopped after 1 batches\n"
      "\nverdict: not checked (--no-check)\n"
      "seed: 7 fingerprint: 0123456789abcdef\n");
  result.check.expected = checker::Guarantee::kExactlyOnce;
  const std::string text = FormatRunText(result, /*quiet=*/true);
  EXPECT_NE(text.find("\nverdict: not checked (--no-check)\n"
                      "expected: exactly-once (not evaluated: the run was not checked)\n"
                      "seed: 7 "),
            std::string::npos)
      << text;
}

TEST(RunReportTest, TheJsonOfAnUncheckedRunHasNullVerdictAndFindings) {
  harness::RunResult result = UncheckedRun();
  nlohmann::json json = RunToJson(result);
  EXPECT_EQ(json["checked"], false);
  ASSERT_TRUE(json.contains("verdict"));
  EXPECT_TRUE(json["verdict"].is_null());
  ASSERT_TRUE(json.contains("findings"));
  EXPECT_TRUE(json["findings"].is_null());
  EXPECT_EQ(json["predicted_guarantee"], "at-least-once");
  EXPECT_TRUE(json["rethrown_error"].is_null());
  EXPECT_EQ(json["fingerprint"], "0123456789abcdef");
  EXPECT_FALSE(json.contains("expected_guarantee"));
  result.check.expected = checker::Guarantee::kExactlyOnce;
  json = RunToJson(result);
  EXPECT_EQ(json["expected_guarantee"], "exactly-once");
  ASSERT_TRUE(json.contains("expectation_met"));
  EXPECT_TRUE(json["expectation_met"].is_null());
}

}  // namespace
}  // namespace streamsim::reports
