// Tests check 0, batch-ledger (checker/check.h): the batch ledger is read from the driver's
// durable metadata, and a batch that ran on other records than that is a divergence naming them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/durable_batch_ledger.h"
#include "tests/unit/checker/check_test_support.h"

namespace streamsim::checker {
namespace {

using testing::Facts;
using testing::Lines;
using testing::Ms;
using testing::RunBuilder;
using Strings = std::vector<std::string>;

const std::string kLog = "ck/receivedBlockMetadata/log-0-60000";

std::string AllocateLine(int64_t t_ms, const std::string& block_id, int records) {
  return R"({"event":"allocate","time_us":)" + std::to_string(t_ms * 1000) +
         R"(,"allocations":[{"stream":0,"blocks":[{"id":")" + block_id + R"(","records":)" +
         std::to_string(records) +
         R"(,"executors":[0],"wal_path":"","wal_offset":0,"wal_length":0}]}]})" + "\n";
}

// The standard records in three blocks of driver life 1, and the tracker log allocating them to
// the batches of 1000, 2000 and 3000 ms (each made durable at its batch time).
class CheckBatchLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    run_.StandardRecords();
    ledger::Ledger& ledger = run_.ledger();
    ledger.DriverStarted(1, Ms(0));
    ledger.BlockCreated(1, "input-0-0", {{0, 0, 0}, {0, 0, 1}});
    ledger.BlockCreated(1, "input-0-1", {{0, 0, 2}, {0, 0, 3}});
    ledger.BlockCreated(1, "input-0-2", {{0, 0, 4}});
    history_ = {Durable(1000, "input-0-0", 2), Durable(2000, "input-0-1", 2),
                Durable(3000, "input-0-2", 1)};
  }

  static sim::DurableChange Durable(int64_t t_ms, const std::string& block_id, int records) {
    return {sim::DurableChange::Kind::kSynced, Ms(t_ms), kLog,
            AllocateLine(t_ms, block_id, records)};
  }

  CheckReport Check() {
    durable_ = ReadDurableBatchLedger(history_, "ck", run_.ledger().driver_starts());
    RunFacts facts = Facts(run_.ledger());
    facts.durable_batch_ledger = &durable_;
    facts.receiver_inputs = {{0, "events"}};
    return CheckRun(facts);
  }

  RunBuilder run_;
  std::vector<sim::DurableChange> history_;
  DurableBatchLedger durable_;
};

TEST_F(CheckBatchLedgerTest, BatchesThatRanOnTheirDurableAllocationsAreExactlyOnce) {
  run_.StandardBatches();
  const CheckReport report = Check();
  EXPECT_EQ(report.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(report), Strings{});
}

TEST_F(CheckBatchLedgerTest, ABatchThatDroppedADurablyAllocatedRecordIsADivergenceNamingIt) {
  run_.Batch(1, 1000, {0, 1});
  run_.Batch(1, 2000, {2});  // the driver's memory lost events/0/3; the log still holds it
  run_.Batch(1, 3000, {4});
  const CheckReport report = Check();
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  // The record is in its batch by the durable ledger, so check 1 reports no loss.
  EXPECT_EQ(Lines(report),
            Strings{"divergence at input events: batches ran on other records than the driver "
                    "made durable for them: 1 record apart (first at batch 2000 ms, driver life "
                    "1: ran on 0 records outside the durable allocation in " +
                    kLog + " and missed 1 record of it) (events/0/3); first batch 2000 ms"});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].check, "batch-ledger");
}

TEST_F(CheckBatchLedgerTest, ABatchOnRecordsNeverMadeDurableIsADivergence) {
  history_.erase(history_.begin() + 1);  // the 2000 ms allocation never reached the log
  run_.StandardBatches();
  const CheckReport report = Check();
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  // By the durable ledger batch 2000 held nothing, so its records are lost as well; delivered
  // at 1.3 and 1.6 s, they were due by the batch of 3000 ms.
  EXPECT_EQ(Lines(report),
            (Strings{"divergence at input events: batches ran on other records than the driver "
                     "made durable for them: 2 records apart (first at batch 2000 ms, driver "
                     "life 1: ran on 2 records with no durable allocation) (events/0/2, "
                     "events/0/3); first batch 2000 ms",
                     "loss at source events: 2 records never in a batch (events/0/2, "
                     "events/0/3); first batch 3000 ms"}));
}

TEST_F(CheckBatchLedgerTest, WithoutDurableMetadataTheLedgersAllocationsAreTheBatchLedger) {
  run_.Batch(1, 1000, {0, 1});
  run_.Batch(1, 2000, {2});
  run_.Batch(1, 3000, {4});
  RunFacts facts = Facts(run_.ledger());  // no checkpoint directory: nothing durable to read
  const CheckReport report = CheckRun(facts);
  EXPECT_EQ(report.verdict, Verdict::kAtMostOnce);
  EXPECT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].check, "acknowledged-once");
}

// "events" read as a Kafka direct stream of topic "t": the checkpoint of 2000 ms holds the offset
// ranges of the batches of 1000 and 2000 ms; the batch of 3000 ms was never checkpointed.
class CheckDirectOffsetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    run_.StandardRecords();
    run_.ledger().DriverStarted(1, Ms(0));
  }

  CheckReport Check(const std::string& ranges_of_2000) {
    const std::string checkpoint =
        R"({"block_allocations":[],"source_positions":{"events":{"topic":"t","current":[5],)"
        R"("batches":[{"time_us":1000000,"ranges":[[0,0,2]]},{"time_us":2000000,"ranges":[)" +
        ranges_of_2000 + "]}]}}}";
    history_ = {{sim::DurableChange::Kind::kSynced, Ms(2000), "ck/temp", checkpoint},
                {sim::DurableChange::Kind::kRenamed, Ms(2000), "ck/temp", "ck/checkpoint-2000"}};
    durable_ = ReadDurableBatchLedger(history_, "ck", run_.ledger().driver_starts());
    RunFacts facts = Facts(run_.ledger());
    facts.durable_batch_ledger = &durable_;
    facts.topic_sources = {{"t", 0}};
    facts.configuration.sources = {{"events", SourceKind::kKafkaDirect, false, true, false}};
    return CheckRun(facts);
  }

  RunBuilder run_;
  std::vector<sim::DurableChange> history_;
  DurableBatchLedger durable_;
};

TEST_F(CheckDirectOffsetsTest, BatchesOnTheirCheckpointedRangesAreExactlyOnce) {
  run_.StandardBatches();
  const CheckReport report = Check("[0,2,4]");
  EXPECT_EQ(report.verdict, Verdict::kExactlyOnce);
  EXPECT_EQ(Lines(report), Strings{});
}

TEST_F(CheckDirectOffsetsTest, ABatchBeyondItsCheckpointedRangeIsADivergence) {
  run_.StandardBatches();  // 2000 ran on offsets 2 and 3; the checkpoint says [2, 3)
  const CheckReport report = Check("[0,2,3]");
  EXPECT_EQ(report.verdict, Verdict::kStateDivergence);
  EXPECT_EQ(Lines(report),
            (Strings{"divergence at input events: batches ran on other records than the driver "
                     "made durable for them: 1 record apart (first at batch 2000 ms, driver "
                     "life 1: ran on 1 record outside the durable allocation in "
                     "ck/checkpoint-2000 and missed 0 records of it) (events/0/3); first batch "
                     "2000 ms",
                     "loss at source events: 1 record never in a batch (events/0/3); first "
                     "batch 3000 ms"}));
}

}  // namespace
}  // namespace streamsim::checker
