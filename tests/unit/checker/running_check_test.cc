// The check as the run goes (checker/running_check.h): batches that nothing can change settle —
// the ledger lets go of them and of their records — and the final check, carrying on from them,
// says what checking the whole run at once says. Each case builds a run twice, checks one after
// the run and the other with a settling in the middle, and compares.
#include "checker/running_check.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/unit/checker/check_test_support.h"

namespace streamsim::checker::testing {
namespace {

using Build = std::function<void(RunBuilder&)>;

struct Checked {
  std::vector<std::string> lines;       // the final report's findings
  std::optional<sim::Instant> settled;  // the latest batch time settled
  size_t allocations_left = 0;          // in the ledger after the settling
  int64_t first_kept = 0;               // of events/0 after the settling
};

// `before` runs, the check settles at `settle_ms`, `after` runs, and the final check reports.
Checked CheckAsItGoes(const Build& before, int64_t settle_ms, const Build& after,
                      int64_t end_ms = 6000) {
  RunBuilder run;
  before(run);
  RunningCheck running(Facts(run.ledger(), end_ms), &run.ledger(), nullptr);
  running.Advance(Ms(settle_ms));
  Checked checked;
  checked.settled = running.settled().until;
  checked.allocations_left = run.ledger().allocations().size();
  const auto partition = run.ledger().partitions().find({0, 0});
  if (partition != run.ledger().partitions().end()) {
    checked.first_kept = partition->second.first_kept;
  }
  after(run);
  RunFacts facts = Facts(run.ledger(), end_ms);
  facts.settled = &running.settled();
  checked.lines = Lines(CheckRun(facts));
  return checked;
}

std::vector<std::string> CheckAfterTheRun(const Build& before, const Build& after,
                                          int64_t end_ms = 6000) {
  RunBuilder run;
  before(run);
  after(run);
  return Lines(CheckRun(Facts(run.ledger(), end_ms)));
}

void Standard(RunBuilder& run) {
  run.StandardRecords();
  run.StandardBatches();
  run.Finish(1, 4000);
}

TEST(RunningCheckTest, SettledBatchesAndTheirRecordsLeaveTheLedger) {
  const Checked checked = CheckAsItGoes(Standard, 4500, [](RunBuilder& run) {
    run.Record(5, Pair("a", 6), 4200);
    run.Batch(1, 5000, {5});
  });
  EXPECT_EQ(checked.settled, Ms(4000));
  EXPECT_EQ(checked.allocations_left, 0u);
  EXPECT_EQ(checked.first_kept, 5);  // every record given to a settled batch
  EXPECT_EQ(checked.lines, std::vector<std::string>{});
}

TEST(RunningCheckTest, ARecordGivenAgainAfterItsBatchSettledIsADuplication) {
  const Build again = [](RunBuilder& run) { run.Batch(1, 5000, {2}); };
  const Checked checked = CheckAsItGoes(Standard, 4500, again);
  EXPECT_EQ(checked.settled, Ms(4000));
  EXPECT_EQ(checked.lines, CheckAfterTheRun(Standard, again));
  ASSERT_EQ(checked.lines.size(), 1u);
  EXPECT_EQ(checked.lines[0].rfind("duplication at source events: 1 record in more than one batch "
                                   "(events/0/2); first batch 5000 ms",
                                   0),
            0u)
      << checked.lines[0];
}

TEST(RunningCheckTest, AFailedBatchSettlesAndIsStillReported) {
  const Build failed = [](RunBuilder& run) {
    run.StandardRecords();
    run.Batch(1, 1000, {0, 1});
    run.Allocate(1, 2000, {2, 3});
    run.Finish(1, 2000, "Job aborted: most recent failure: boom");
    run.Batch(1, 3000, {4});
    run.Finish(1, 4000);
  };
  const Build nothing = [](RunBuilder&) {};
  const Checked checked = CheckAsItGoes(failed, 4500, nothing, 5000);
  EXPECT_EQ(checked.settled, Ms(4000));
  EXPECT_EQ(checked.lines, CheckAfterTheRun(failed, nothing, 5000));
  ASSERT_FALSE(checked.lines.empty());
  EXPECT_NE(checked.lines.back().find("liveness: batch 2000 ms never finished: job failed: boom"),
            std::string::npos)
      << checked.lines.back();
}

TEST(RunningCheckTest, ABatchNotFinishedDoesNotSettleNorAnyAfterIt) {
  const Build open = [](RunBuilder& run) {
    run.StandardRecords();
    run.Batch(1, 1000, {0, 1});
    run.Allocate(1, 2000, {2, 3});
    run.Batch(1, 3000, {4});
  };
  const Build finish = [](RunBuilder& run) { run.Finish(1, 2000); };
  const Checked checked = CheckAsItGoes(open, 3500, finish);
  EXPECT_EQ(checked.settled, Ms(1000));
  EXPECT_EQ(checked.allocations_left, 2u);
  EXPECT_EQ(checked.first_kept, 2);
  EXPECT_EQ(checked.lines, CheckAfterTheRun(open, finish));
}

TEST(RunningCheckTest, ARecordTwiceInOneBatchStopsTheSettlingAndIsReportedAsAfterTheRun) {
  const Build twice = [](RunBuilder& run) {
    run.StandardRecords();
    run.Batch(1, 1000, {0, 1});
    run.Batch(1, 2000, {2, 3, 3});
    run.Batch(1, 3000, {4});
    run.Finish(1, 4000);
  };
  const Build nothing = [](RunBuilder&) {};
  const Checked checked = CheckAsItGoes(twice, 4500, nothing);
  EXPECT_EQ(checked.settled, Ms(1000));
  EXPECT_EQ(checked.lines, CheckAfterTheRun(twice, nothing));
  EXPECT_FALSE(checked.lines.empty());
}

TEST(RunningCheckTest, ALostRecordStaysInTheLedgerAndIsReportedLost) {
  const Build lost = [](RunBuilder& run) {
    run.StandardRecords();
    run.Record(5, Pair("c", 9), 2600);  // acknowledged, never in a batch
    run.Record(6, Pair("a", 1), 3300);
    run.Batch(1, 1000, {0, 1});
    run.Batch(1, 2000, {2, 3});
    run.Batch(1, 3000, {4});
    run.Batch(1, 4000, {6});
  };
  const Build nothing = [](RunBuilder&) {};
  const Checked checked = CheckAsItGoes(lost, 4500, nothing, 5000);
  EXPECT_EQ(checked.settled, Ms(4000));
  EXPECT_EQ(checked.first_kept, 7);
  EXPECT_EQ(checked.lines, CheckAfterTheRun(lost, nothing, 5000));
  ASSERT_EQ(checked.lines.size(), 1u);
  EXPECT_EQ(checked.lines[0].rfind("loss at source events: 1 record never in a batch (events/0/5); "
                                   "first batch 4000 ms",
                                   0),
            0u)
      << checked.lines[0];
}

}  // namespace
}  // namespace streamsim::checker::testing
