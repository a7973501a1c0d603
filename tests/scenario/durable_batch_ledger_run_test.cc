// The batch ledger read back from a real run's durable metadata (checker/durable_batch_ledger.h):
// every batch of a receiver input (tracker log, checkpoints), of a Kafka direct input
// (checkpointed offset ranges) and of a file stream (checkpointed file lists) is compared with
// what the batch ran on, they agree, and metadata altered after the run is caught as a
// batch-ledger divergence.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/durable_batch_ledger.h"
#include "harness/run_check.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"
#include "tests/scenario/cli_test_support.h"

namespace streamsim::scenarios {
namespace {

struct LibraryRun {
  Scenario scenario;
  std::unique_ptr<harness::Simulation> simulation;
  // Every change of the driver's metadata, kept raw by a second observer, to alter after the run.
  std::shared_ptr<std::vector<sim::DurableChange>> history =
      std::make_shared<std::vector<sim::DurableChange>>();
};

LibraryRun RunLibrary(const std::string& name) {
  LibraryRun run;
  LoadError error;
  {
    LoadResult<Scenario> loaded = LoadScenarioFile(testing::Library(name));
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
    if (loaded.ok()) run.scenario = std::move(loaded.value());
  }
  engine::OutputListener silent;
  auto built = harness::Simulation::Build(run.scenario, harness::RunOptions{}, &silent);
  if (!built.ok()) error = built.error();
  run.simulation = built.ok() ? std::move(built.value()) : nullptr;
  EXPECT_NE(run.simulation, nullptr) << error.ToString();
  run.simulation->world().ObserveDurableChanges(
      checker::DriverMetadataPaths(*run.scenario.streaming.checkpoint_dir),
      [history = run.history](const sim::DurableChange& change) { history->push_back(change); });
  EXPECT_TRUE(run.simulation->Run().ok());
  return run;
}

// The raw history decoded at once.
checker::DurableBatchLedger Decode(const LibraryRun& run,
                                   const std::vector<sim::DurableChange>& history) {
  return checker::ReadDurableBatchLedger(history, *run.scenario.streaming.checkpoint_dir,
                                         run.simulation->context().ledger().driver_starts());
}

std::vector<std::string> BatchLedgerFindings(const checker::CheckReport& report) {
  std::vector<std::string> lines;
  for (const checker::Finding& finding : report.findings) {
    if (finding.check == "batch-ledger") lines.push_back(checker::FormatFinding(finding));
  }
  return lines;
}

// How many of the ledger's allocations with records have a durable allocation (receiver inputs)
// or durable offsets (direct inputs) to compare with.
int Compared(const checker::RunFacts& facts, const checker::DurableBatchLedger& durable) {
  int compared = 0;
  for (const ledger::BatchAllocation& allocation : facts.ledger->allocations()) {
    if (allocation.records.empty()) continue;
    bool found = false;
    for (const auto& [stream_id, input] : facts.receiver_inputs) {
      if (input == allocation.input) {
        found = checker::DurableAllocationFor(durable, allocation.batch_time, stream_id,
                                              allocation.driver_life) != nullptr;
      }
    }
    found = found ||
            checker::DurableOffsetsFor(durable, allocation.batch_time, allocation.input,
                                       allocation.driver_life) != nullptr ||
            checker::DurableFilesFor(durable, allocation.batch_time, allocation.input,
                                     allocation.driver_life) != nullptr;
    compared += found ? 1 : 0;
  }
  return compared;
}

int WithRecords(const checker::RunFacts& facts) {
  int with_records = 0;
  for (const ledger::BatchAllocation& allocation : facts.ledger->allocations()) {
    with_records += allocation.records.empty() ? 0 : 1;
  }
  return with_records;
}

// The run checked with the batch ledger decoded from `history` instead of what the run read.
checker::CheckReport CheckOn(const LibraryRun& run,
                             const std::vector<sim::DurableChange>& history) {
  checker::RunFacts facts = harness::RunFactsOf(run.scenario, *run.simulation);
  const checker::DurableBatchLedger decoded = Decode(run, history);
  facts.durable_batch_ledger = &decoded;
  return checker::CheckRun(facts);
}

// The reader decoding as the run went read what decoding the whole history afterwards reads.
void ExpectSameAsDecodedAtOnce(const checker::DurableBatchLedger& read,
                               const checker::DurableBatchLedger& decoded) {
  EXPECT_EQ(read.allocations.size(), decoded.allocations.size());
  EXPECT_EQ(read.offsets.size(), decoded.offsets.size());
  EXPECT_EQ(read.files.size(), decoded.files.size());
  EXPECT_EQ(read.undecodable, decoded.undecodable);
  for (size_t i = 0; i < std::min(read.allocations.size(), decoded.allocations.size()); ++i) {
    EXPECT_EQ(read.allocations[i].blocks, decoded.allocations[i].blocks) << i;
  }
}

// `history` with the first synced change under `path_part` that holds `marker` and `text`
// altered: its first `text` becomes `replacement`, as a disk or a bug could leave the driver's
// metadata.
std::vector<sim::DurableChange> Altered(std::vector<sim::DurableChange> history,
                                        const std::string& path_part, const std::string& marker,
                                        const std::string& text, const std::string& replacement) {
  for (sim::DurableChange& change : history) {
    const size_t at = change.detail.find(text);
    if (change.kind != sim::DurableChange::Kind::kSynced ||
        change.path.find(path_part) == std::string::npos || at == std::string::npos ||
        change.detail.find(marker) == std::string::npos) {
      continue;
    }
    change.detail.replace(at, text.size(), replacement);
    return history;
  }
  ADD_FAILURE() << "no durable change under " << path_part << " holds " << text;
  return history;
}

TEST(DurableBatchLedgerRunTest, AReceiverRunsBatchesAreReadBackFromTheTrackerLog) {
  LibraryRun run = RunLibrary("kafka-receiver-wal-driver-crash.yaml");
  const checker::RunFacts facts = harness::RunFactsOf(run.scenario, *run.simulation);
  ASSERT_NE(facts.durable_batch_ledger, nullptr);
  const checker::DurableBatchLedger& durable = *facts.durable_batch_ledger;
  ExpectSameAsDecodedAtOnce(durable, Decode(run, *run.history));
  // One per batch and driver life (the checkpoints' repeats, 257 in all, are kept once).
  EXPECT_EQ(durable.allocations.size(), 20u);
  EXPECT_EQ(durable.undecodable, 0);
  // Every batch that ran on records (19 of the 20 allocations, across both driver lives) has a
  // durable allocation to compare with, and they all agree.
  EXPECT_EQ(Compared(facts, durable), 19);
  EXPECT_EQ(facts.ledger->allocations().size(), 20u);
  EXPECT_EQ(WithRecords(facts), 19);
  const checker::CheckReport report = checker::CheckRun(facts);
  EXPECT_EQ(BatchLedgerFindings(report), std::vector<std::string>{});
}

TEST(DurableBatchLedgerRunTest, AnAlteredTrackerLogIsABatchLedgerDivergence) {
  LibraryRun run = RunLibrary("kafka-receiver-wal-driver-crash.yaml");
  // The first allocation of a block names another block, at a place of the receiver's log where
  // no block is.
  const std::string marker = R"("event":"allocate")";
  const std::vector<sim::DurableChange> altered =
      Altered(Altered(*run.history, "receivedBlockMetadata", marker, R"("id":"input-0-)",
                      R"("id":"input-0-9)"),
              "receivedBlockMetadata", marker, R"("wal_offset":)", R"("wal_offset":9)");
  const checker::CheckReport report = CheckOn(run, altered);
  EXPECT_EQ(report.verdict, checker::Verdict::kStateDivergence);
  EXPECT_EQ(BatchLedgerFindings(report),
            std::vector<std::string>{
                "divergence at input events: batches ran on other records than the driver made "
                "durable for them: 19 records apart (first at batch 1000 ms, driver life 1: ran "
                "on 19 records outside the durable allocation in "
                "checkpoints/kafka-receiver/receivedBlockMetadata/log-0-60000 and missed 0 "
                "records of it) (events/0/0, events/0/1, events/0/2); first batch 1000 ms"});
}

TEST(DurableBatchLedgerRunTest, ADirectRunsBatchesAreReadBackFromCheckpointedOffsets) {
  LibraryRun run = RunLibrary("kafka-direct.yaml");
  const checker::RunFacts facts = harness::RunFactsOf(run.scenario, *run.simulation);
  ASSERT_NE(facts.durable_batch_ledger, nullptr);
  const checker::DurableBatchLedger& durable = *facts.durable_batch_ledger;
  ExpectSameAsDecodedAtOnce(durable, Decode(run, *run.history));
  // One per batch and driver life (234 checkpointed copies in all).
  EXPECT_EQ(durable.offsets.size(), 20u);
  // Every batch that ran on records was checkpointed with its ranges before the crash or by
  // the restarted driver, and they all agree.
  EXPECT_EQ(Compared(facts, durable), 17);
  EXPECT_EQ(facts.ledger->allocations().size(), 20u);
  EXPECT_EQ(WithRecords(facts), 17);
  const checker::CheckReport report = checker::CheckRun(facts);
  EXPECT_EQ(BatchLedgerFindings(report), std::vector<std::string>{});
}

TEST(DurableBatchLedgerRunTest, AnAlteredCheckpointedOffsetRangeIsABatchLedgerDivergence) {
  LibraryRun run = RunLibrary("kafka-direct.yaml");
  // The first checkpointed offset range of partition 0 from offset 0 starts at 1 instead.
  const std::vector<sim::DurableChange> altered =
      Altered(*run.history, "/temp", R"("ranges")", "[0,0,", "[0,1,");
  const checker::CheckReport report = CheckOn(run, altered);
  EXPECT_EQ(report.verdict, checker::Verdict::kStateDivergence);
  EXPECT_EQ(BatchLedgerFindings(report),
            std::vector<std::string>{
                "divergence at input words: batches ran on other records than the driver made "
                "durable for them: 1 record apart (first at batch 1000 ms, driver life 1: ran on "
                "1 record outside the durable allocation in checkpoints/kafka/checkpoint-1000 "
                "and missed 0 records of it) (words/0/0); first batch 1000 ms"});
}

TEST(DurableBatchLedgerRunTest, AFileStreamsBatchesAreReadBackFromCheckpointedFileLists) {
  LibraryRun run = RunLibrary("file-stream-driver-crash.yaml");
  const checker::RunFacts facts = harness::RunFactsOf(run.scenario, *run.simulation);
  ASSERT_NE(facts.durable_batch_ledger, nullptr);
  const checker::DurableBatchLedger& durable = *facts.durable_batch_ledger;
  ExpectSameAsDecodedAtOnce(durable, Decode(run, *run.history));
  // One per batch and driver life (238 checkpointed copies in all).
  EXPECT_EQ(durable.files.size(), 21u);
  EXPECT_EQ(Compared(facts, durable), 15);
  EXPECT_EQ(WithRecords(facts), 15);
  EXPECT_EQ(BatchLedgerFindings(checker::CheckRun(facts)), std::vector<std::string>{});
  // A checkpoint that names another file for its first batch with files is caught: the batch
  // ran on the five lines of the file it read.
  const std::vector<sim::DurableChange> altered =
      Altered(*run.history, "/temp", R"("files":[")", R"("files":[")", R"("files":["x)");
  EXPECT_EQ(BatchLedgerFindings(CheckOn(run, altered)),
            std::vector<std::string>{
                "divergence at input incoming: batches ran on other records than the driver "
                "made durable for them: 5 records apart (first at batch 2000 ms, driver life 1: "
                "ran on 5 records outside the durable allocation in "
                "checkpoints/files/checkpoint-2000 and missed 0 records of it) (incoming/0/0, "
                "incoming/0/1, incoming/0/2); first batch 2000 ms"});
}

}  // namespace
}  // namespace streamsim::scenarios
