// Checks 2 and 3 per kind of output: idempotent tables compared as maps by key, transactional
// and append tables and collects as multisets, print and saveAsTextFiles by their emissions;
// which batches are compared (finished successfully; for duplication only where some life's input
// was unavailable), rows of batches no driver generated, an unreadable sink, a batch the oracle
// fails, and a fresh driver whose state starts empty. The standard run is the one of
// check_test_support.h.
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
using testing::Op;
using testing::Pair;
using testing::RunBuilder;
using testing::SinkFile;
using Strings = std::vector<std::string>;

class CheckOutputsTest : public ::testing::Test {
 protected:
  void Standard() {
    run_.StandardRecords();
    run_.StandardBatches();
  }
  // The events of each standard batch, as a collect of the source returns them.
  void CollectEvents(const std::string& output) {
    run_.Emit(output, 1, 1000, {Pair("a", 1), Pair("b", 2)});
    run_.Emit(output, 1, 2000, {Pair("a", 3), Pair("a", 4)});
    run_.Emit(output, 1, 3000, {Pair("b", 5)});
  }
  // The standard run whose last batch, 3000 ms, fails.
  void LastBatchFails() {
    run_.StandardRecords();
    run_.Batch(1, 1000, {0, 1});
    run_.Batch(1, 2000, {2, 3});
    run_.Allocate(1, 3000, {4});
    run_.Finish(1, 3000, "task failed 4 times");
  }
  CheckReport Check(std::vector<OutputUnderCheck> outputs) {
    RunFacts facts = Facts(run_.ledger());
    facts.sink_database = sink_.path();
    facts.outputs = std::move(outputs);
    return CheckRun(facts);
  }

  RunBuilder run_;
  SinkFile sink_;
};

TEST_F(CheckOutputsTest, IdempotentTableMissingAKeyIsLossOfThatKey) {
  Standard();
  sink_.Upsert("totals_out", "totals", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Upsert("totals_out", "totals", 2000, {Pair("a", 8), Pair("b", 2)});
  sink_.Upsert("totals_out", "totals", 3000, {Pair("a", 8), Pair("b", 7)});
  sink_.Exec("DELETE FROM totals WHERE batch_time_ms = 2000 AND key = '\"a\"'");
  const CheckReport report = Check({{"totals_out", "totals", SinkKind::kIdempotent, "totals"}});
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{"loss at output totals_out: 1 record missing from 1 batch of "
                                   "table totals (a); first batch 2000 ms"});
}

TEST_F(CheckOutputsTest, IdempotentReplayOverwritingTheSameKeysIsNotADuplicate) {
  Standard();
  sink_.Upsert("counts_out", "counts", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Upsert("counts_out", "counts", 2000, {Pair("a", 7)});
  sink_.Upsert("counts_out", "counts", 2000, {Pair("a", 7)}, 1);  // a retried task
  sink_.Upsert("counts_out", "counts", 3000, {Pair("b", 5)});
  const CheckReport report = Check({{"counts_out", "counts", SinkKind::kIdempotent, "counts"}});
  EXPECT_EQ(report.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(report), Strings{});
}

TEST_F(CheckOutputsTest, TransactionalRowsComparedAsMultisets) {
  Standard();
  sink_.Transact("events_out", "events", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Transact("events_out", "events", 2000, {Pair("a", 3), Pair("a", 4)});
  sink_.Transact("events_out", "events", 2000, {Pair("a", 3)}, 1);  // skipped: committed
  sink_.Transact("events_out", "events", 3000, {Pair("b", 5)});
  EXPECT_EQ(Lines(Check({{"events_out", "events", SinkKind::kTransactional, "events"}})),
            Strings{});
  sink_.Exec("UPDATE events SET record = '[\"a\",30]' WHERE batch_time_ms = 2000 AND position = 0");
  const CheckReport report = Check({{"events_out", "events", SinkKind::kTransactional, "events"}});
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  // The corrupted row stands in for the record it replaced: one divergence, no loss.
  EXPECT_EQ(Lines(report),
            Strings{"divergence at output events_out: 1 record in 1 batch of table events not "
                    "matching the oracle ((a,30)); first batch 2000 ms"});
}

TEST_F(CheckOutputsTest, CollectEmittedTwiceIsDuplicationOfItsRecords) {
  Standard();
  CollectEvents("events_out");
  run_.Emit("events_out", 2, 2000, {Pair("a", 3), Pair("a", 4)});
  const CheckReport report = Check({{"events_out", "events", SinkKind::kCollect, ""}});
  EXPECT_EQ(report.verdict, Verdict::kAtLeastOnce);
  EXPECT_EQ(Lines(report), Strings{"duplication at output events_out: 2 extra copies of records "
                                   "in 1 batch ((a,3), (a,4)); first batch 2000 ms; prevention: "
                                   "make the sink idempotent or transactional"});
}

// The driver crashed at 2.5 s, after batch 2000 was emitted once; the restarted driver emitted it
// again at 4.2 s. The fault before the repeat is the one to name, though it follows the batch.
TEST_F(CheckOutputsTest, ARepeatEmittedAfterALaterCrashNamesThatCrash) {
  Standard();
  CollectEvents("events_out");
  run_.Emit("events_out", 2, 2000, {Pair("a", 3), Pair("a", 4)}, 4200);
  RunFacts facts = Facts(run_.ledger());
  facts.outputs = {{"events_out", "events", SinkKind::kCollect, ""}};
  facts.faults = {{Ms(2500), faults::FaultKind::kDriverCrash, "crash driver, restart after 1s"}};
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtLeastOnce);
  EXPECT_EQ(Lines(report), Strings{"duplication at output events_out: 2 extra copies of records "
                                   "in 1 batch ((a,3), (a,4)); first batch 2000 ms; nearest "
                                   "fault: crash driver, restart after 1s at 2.500 s; prevention: "
                                   "make the sink idempotent or transactional"});
}

TEST_F(CheckOutputsTest, CollectMissingRecordsOrABatchIsLoss) {
  Standard();
  run_.Emit("events_out", 1, 1000, {Pair("a", 1)});
  run_.Emit("events_out", 1, 3000, {Pair("b", 5)});
  const CheckReport report = Check({{"events_out", "events", SinkKind::kCollect, ""}});
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{"loss at output events_out: 3 records missing from 2 batches "
                                   "((b,2), (a,3), (a,4)); first batch 1000 ms"});
}

TEST_F(CheckOutputsTest, EmptyCollectEmittedAgainDuplicatesNothing) {
  run_.Batch(1, 1000, {});
  run_.Batch(1, 2000, {});
  run_.Batch(1, 3000, {});
  for (int64_t t : {1000, 2000, 3000}) run_.Emit("events_out", 1, t);
  run_.Emit("events_out", 2, 3000);
  EXPECT_EQ(Lines(Check({{"events_out", "events", SinkKind::kCollect, ""}})), Strings{});
}

TEST_F(CheckOutputsTest, PrintEmittedTwiceOrNeverIsDuplicationOrLoss) {
  Standard();
  run_.Emit("shown", 1, 1000);
  run_.Emit("shown", 1, 3000);
  run_.Emit("shown", 2, 3000);
  const CheckReport report = Check({{"shown", "counts", SinkKind::kPrint, ""}});
  EXPECT_EQ(report.verdict, Verdict::kLossAndDuplication);
  EXPECT_EQ(Lines(report),
            (Strings{"loss at output shown: 1 record in 1 batch never emitted ((a,7)); first "
                     "batch 2000 ms",
                     "duplication at output shown: 1 extra emission in 1 batch; first batch 3000 "
                     "ms; prevention: make the sink idempotent or transactional"}));
}

TEST_F(CheckOutputsTest, SaveAsTextFilesTwiceIsIdempotentButMissingIsLoss) {
  Standard();
  run_.Emit("files", 1, 1000);
  run_.Emit("files", 1, 2000);
  run_.Emit("files", 2, 2000);
  const CheckReport report = Check({{"files", "counts", SinkKind::kSaveAsTextFiles, ""}});
  EXPECT_EQ(Lines(report), Strings{"loss at output files: 1 record in 1 batch never emitted "
                                   "((b,5)); first batch 3000 ms"});
}

TEST_F(CheckOutputsTest, FileSinkIsCheckedByItsEmissionsOnly) {
  Standard();
  run_.Emit("appended", 1, 1000);
  run_.Emit("appended", 1, 2000);
  run_.Emit("appended", 2, 2000);
  const CheckReport report = Check({{"appended", "counts", SinkKind::kFile, ""}});
  EXPECT_EQ(report.verdict, Verdict::kLossAndDuplication);
  EXPECT_EQ(Lines(report),
            (Strings{"loss at output appended: 1 record in 1 batch never emitted ((b,5)); first "
                     "batch 3000 ms",
                     "duplication at output appended: 1 extra emission in 1 batch; first batch "
                     "2000 ms; prevention: make the sink idempotent or transactional"}));
}

TEST_F(CheckOutputsTest, RowsOfABatchNoDriverGeneratedAreDivergence) {
  Standard();
  sink_.Append("counts_out", "counts", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Append("counts_out", "counts", 2000, {Pair("a", 7)});
  sink_.Append("counts_out", "counts", 3000, {Pair("b", 5)});
  sink_.Append("counts_out", "counts", 7000, {Pair("z", 1)});
  const CheckReport report = Check({{"counts_out", "counts", SinkKind::kAppend, "counts"}});
  EXPECT_EQ(Lines(report), Strings{"divergence at output counts_out: 1 record in 1 batch of "
                                   "table counts not matching the oracle ((z,1)); first batch "
                                   "7000 ms"});
}

TEST_F(CheckOutputsTest, NoTableYetMeansNoRowsAndAnUncheckableOutputIsAFinding) {
  Standard();
  const CheckReport no_table = Check({{"counts_out", "counts", SinkKind::kAppend, "counts"}});
  EXPECT_EQ(Lines(no_table), Strings{"loss at output counts_out: 4 records missing from 3 "
                                     "batches of table counts ((a,1), (b,2), (a,7)); first "
                                     "batch 1000 ms"});

  RunFacts facts = Facts(run_.ledger());
  facts.outputs = {{"counts_out", "counts", SinkKind::kAppend, "counts"}};
  const CheckReport unreadable = CheckRun(facts);
  EXPECT_EQ(unreadable.verdict, Verdict::kStateDivergence);
  EXPECT_EQ(Lines(unreadable), Strings{"divergence at output counts_out: its sink cannot be read: "
                                       "the run has no sink database"});

  facts.outputs = {{"lost_out", "nowhere", SinkKind::kPrint, ""}};
  EXPECT_EQ(Lines(CheckRun(facts)), Strings{"divergence at output lost_out: its stream 'nowhere' "
                                            "is not in the pipeline"});
}

TEST_F(CheckOutputsTest, PartialRowsOfAFailedBatchAreNotCompared) {
  run_.StandardRecords();
  run_.Batch(1, 1000, {0, 1});
  run_.Batch(1, 2000, {2, 3});
  run_.Allocate(1, 3000, {4});
  run_.Finish(1, 3000, "task failed 4 times");
  sink_.Append("counts_out", "counts", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Append("counts_out", "counts", 2000, {Pair("a", 7)});
  sink_.Append("counts_out", "counts", 3000, {Pair("b", 5), Pair("b", 5)});
  const CheckReport report = Check({{"counts_out", "counts", SinkKind::kAppend, "counts"}});
  EXPECT_EQ(report.verdict, Verdict::kLivenessFailure);
  EXPECT_EQ(Lines(report), Strings{"liveness: batch 3000 ms never finished: job failed: task "
                                   "failed 4 times; first batch 3000 ms"});
}

// A failed batch's records reach no output: loss, also when it is the run's last batch (which
// liveness does not owe). Before, such a run was certified exactly-once.
TEST_F(CheckOutputsTest, TheLastBatchFailingLosesItsRecords) {
  LastBatchFails();
  run_.Emit("events_out", 1, 1000, {Pair("a", 1), Pair("b", 2)});
  run_.Emit("events_out", 1, 2000, {Pair("a", 3), Pair("a", 4)});
  RunFacts facts = Facts(run_.ledger());
  facts.end_time = Ms(3010);
  facts.outputs = {{"events_out", "events", SinkKind::kCollect, ""}};
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{"loss at output events_out: 1 record missing from 1 batch, lost "
                                   "with 1 failed batch (the first at 3000 ms) ((b,5)); first "
                                   "batch 3000 ms"});
}

// A failed batch whose records the output does not need (a filter keeps none) loses nothing.
TEST_F(CheckOutputsTest, AFailedBatchWithNothingForTheOutputLosesNothing) {
  LastBatchFails();
  run_.Emit("a_out", 1, 1000, {Pair("a", 1)});
  run_.Emit("a_out", 1, 2000, {Pair("a", 3), Pair("a", 4)});
  RunFacts facts = Facts(run_.ledger());
  facts.end_time = Ms(3010);
  facts.pipeline.streams.push_back({"only_a", "events", {Op("filter", "x[0] == \"a\"")}});
  facts.outputs = {{"a_out", "only_a", SinkKind::kCollect, ""}};
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(report), Strings{});
}

TEST_F(CheckOutputsTest, BatchThatRanOnPartlyUnavailableInputIsNotCompared) {
  run_.StandardRecords();
  run_.Batch(1, 1000, {0, 1});
  run_.Allocate(1, 2000, {2, 3}, false, 1);
  run_.Finish(1, 2000);
  run_.Batch(1, 3000, {4});
  sink_.Append("counts_out", "counts", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Append("counts_out", "counts", 2000, {Pair("a", 3)});  // ran without events/0/3
  sink_.Append("counts_out", "counts", 3000, {Pair("b", 5)});
  const CheckReport report = Check({{"counts_out", "counts", SinkKind::kAppend, "counts"}});
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{"loss at input events: 1 record unavailable when their batch "
                                   "ran in 1 batch (their blocks were lost); first batch 2000 "
                                   "ms"});
}

TEST_F(CheckOutputsTest, BatchTheOracleFailsButTheEngineFinishedIsDivergence) {
  Standard();
  CollectEvents("broken_out");
  RunFacts facts = Facts(run_.ledger());
  facts.pipeline.streams.push_back({"broken", "events", {Op("map", "x[1] / 0")}});
  facts.outputs = {{"broken_out", "broken", SinkKind::kCollect, ""}};
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  EXPECT_EQ(Lines(report), Strings{"divergence at output broken_out: 5 records in 3 batches not "
                                   "matching the oracle (the oracle's batch fails: division by "
                                   "zero); first batch 1000 ms"});
}

TEST_F(CheckOutputsTest, FreshDriverStartsWithEmptyState) {
  run_.StandardRecords();
  run_.Batch(1, 1000, {0, 1});
  run_.Batch(1, 2000, {2, 3});
  run_.Record(5, Pair("a", 10), 3500);
  run_.Batch(2, 4000, {5});  // started at 3 s without a checkpoint: its zero time is 3 s
  sink_.Upsert("totals_out", "totals", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Upsert("totals_out", "totals", 2000, {Pair("a", 8), Pair("b", 2)});
  sink_.Upsert("totals_out", "totals", 4000, {Pair("a", 10)});
  RunFacts facts = Facts(run_.ledger(), 5000);
  facts.sink_database = sink_.path();
  facts.outputs = {{"totals_out", "totals", SinkKind::kIdempotent, "totals"}};
  facts.faults = {{Ms(2500), faults::FaultKind::kDriverCrash, "driver crash"}};
  facts.configuration.checkpoint = false;
  const CheckReport report = CheckRun(facts);
  // events/0/4, acknowledged at 2.4 s, went down with the first driver.
  EXPECT_EQ(Lines(report), Strings{"loss at source events: 1 record never in a batch "
                                   "(events/0/4); first batch 4000 ms; nearest fault: driver "
                                   "crash at 2.500 s; prevention: set a checkpoint directory"});
}

// A socket receiver without the write-ahead log whose driver crashed at 2.5 s: life 2 recovered
// the batch of 2000 ms from the checkpoint, but the blocks of some or all of its records had died
// with the executors (`unavailable`). Outputs are compared at every batch; the findings of a
// batch of 2000 ms that life 2 ran on what was left are the input's loss.
class UnavailableAfterRecoveryTest : public CheckOutputsTest {
 protected:
  // Life 1 ran 1000 ms (and, when `life_1_finished`, 2000 ms) before crashing; life 2 recovered
  // 2000 ms with `unavailable` of events/0/2 and events/0/3 gone, and ran it and 3000 ms.
  void CrashedRun(bool life_1_finished, int64_t unavailable) {
    run_.StandardRecords();
    run_.Batch(1, 1000, {0, 1});
    run_.Allocate(1, 2000, {2, 3});
    if (life_1_finished) run_.Finish(1, 2000);
    run_.Allocate(2, 2000, {2, 3}, true, unavailable);
    run_.Finish(2, 2000);
    run_.Batch(2, 3000, {4}, true);
  }
  CheckReport CheckCrashed(std::vector<OutputUnderCheck> outputs) {
    RunFacts facts = Facts(run_.ledger());
    facts.sink_database = sink_.path();
    facts.outputs = std::move(outputs);
    facts.faults = {
        {Ms(2500), faults::FaultKind::kDriverCrash, "driver crash (restart after 0.5 s)"}};
    facts.configuration.sources = {{"events", SourceKind::kSocket, true, false, false}};
    facts.configuration.write_ahead_log = false;
    return CheckRun(facts);
  }
  static constexpr const char* kInputLoss =
      "loss at input events: 1 record unavailable when their batch ran in 1 batch (their blocks "
      "were lost); first batch 2000 ms; prevention: use a reliable receiver or Kafka direct";
};

TEST_F(UnavailableAfterRecoveryTest, PartialCountsOfTheRecoveredBatchAreTheInputsLoss) {
  CrashedRun(/*life_1_finished=*/false, 1);
  sink_.Upsert("counts_out", "counts", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Upsert("counts_out", "counts", 2000, {Pair("a", 3)});  // without events/0/3
  sink_.Upsert("counts_out", "counts", 3000, {Pair("b", 5)});
  const CheckReport report =
      CheckCrashed({{"counts_out", "counts", SinkKind::kIdempotent, "counts"}});
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{kInputLoss});
}

// The first life's rows stay (an idempotent sink overwrites no key the empty rerun wrote; a
// transactional one skips the rerun's commit): the oracle, over the allocation, would agree with
// them, but the rule does not hang on which life's write the sink kept.
TEST_F(UnavailableAfterRecoveryTest, RerunWithEveryBlockGoneIsTheInputsLossWhicheverWriteStayed) {
  for (SinkKind kind : {SinkKind::kIdempotent, SinkKind::kTransactional}) {
    SCOPED_TRACE(kind == SinkKind::kIdempotent ? "idempotent" : "transactional");
    run_ = testing::RunBuilder();
    CrashedRun(/*life_1_finished=*/true, 2);
    const std::string table = kind == SinkKind::kIdempotent ? "upserted" : "committed";
    const auto write = [&](int64_t t, const records::Values& records) {
      if (kind == SinkKind::kIdempotent) sink_.Upsert("counts_" + table, table, t, records);
      if (kind == SinkKind::kTransactional) sink_.Transact("counts_" + table, table, t, records);
    };
    write(1000, {Pair("a", 1), Pair("b", 2)});
    write(2000, {Pair("a", 7)});  // life 1
    write(2000, {});              // life 2, on no records
    write(3000, {Pair("b", 5)});
    const CheckReport report = CheckCrashed({{"counts_" + table, "counts", kind, table}});
    EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
    EXPECT_EQ(Lines(report),
              Strings{"loss at input events: 2 records unavailable when their batch ran in 1 "
                      "batch (their blocks were lost); first batch 2000 ms; prevention: use a "
                      "reliable receiver or Kafka direct"});
  }
}

// Life 1 ran 2000 ms short of events/0/3 and committed; life 2 reran it on every record (the
// oracle's input, as the latest life that finished it) and its commit was skipped.
TEST_F(UnavailableAfterRecoveryTest, UnavailableInputOfAnyLifeExemptsItsBatch) {
  run_.StandardRecords();
  run_.Batch(1, 1000, {0, 1});
  run_.Allocate(1, 2000, {2, 3}, false, 1);
  run_.Finish(1, 2000);
  run_.Batch(2, 2000, {2, 3}, true);
  run_.Batch(2, 3000, {4}, true);
  sink_.Transact("counts_out", "counts", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Transact("counts_out", "counts", 2000, {Pair("a", 3)});
  sink_.Transact("counts_out", "counts", 2000, {Pair("a", 7)});  // skipped: committed
  sink_.Transact("counts_out", "counts", 3000, {Pair("b", 5)});
  const CheckReport report =
      CheckCrashed({{"counts_out", "counts", SinkKind::kTransactional, "counts"}});
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(Lines(report), Strings{kInputLoss});
}

// Life 1 appended both events of 2000 ms before crashing; life 2 appended again what it had left.
TEST_F(UnavailableAfterRecoveryTest, WholeRowsAppendedTwiceAreStillDuplication) {
  CrashedRun(/*life_1_finished=*/false, 1);
  sink_.Append("events_out", "events", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Append("events_out", "events", 2000, {Pair("a", 3), Pair("a", 4)});
  sink_.Append("events_out", "events", 2000, {Pair("a", 3)});
  sink_.Append("events_out", "events", 3000, {Pair("b", 5)});
  const CheckReport report = CheckCrashed({{"events_out", "events", SinkKind::kAppend, "events"}});
  EXPECT_EQ(report.verdict, Verdict::kLossAndDuplication);
  EXPECT_EQ(Lines(report),
            (Strings{kInputLoss,
                     "duplication at output events_out: 1 extra copy of records in 1 batch of "
                     "table events ((a,3)); first batch 2000 ms; prevention: make the sink "
                     "idempotent or transactional"}));
}

// The exemption is the batch's (and, for the running totals, every later batch's of the
// segment), not the run's: a wrong count at 3000 ms, whose input was whole, is a divergence.
TEST_F(UnavailableAfterRecoveryTest, DivergenceAtABatchWithoutUnavailableInputIsStillReported) {
  CrashedRun(/*life_1_finished=*/false, 1);
  sink_.Upsert("counts_out", "counts", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Upsert("counts_out", "counts", 2000, {Pair("a", 3)});
  sink_.Upsert("counts_out", "counts", 3000, {Pair("b", 50)});
  sink_.Upsert("totals_out", "totals", 1000, {Pair("a", 1), Pair("b", 2)});
  sink_.Upsert("totals_out", "totals", 2000, {Pair("a", 4), Pair("b", 2)});
  sink_.Upsert("totals_out", "totals", 3000, {Pair("a", 4), Pair("b", 7)});  // the oracle: (a,8)
  const CheckReport report =
      CheckCrashed({{"counts_out", "counts", SinkKind::kIdempotent, "counts"},
                    {"totals_out", "totals", SinkKind::kIdempotent, "totals"}});
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  EXPECT_EQ(Lines(report),
            (Strings{kInputLoss,
                     "divergence at output counts_out: 1 record in 1 batch of table counts not "
                     "matching the oracle ((b,50)); first batch 3000 ms; nearest fault: driver "
                     "crash (restart after 0.5 s) at 2.500 s"}));
}

}  // namespace
}  // namespace streamsim::checker
