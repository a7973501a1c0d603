// Check 1, acknowledged-once: which records are expected (acknowledged; delivered, for sources
// where delivery is the acknowledgement; skipped gaps), which allocations count (finished
// batches, the last life's running ones; not batches a crash abandoned), unavailable data, and the
// advice each loss carries. Each test breaks the run one way and asserts the exact findings.
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

GuaranteeConfiguration SocketConfiguration() {
  GuaranteeConfiguration configuration;
  configuration.sources = {{"events", SourceKind::kSocket, true, false, false}};
  return configuration;
}

TEST(CheckRecordsTest, DeliveredRecordOfAnUnreliableReceiverIsExpected) {
  RunBuilder run;
  run.Record(0, Pair("a", 1), 200, false);
  run.Record(1, Pair("b", 2), 500, false);
  run.Batch(1, 1000, {0});
  run.Batch(1, 2000, {});
  run.Batch(1, 3000, {});
  RunFacts facts = Facts(run.ledger());
  facts.configuration = SocketConfiguration();
  facts.faults = {{Ms(700), faults::FaultKind::kReceiverCrash, "receiver crash"}};
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{"loss at source events: 1 record never in a batch "
                                   "(events/0/1); first batch 2000 ms; nearest fault: receiver "
                                   "crash at 0.700 s; prevention: use a reliable receiver or "
                                   "Kafka direct"});
}

TEST(CheckRecordsTest, ReliableReceiverAnswersOnlyForWhatItAcknowledged) {
  RunBuilder run;
  run.Record(0, Pair("a", 1), 200, false);  // not stored: the source still holds it
  run.Record(1, Pair("b", 2), 500, true);   // stored and acknowledged, then lost
  run.Batch(1, 1000, {});
  run.Batch(1, 2000, {});
  run.Batch(1, 3000, {});
  RunFacts facts = Facts(run.ledger());
  facts.configuration.write_ahead_log = false;
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(Lines(report),
            Strings{"loss at source events: 1 record never in a batch (events/0/1); first batch "
                    "2000 ms; prevention: enable the receiver write-ahead log "
                    "(spark.streaming.receiver.writeAheadLog.enable)"});
}

TEST(CheckRecordsTest, SkippedRecordBetweenDeliveredOnesIsLossButAnUnreadPrefixIsNot) {
  RunBuilder run;
  run.ProducedOnly(0, Pair("x", 0), 50);  // before the receiver connected: never read
  run.Record(1, Pair("a", 1), 200, false);
  run.ProducedOnly(2, Pair("b", 2), 300);  // the system read past it
  run.Record(3, Pair("c", 3), 600, false);
  run.ProducedOnly(4, Pair("d", 4), 900);  // after the last delivery: still at the source
  run.Batch(1, 1000, {1, 3});
  run.Batch(1, 2000, {});
  run.Batch(1, 3000, {});
  RunFacts facts = Facts(run.ledger());
  facts.configuration = SocketConfiguration();
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(Lines(report), Strings{"loss at source events: 1 record never in a batch "
                                   "(events/0/2); first batch 2000 ms; prevention: use a "
                                   "reliable receiver or Kafka direct"});
}

TEST(CheckRecordsTest, RecordTwiceInOneBatchIsDuplication) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3, 3});
  run.Batch(1, 3000, {4});
  const CheckReport report = CheckRun(Facts(run.ledger()));
  EXPECT_EQ(Lines(report), Strings{"duplication at source events: 1 record in more than one "
                                   "batch (events/0/3); first batch 2000 ms"});
}

// Two input streams reading one topic (two consumers): each is given every record once, which is
// no duplication; one of them given a record in two batches is.
void AllocateToMirror(RunBuilder& run, int64_t t_ms, ledger::RecordIds ids) {
  run.ledger().Allocated(ledger::BatchAllocation{
      .driver_life = 1, .batch_time = Ms(t_ms), .input = "mirror", .records = std::move(ids)});
}

TEST(CheckRecordsTest, TwoInputsGivenTheSameRecordsOnceEachAreExactlyOnce) {
  RunBuilder run;
  run.StandardRecords();
  run.StandardBatches();
  AllocateToMirror(run, 1000, {ledger::RecordId{0, 0, 0}, ledger::RecordId{0, 0, 1}});
  AllocateToMirror(run, 2000, {ledger::RecordId{0, 0, 2}, ledger::RecordId{0, 0, 3}});
  AllocateToMirror(run, 3000, {ledger::RecordId{0, 0, 4}});
  const CheckReport report = CheckRun(Facts(run.ledger()));
  EXPECT_EQ(report.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(report), Strings{});
}

TEST(CheckRecordsTest, OneOfTwoInputsGivenARecordTwiceIsDuplication) {
  RunBuilder run;
  run.StandardRecords();
  run.StandardBatches();
  AllocateToMirror(run, 2000, {ledger::RecordId{0, 0, 3}});
  AllocateToMirror(run, 3000, {ledger::RecordId{0, 0, 3}});
  const CheckReport report = CheckRun(Facts(run.ledger()));
  EXPECT_EQ(report.verdict, Verdict::kAtLeastOnce);
  EXPECT_EQ(Lines(report), Strings{"duplication at source events: 1 record in more than one "
                                   "batch (events/0/3); first batch 3000 ms"});
}

TEST(CheckRecordsTest, UnavailableRecordsOfABatchThatRanAreLossWithoutExamples) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Allocate(1, 2000, {2, 3}, false, 1);
  run.Finish(1, 2000);
  run.Batch(1, 3000, {4});
  RunFacts facts = Facts(run.ledger());
  facts.faults = {{Ms(1800), faults::FaultKind::kWorkerCrash, "worker crash"}};
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{"loss at input events: 1 record unavailable when their batch "
                                   "ran in 1 batch (their blocks were lost); first batch 2000 "
                                   "ms; nearest fault: worker crash at 1.800 s"});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].examples, Strings{});
}

// Life 1 ran 2000 ms whole; life 2, restarted from the checkpoint, reran it without the blocks of
// events/0/3 and failed: what it wrote may be in the sinks, which check 2 then does not compare.
TEST(CheckRecordsTest, UnavailableRecordsOfAnyLifeAtABatchThatRanAreLoss) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3});
  run.Allocate(2, 2000, {2, 3}, true, 1);
  run.Finish(2, 2000, "task failed 4 times");
  run.Batch(2, 3000, {4}, true);
  RunFacts facts = Facts(run.ledger());
  facts.configuration = SocketConfiguration();
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{"loss at input events: 1 record unavailable when their batch "
                                   "ran in 1 batch (their blocks were lost); first batch 2000 "
                                   "ms; prevention: use a reliable receiver or Kafka direct"});
}

TEST(CheckRecordsTest, BatchAbandonedByACrashAndAFreshDriverLosesItsRecords) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3});
  run.Allocate(1, 3000, {4});  // the driver crashes at 3.5 s while the batch runs
  run.Record(5, Pair("c", 6), 4800);
  run.Batch(2, 5500, {5});  // a fresh driver, started at 4.5 s without a checkpoint
  RunFacts facts = Facts(run.ledger(), 7000);
  facts.faults = {{Ms(3500), faults::FaultKind::kDriverCrash, "driver crash (restart after 1 s)"}};
  facts.configuration.checkpoint = false;
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report),
            (Strings{"loss at source events: 1 record never in a batch (events/0/4); first batch "
                     "4000 ms; nearest fault: driver crash (restart after 1 s) at 3.500 s; "
                     "prevention: set a checkpoint directory",
                     "liveness: batch 3000 ms never finished: the driver crashed and the next "
                     "driver did not run it; first batch 3000 ms; prevention: set a checkpoint "
                     "directory"}));
}

TEST(CheckRecordsTest, BatchOfADriverDownAtTheEndNeverRanItsRecords) {
  RunBuilder run;
  run.StandardRecords();
  run.Record(5, Pair("c", 6), 1900);
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3});
  run.Allocate(1, 3000, {5, 4});  // the driver crashes at 3.5 s and stays down
  RunFacts facts = Facts(run.ledger(), 5000);
  facts.faults = {{Ms(3500), faults::FaultKind::kDriverCrash, "driver crash"}};
  facts.application_down_at_end = true;
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  // The application is down: no tail is exempt, every record handed to it before the crash is owed.
  EXPECT_EQ(Lines(report),
            (Strings{"loss at source events: 2 records never in a batch (events/0/4, events/0/5); "
                     "first batch 3000 ms",
                     "liveness: 2 batches 3000 ms to 4000 ms never finished: application down; "
                     "first batch 3000 ms"}));
}

TEST(CheckRecordsTest, FailedBatchGaveItsRecordsOnce) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Allocate(1, 2000, {2, 3});
  run.Finish(1, 2000, "EvalError: boom");
  run.Batch(1, 3000, {4});
  const CheckReport report = CheckRun(Facts(run.ledger()));
  EXPECT_EQ(report.verdict, Verdict::kLivenessFailure);
  EXPECT_EQ(Lines(report), Strings{"liveness: batch 2000 ms never finished: job failed: "
                                   "EvalError: boom; first batch 2000 ms"});
}

TEST(CheckRecordsTest, AllocatedRecordNoSourceProducedIsDivergence) {
  RunBuilder run;
  run.StandardRecords();
  run.Batch(1, 1000, {0, 1});
  run.Batch(1, 2000, {2, 3, 9});
  run.Batch(1, 3000, {4});
  const CheckReport report = CheckRun(Facts(run.ledger()));
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  EXPECT_EQ(Lines(report), Strings{"divergence at source events: 1 allocated record no source "
                                   "produced (events/0/9); first batch 2000 ms"});
}

}  // namespace
}  // namespace streamsim::checker
