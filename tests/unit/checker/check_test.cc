// The checker catches what it exists for: each test breaks one thing in a run built by hand (a
// sink row deleted or duplicated, a record dropped from the batch ledger or given twice, state
// corrupted after a recovery, batches never run) and asserts the exact findings and verdict; the
// clean run beside them shows that the same checks stay quiet when nothing is broken.
#include "checker/check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/checker/check_test_support.h"

namespace streamsim::checker {
namespace {

using testing::Facts;
using testing::Lines;
using testing::Ms;
using testing::Pair;
using testing::RunBuilder;
using testing::SinkFile;
using Strings = std::vector<std::string>;

// The standard run (check_test_support.h) with four outputs: "counts_out" appends counts,
// "totals_out" upserts totals, "events_out" collects the source and "shown" prints counts.
class CheckSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    run_.StandardRecords();
    run_.StandardBatches();
    const std::vector<std::pair<int64_t, records::Values>> events = {
        {1000, {Pair("a", 1), Pair("b", 2)}},
        {2000, {Pair("a", 3), Pair("a", 4)}},
        {3000, {Pair("b", 5)}}};
    for (const auto& [t, records] : events) {
      run_.Emit("events_out", 1, t, records);
      run_.Emit("shown", 1, t);
    }
    sink_.Append("counts_out", "counts", 1000, {Pair("a", 1), Pair("b", 2)});
    sink_.Append("counts_out", "counts", 2000, {Pair("a", 7)});
    sink_.Append("counts_out", "counts", 3000, {Pair("b", 5)});
    sink_.Upsert("totals_out", "totals", 1000, {Pair("a", 1), Pair("b", 2)});
    sink_.Upsert("totals_out", "totals", 2000, {Pair("a", 8), Pair("b", 2)});
    sink_.Upsert("totals_out", "totals", 3000, {Pair("a", 8), Pair("b", 7)});
  }

  RunFacts SinkFacts() {
    RunFacts facts = Facts(run_.ledger());
    facts.sink_database = sink_.path();
    facts.outputs = {{"counts_out", "counts", SinkKind::kAppend, "counts"},
                     {"totals_out", "totals", SinkKind::kIdempotent, "totals"},
                     {"events_out", "events", SinkKind::kCollect, ""},
                     {"shown", "counts", SinkKind::kPrint, ""}};
    return facts;
  }

  RunBuilder run_;
  SinkFile sink_;
};

TEST_F(CheckSinkTest, CleanRunIsExactlyOnceWithoutFindings) {
  const CheckReport report = CheckRun(SinkFacts());
  EXPECT_EQ(report.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(report), Strings{});
}

TEST_F(CheckSinkTest, DeletedSinkRowIsLossAtItsBatch) {
  sink_.Exec("DELETE FROM counts WHERE batch_time_ms = 2000");
  const CheckReport report = CheckRun(SinkFacts());
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report),
            Strings{"loss at output counts_out: 1 record missing from 1 batch of table counts "
                    "((a,7)); first batch 2000 ms"});
  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& finding = report.findings[0];
  EXPECT_EQ(finding.check, "sink-vs-oracle");
  EXPECT_EQ(finding.problem, "loss");
  EXPECT_EQ(finding.subject, "counts_out");
  EXPECT_EQ(finding.batch_time, Ms(2000));
  EXPECT_EQ(finding.count, 1);
}

TEST_F(CheckSinkTest, DuplicatedSinkRowIsDuplication) {
  sink_.Exec(
      "INSERT INTO counts SELECT output, batch_time_ms, partition, attempt + 1, position, record "
      "FROM counts WHERE batch_time_ms = 3000");
  const CheckReport report = CheckRun(SinkFacts());
  EXPECT_EQ(report.verdict, Verdict::kAtLeastOnce);
  EXPECT_EQ(Lines(report),
            Strings{"duplication at output counts_out: 1 extra copy of records in 1 batch of "
                    "table counts ((b,5)); first batch 3000 ms; prevention: make the sink "
                    "idempotent or transactional"});
}

TEST(CheckTest, RecordDroppedFromTheBatchLedgerIsLossNamingIt) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2});  // events/0/3 dropped
  run.Batch(1, 3000, {4});
  const CheckReport report = CheckRun(Facts(run.ledger()));
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  // Delivered at 1.6 s, it was due at the latest in the batch one interval later, 3000 ms.
  EXPECT_EQ(Lines(report), Strings{"loss at source events: 1 record never in a batch "
                                   "(events/0/3); first batch 3000 ms"});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].check, "acknowledged-once");
  EXPECT_EQ(report.findings[0].examples, Strings{"events/0/3"});
}

TEST(CheckTest, RecordInTwoBatchesIsDuplicationNamingIt) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3});
  run.Batch(1, 3000, {4, 2});
  const CheckReport report = CheckRun(Facts(run.ledger()));
  EXPECT_EQ(report.verdict, Verdict::kAtLeastOnce);
  EXPECT_EQ(Lines(report), Strings{"duplication at source events: 1 record in more than one "
                                   "batch (events/0/2); first batch 3000 ms"});
}

TEST(CheckTest, LossAndDuplicationTogether) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2});
  run.Batch(1, 3000, {4, 2});
  const CheckReport report = CheckRun(Facts(run.ledger()));
  EXPECT_EQ(report.verdict, Verdict::kLossAndDuplication);
  EXPECT_EQ(Lines(report),
            (Strings{"loss at source events: 1 record never in a batch (events/0/3); first batch "
                     "3000 ms",
                     "duplication at source events: 1 record in more than one batch "
                     "(events/0/2); first batch 3000 ms"}));
}

// Life 1 ran 1000 and 2000 ms and crashed at 2.5 s; life 2 recovered from the checkpoint of
// 2000 ms and ran 2000 ms again and 3000 ms (without `recovered`: life 1 ran all three).
// `totals_3000` is what the idempotent sink holds for 3000 ms.
CheckReport RecoveredRun(const records::Values& totals_3000, bool recovered, SinkFile* sink) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3});
  if (recovered) {
    run.ledger().DriverStarted(2, Ms(3500));
    run.Batch(2, 2000, {2, 3}, true);
  }
  run.Batch(recovered ? 2 : 1, 3000, {4}, recovered);
  sink->Upsert("totals_out", "totals", 1000, {Pair("a", 1), Pair("b", 2)});
  sink->Upsert("totals_out", "totals", 2000, {Pair("a", 8), Pair("b", 2)});
  sink->Upsert("totals_out", "totals", 3000, totals_3000);
  RunFacts facts = Facts(run.ledger());
  facts.sink_database = sink->path();
  facts.outputs = {{"totals_out", "totals", SinkKind::kIdempotent, "totals"}};
  facts.faults = {{Ms(2500), faults::FaultKind::kDriverCrash, "driver crash (restart after 1 s)"}};
  return CheckRun(facts);
}

TEST(CheckTest, CorruptedStateAfterARecoveryIsStateDivergence) {
  SinkFile sink;
  const CheckReport report = RecoveredRun({Pair("a", 8), Pair("b", 70)}, true, &sink);
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  EXPECT_EQ(Lines(report),
            Strings{"state divergence at stream totals: 1 record in 1 batch not matching the "
                    "oracle's state after the driver recovery (driver restarted at 3.500 s, "
                    "re-running batches from 2000 ms) ((b,70)); first batch 3000 ms; nearest "
                    "fault: driver crash (restart after 1 s) at 2.500 s"});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].check, "state");
  EXPECT_EQ(report.findings[0].problem, "divergence");
}

TEST(CheckTest, TheSameCorruptionWithoutARecoveryIsASinkDivergence) {
  SinkFile sink;
  const CheckReport report = RecoveredRun({Pair("a", 8), Pair("b", 70)}, false, &sink);
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  EXPECT_EQ(Lines(report),
            Strings{"divergence at output totals_out: 1 record in 1 batch of table totals not "
                    "matching the oracle ((b,70)); first batch 3000 ms; nearest fault: driver "
                    "crash (restart after 1 s) at 2.500 s"});
}

TEST(CheckTest, RecoveredStateEqualToTheOraclesIsExactlyOnce) {
  SinkFile sink;
  const CheckReport report = RecoveredRun({Pair("a", 8), Pair("b", 7)}, true, &sink);
  EXPECT_EQ(report.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(report), Strings{});
}

// The driver crashed and nothing restarted it: the batches it owed never ran, and the records
// handed to it before the crash are lost — not a tail the stop cut (before, events/0/4 was exempt
// and the run ended with a liveness failure only).
TEST(CheckTest, WithTheApplicationDownMissingBatchesAreLivenessAndItsRecordsLost) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3});
  RunFacts facts = Facts(run.ledger(), 6000);
  facts.faults = {{Ms(2500), faults::FaultKind::kDriverCrash, "driver crash"}};
  facts.application_down_at_end = true;
  facts.configuration.supervise = false;
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  // Batches up to end - interval = 5000 ms were owed; events/0/4 (delivered at 2.4 s) is lost.
  EXPECT_EQ(Lines(report),
            (Strings{"loss at source events: 1 record never in a batch (events/0/4); first batch "
                     "4000 ms; nearest fault: driver crash at 2.500 s",
                     "liveness: 3 batches 3000 ms to 5000 ms never finished: application down; "
                     "first batch 3000 ms; nearest fault: driver crash at 2.500 s; prevention: "
                     "supervise the driver (--supervise)"}));
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[1].count, 3);
}

// The standard run plus events/0/5, delivered at `delivered_ms` and never allocated.
CheckReport WithUnallocatedRecord(int64_t delivered_ms, bool graceful) {
  RunBuilder run;
  run.StandardRecords();
  run.Record(5, Pair("c", 6), delivered_ms);
  run.StandardBatches();
  RunFacts facts = Facts(run.ledger());
  facts.graceful_stop = graceful;
  return CheckRun(facts);
}

TEST(CheckTest, TailRuleExcludesTheLastIntervalUnlessTheStopWasGraceful) {
  // The last batch is 3000 ms: records delivered after 2000 ms may still be in a block.
  const CheckReport cut = WithUnallocatedRecord(2600, false);
  EXPECT_EQ(cut.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(cut), Strings{});

  const CheckReport graceful = WithUnallocatedRecord(2600, true);
  EXPECT_EQ(graceful.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(graceful), Strings{"loss at source events: 1 record never in a batch "
                                     "(events/0/5); first batch 4000 ms"});

  const CheckReport before_tail = WithUnallocatedRecord(1900, false);
  EXPECT_EQ(before_tail.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(before_tail), Strings{"loss at source events: 1 record never in a batch "
                                        "(events/0/5); first batch 3000 ms"});
}

}  // namespace
}  // namespace streamsim::checker
