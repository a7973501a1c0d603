// Check 4, liveness: which batch times are owed (up to end - interval, or the last generated one
// after a graceful stop; a fresh driver does not owe the old grid's times), the reason each
// missing run of batches gets, and how consecutive missing batches are grouped.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/check.h"
#include "tests/unit/checker/check_test_support.h"

namespace streamsim::checker {
namespace {

using testing::Facts;
using testing::Lines;
using testing::Ms;
using testing::Pair;
using testing::RunBuilder;
using Strings = std::vector<std::string>;

TEST(CheckLivenessTest, BatchesUpToOneIntervalBeforeTheEndAreOwed) {
  RunBuilder run;
  run.StandardRecords();
  run.StandardBatches();
  run.Allocate(1, 4000, {});  // still running when the run ends at 5.5 s
  run.Allocate(1, 5000, {});  // generated half an interval before the end: not owed yet
  const CheckReport report = CheckRun(Facts(run.ledger(), 5500));
  EXPECT_EQ(report.verdict, Verdict::kLivenessFailure);
  EXPECT_EQ(Lines(report), Strings{"liveness: batch 4000 ms never finished: not finished; first "
                                   "batch 4000 ms"});
}

TEST(CheckLivenessTest, AFirstDriverThatCrashedBeforeItsFirstBatchStartsNoGrid) {
  // Life 1 started at 0 and crashed before its first batch; life 2 started afresh at 4.5 s, on
  // its own grid (5500, 6500, 7500 ms).
  RunBuilder run;
  for (int64_t t_ms : {5500, 6500, 7500}) run.Batch(2, t_ms, {});
  const CheckReport without_starts = CheckRun(Facts(run.ledger(), 8500));
  // Not knowing life 1, the checker takes life 2 for the first, on life 1's grid: every batch
  // of that grid looks missing. That is what the recorded start of life 1 prevents.
  EXPECT_EQ(Lines(without_starts), Strings{"liveness: 7 batches 1000 ms to 7000 ms never "
                                           "finished: not finished; first batch 1000 ms"});
  run.ledger().DriverStarted(1, Ms(0));
  run.ledger().DriverStarted(2, Ms(4500));
  const CheckReport report = CheckRun(Facts(run.ledger(), 8500));
  EXPECT_EQ(report.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(report), Strings{});
}

TEST(CheckLivenessTest, GracefulStopOwesEveryGeneratedBatchAndNoMore) {
  RunBuilder run;
  run.StandardRecords();
  run.StandardBatches();
  RunFacts facts = Facts(run.ledger(), 9000);
  facts.graceful_stop = true;
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{});
  facts.graceful_stop = false;
  EXPECT_EQ(Lines(CheckRun(facts)),
            Strings{"liveness: 5 batches 4000 ms to 8000 ms never finished: not finished; first "
                    "batch 4000 ms"});
}

TEST(CheckLivenessTest, BatchesAfterTheStopsLastBatchAreNotOwed) {
  RunBuilder run;
  run.StandardRecords();
  run.StandardBatches();
  run.Allocate(1, 4000, {});  // generated while 3000 ms, the stop's last batch, still ran
  run.Allocate(1, 5000, {});
  RunFacts facts = Facts(run.ledger(), 6200);
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{"liveness: 2 batches 4000 ms to 5000 ms never "
                                            "finished: not finished; first batch 4000 ms"});
  facts.last_batch_time = Ms(3000);
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{});
  facts.last_batch_time = Ms(4000);
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{"liveness: batch 4000 ms never finished: not "
                                            "finished; first batch 4000 ms"});
}

TEST(CheckLivenessTest, DriverDownUntilTheEndWithARestartPendingIsApplicationDown) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3});
  RunFacts facts = Facts(run.ledger(), 5000);
  facts.faults = {{Ms(2500), faults::FaultKind::kDriverCrash, "driver crash (restart after 10 s)"}};
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(Lines(report), Strings{"liveness: 2 batches 3000 ms to 4000 ms never finished: "
                                   "application down; first batch 3000 ms; nearest fault: "
                                   "driver crash (restart after 10 s) at 2.500 s"});
}

TEST(CheckLivenessTest, ReceiversTakingEveryCoreStarveTheBatches) {
  RunBuilder run;
  run.StandardRecords();
  run.Allocate(1, 1000, {0, 1});
  run.Allocate(1, 2000, {2, 3});
  run.Allocate(1, 3000, {4});
  RunFacts facts = Facts(run.ledger());
  facts.receiver_count = 2;
  facts.executor_core_count = 2;
  const std::string starved =
      "liveness: 3 batches 1000 ms to 3000 ms never finished: receivers starved of cores; first "
      "batch 1000 ms; prevention: give the executors more cores than the receivers take";
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{starved});
  // Without the counts: no batch ever finished while the receivers kept receiving.
  facts.receiver_count = 0;
  facts.executor_core_count = 0;
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{starved});
  // With cores to spare, the same batches are merely unfinished.
  facts.receiver_count = 1;
  facts.executor_core_count = 2;
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{"liveness: 3 batches 1000 ms to 3000 ms never "
                                            "finished: not finished; first batch 1000 ms"});
}

TEST(CheckLivenessTest, FewerThanThreeUnfinishedBatchesMayBeASlowStartNotStarvation) {
  RunBuilder run;
  run.StandardRecords();
  run.Allocate(1, 1000, {0, 1});
  run.Allocate(1, 2000, {2, 3});
  EXPECT_EQ(Lines(CheckRun(Facts(run.ledger(), 3000))),
            Strings{"liveness: 2 batches 1000 ms to 2000 ms never finished: not finished; first "
                    "batch 1000 ms"});
}

// One finding per cause, with its count: the batches of one cause are grouped wherever they are
// (before, a bad expression over 60 s gave 61 lines), and a job failure's cause is what Spark's
// message ends with, so that stage and task numbers do not split it.
TEST(CheckLivenessTest, MissingBatchesAreGroupedByCause) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Allocate(1, 2000, {2, 3});
  run.Finish(1, 2000, "Job aborted: Task 0 in stage 1.0 failed 4 times, most recent failure: boom");
  run.Allocate(1, 3000, {4});
  run.Finish(1, 3000, "Job aborted: Task 1 in stage 2.0 failed 4 times, most recent failure: boom");
  run.Allocate(1, 4000, {});
  run.Finish(1, 4000, "bang");
  run.Batch(1, 5000, {});
  run.Allocate(1, 6000, {});
  run.Finish(1, 6000, "bang");
  const CheckReport report = CheckRun(Facts(run.ledger(), 7000));
  EXPECT_EQ(Lines(report),
            (Strings{"liveness: 2 batches 2000 ms to 3000 ms never finished: job failed: boom; "
                     "first batch 2000 ms",
                     "liveness: 2 batches between 4000 ms and 6000 ms never finished: job failed: "
                     "bang; first batch 4000 ms"}));
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].count, 2);
  EXPECT_EQ(report.findings[1].count, 2);
}

TEST(CheckLivenessTest, RecoveredDriverRunsTheDownTimeBatches) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Allocate(1, 2000, {2, 3});  // running when the driver crashes at 2.5 s
  run.Batch(2, 2000, {2, 3}, true);
  run.Batch(2, 3000, {4}, true);
  run.Batch(2, 4000, {});
  RunFacts facts = Facts(run.ledger(), 5000);
  facts.faults = {{Ms(2500), faults::FaultKind::kDriverCrash, "driver crash (restart after 1 s)"}};
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{});
}

}  // namespace
}  // namespace streamsim::checker
