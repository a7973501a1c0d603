// Kinesis end to end (KinesisUtils.createStream, engine/connectors/kinesis_source.h): exactly which
// records a worker crash, a receiver crash and a driver crash lose or duplicate, without and with
// the receiver write-ahead log (the application: tests/unit/engine/source_crash_support.h).
//
// The stream has 2 shards and receives 100 records a second (record k at (k + 1) x 10 ms, into
// shard k % 2, where its sequence number is k / 2). The receiver (worker/0) starts both shards at
// LATEST (sequence 0: nothing was put yet) and reads each shard every second, just after the
// whole second (the reads drift a few milliseconds a second): records 0-99 at 1 s, 100-199 at
// 2 s, 200-299 at 3 s, 300-400 at 4 s, 401-500 at 5 s. Each read is one block, stored and
// acknowledged within a few milliseconds; the checkpointer writes each shard's latest stored
// sequence number to the lease table every second (the batch interval), just before that
// second's reads: the checkpoint of s seconds covers the records read at s - 1.
#include "engine/connectors/kinesis_source.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/unit/engine/source_crash_support.h"

namespace streamsim::engine {
namespace {

using testing::Crash;
using testing::Outcome;
using testing::SourceCrashRun;

DStream* AddKinesis(sim::World* world, StreamingContext& context,
                    testing::TestExternals& externals) {
  externals::KinesisStreamConfig stream;
  stream.source_name = "taps";
  stream.shards = 2;
  stream.rate_per_second = 100;
  stream.generator.kind = "log_lines";
  KinesisSourceConfig config;
  config.application = "taps";
  return externals.KinesisStream(world, context, stream, config);
}

struct KinesisRun {
  Outcome outcome;
  std::unique_ptr<SourceCrashRun> run;
};

// 20 batches; the trace shows where each shard of a relaunched receiver resumed.
KinesisRun RunKinesis(Crash crash, int64_t at_ms, bool wal) {
  KinesisRun kinesis;
  kinesis.run =
      std::make_unique<SourceCrashRun>(testing::Config("taps", crash, at_ms, wal, 20), AddKinesis);
  kinesis.run->Run();
  kinesis.outcome = testing::Summarize(*kinesis.run, "");
  return kinesis;
}

TEST(KinesisReceiverTest, WithoutFaultsEveryRecordIsCountedOnce) {
  KinesisRun kinesis = RunKinesis(Crash::kNone, 0, false);
  EXPECT_EQ(kinesis.outcome.last_batch_ms, 20000);
  EXPECT_EQ(kinesis.outcome.lost, "none");
  EXPECT_EQ(kinesis.outcome.duplicated, "none");
  EXPECT_EQ(kinesis.outcome.counted_up_to, 1904);
  EXPECT_TRUE(kinesis.run->Traced("2000516 kinesis taps checkpoint shardId-000000000000 at 49"));
}

// At-least-once: the last checkpoint (3 s) covers records up to 199; the blocks of 200-299 (read
// at 3 s) survived on their replica, and the receiver relaunched on worker/1 reads them again
// from the checkpoint.
TEST(KinesisReceiverTest, AWorkerCrashReadsAgainWhatWasStoredAfterTheLastCheckpoint) {
  KinesisRun kinesis = RunKinesis(Crash::kWorker, 3500, false);
  EXPECT_EQ(kinesis.outcome.lost, "none");
  EXPECT_EQ(kinesis.outcome.duplicated, "200-299");
  EXPECT_EQ(kinesis.outcome.counted_up_to, 1964);
  EXPECT_TRUE(
      kinesis.run->Traced("taps shardId-000000000000 reads from 100 (after checkpoint 99)"));
  EXPECT_TRUE(
      kinesis.run->Traced("taps shardId-000000000001 reads from 100 (after checkpoint 99)"));
}

TEST(KinesisReceiverTest, WithTheLogAWorkerCrashReadsAgainWhatWasStoredAfterTheLastCheckpoint) {
  const Outcome outcome = RunKinesis(Crash::kWorker, 3500, true).outcome;
  EXPECT_EQ(outcome.lost, "none");
  EXPECT_EQ(outcome.duplicated, "200-299");
  EXPECT_EQ(outcome.counted_up_to, 1962);
}

// A receiver that fails on a live executor stops its KCL worker, which checkpoints what was
// stored (records up to 299): the relaunch resumes exactly there. Nothing lost, nothing twice.
TEST(KinesisReceiverTest, AReceiverCrashCheckpointsOnStopAndResumesExactly) {
  KinesisRun kinesis = RunKinesis(Crash::kReceiver, 3500, false);
  EXPECT_EQ(kinesis.outcome.lost, "none");
  EXPECT_EQ(kinesis.outcome.duplicated, "none");
  EXPECT_EQ(kinesis.outcome.counted_up_to, 1952);
  EXPECT_TRUE(
      kinesis.run->Traced("taps shardId-000000000000 reads from 150 (after checkpoint 149)"));
}

TEST(KinesisReceiverTest, WithTheLogAReceiverCrashLosesNothing) {
  const Outcome outcome = RunKinesis(Crash::kReceiver, 3500, true).outcome;
  EXPECT_EQ(outcome.lost, "none");
  EXPECT_EQ(outcome.duplicated, "none");
}

// Spark's "past data lost": the blocks of batch 5 (300-400, read at 4 s and checkpointed at 5 s)
// lived only in the executors' memory. The blocks of 401-500 (read at 5 s) died too, but they were
// not checkpointed, so the relaunched receiver reads them again: not lost.
TEST(KinesisReceiverTest, WithoutTheLogADriverCrashLosesTheCheckpointedBlocksInMemory) {
  KinesisRun kinesis = RunKinesis(Crash::kDriver, 5500, false);
  EXPECT_EQ(kinesis.outcome.lost, "300-400");
  EXPECT_EQ(kinesis.outcome.duplicated, "none");
  EXPECT_EQ(kinesis.outcome.counted_up_to, 1953);
  EXPECT_TRUE(
      kinesis.run->Traced("taps shardId-000000000000 reads from 201 (after checkpoint 200)"));
  EXPECT_TRUE(
      kinesis.run->Traced("taps shardId-000000000001 reads from 200 (after checkpoint 199)"));
}

// With the log nothing is lost, and 401-500 — in the log and allocated to batch 6 by the block
// tracker's log, but not checkpointed — are read again: at least once.
TEST(KinesisReceiverTest, WithTheLogADriverCrashLosesNothingAndReadsAgainAfterTheCheckpoint) {
  const Outcome outcome = RunKinesis(Crash::kDriver, 5500, true).outcome;
  EXPECT_EQ(outcome.lost, "none");
  EXPECT_EQ(outcome.duplicated, "401-500");
  EXPECT_EQ(outcome.counted_up_to, 1952);
}

// The stream's node is down from 2.5 s to 4.5 s (a fault's `down: kinesis/taps`): reads and the
// checkpoint of 3 s and 4 s fail, the producer's puts fail. What was put before is read after the
// restart; the only sequence numbers never counted are those that fell due while the stream was
// down and were never put.
TEST(KinesisReceiverTest, AStreamDownTimeLosesOnlyWhatWasNeverPut) {
  SourceCrashRun run(testing::Config("taps", Crash::kNone, 0, false, 20), AddKinesis);
  const sim::NodeId stream = run.world->FindNode("kinesis/taps");
  run.world->ScheduleGlobal(sim::Duration::Millis(2500),
                            [&run, stream]() { run.world->Crash(stream); });
  run.world->ScheduleGlobal(sim::Duration::Millis(4500),
                            [&run, stream]() { run.world->Start(stream); });
  run.Run();
  const Outcome outcome = testing::Summarize(run, "");
  // Records 249-449 fell due while down (the crash at 2.5 s comes before the producer's tick).
  EXPECT_EQ(run.externals.kinesis_streams.at(0)->records_not_produced(), 201);
  EXPECT_EQ(outcome.lost, "249-449");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 1904);
}

}  // namespace
}  // namespace streamsim::engine
