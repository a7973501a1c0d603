// Flume's push approach end to end (FlumeUtils.createStream,
// engine/connectors/flume_push_source.h): exactly which events a worker crash, a receiver crash and
// a driver crash lose or duplicate, without and with the receiver write-ahead log (the application:
// tests/unit/engine/source_crash_support.h).
//
// The agent receives 100 events a second (event k at (k + 1) x 10 ms). Its Avro sink finds the
// channel empty after each push and backs off 1 s (counted from its last answer, so the pushes
// drift a few milliseconds later every second): it pushes one lump of about 100 events just after
// each second — 0-99 at 1 s, 100-199 at 2 s, 200-299 at 3 s, then 300-400 at 4 s (the drift has
// passed event 400's 4.01 s) and 401-500 at 5 s; with the log, whose different message timings
// shift the drift, 300-399 and 400-500. The receiver runs on worker/0 and cuts a block every
// 200 ms, so each lump sits in the block generator's buffer until the cut at s + 0.2 s. The
// crashes below fall into that window (3.1 s and 5.1 s).
#include "engine/connectors/flume_push_source.h"

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

DStream* AddFlumePush(sim::World* world, StreamingContext& context,
                      testing::TestExternals& externals) {
  externals::FlumeAgentConfig agent;
  agent.source_name = "clicks";
  agent.rate_per_second = 100;
  agent.generator.kind = "log_lines";
  return externals.FlumePushStream(world, context, agent);
}

// 20 batches; the source's counters: calls that failed, events rolled back into the channel.
Outcome RunFlumePush(Crash crash, int64_t at_ms, bool wal) {
  SourceCrashRun run(testing::Config("clicks", crash, at_ms, wal, 20), AddFlumePush);
  run.Run();
  return testing::Summarize(run,
                            fmt::format("failed calls={} rolled back={}",
                                        run.externals.flume_avro_sinks.at(0)->calls_failed(),
                                        run.externals.flume_agents.at(0)->events_rolled_back()));
}

TEST(FlumePushTest, WithoutFaultsEveryEventIsCountedOnce) {
  const Outcome outcome = RunFlumePush(Crash::kNone, 0, false);
  EXPECT_EQ(outcome.last_batch_ms, 20000);
  EXPECT_EQ(outcome.lost, "none");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 1904);
  EXPECT_EQ(outcome.source, "failed calls=0 rolled back=0");
}

// The lump pushed at 3 s was in the buffer: the sink had its answer, so it is gone. While the
// receiver is down the sink cannot connect and backs off 5 s; the receiver relaunched on worker/1
// at 5.2 s gets everything from 300 on (602 events in one block) when the sink tries again at 9 s.
TEST(FlumePushTest, AWorkerCrashLosesTheLumpInTheBlockGeneratorsBuffer) {
  const Outcome outcome = RunFlumePush(Crash::kWorker, 3100, false);
  EXPECT_EQ(outcome.lost, "200-299");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 1905);
  EXPECT_EQ(outcome.source, "failed calls=0 rolled back=0");
}

// The write-ahead log keeps blocks, not the buffer: the same lump is lost.
TEST(FlumePushTest, WithTheLogAWorkerCrashStillLosesTheBufferedLump) {
  const Outcome outcome = RunFlumePush(Crash::kWorker, 3100, true);
  EXPECT_EQ(outcome.lost, "200-299");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 1904);
}

// A receiver task that dies drops its buffer too; the relaunch (2 s later) gets the rest.
TEST(FlumePushTest, AReceiverCrashLosesTheBufferedLump) {
  const Outcome outcome = RunFlumePush(Crash::kReceiver, 3100, false);
  EXPECT_EQ(outcome.lost, "200-299");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 1904);
  EXPECT_EQ(outcome.source, "failed calls=0 rolled back=0");
}

TEST(FlumePushTest, WithTheLogAReceiverCrashStillLosesTheBufferedLump) {
  const Outcome outcome = RunFlumePush(Crash::kReceiver, 3100, true);
  EXPECT_EQ(outcome.lost, "200-299");
  EXPECT_EQ(outcome.duplicated, "none");
}

// Spark's "buffered data lost; past data lost": the lump of 5 s (401-500) was buffered, and the
// block of batch 5 (300-400, cut at 4.2 s) lived only in the executors' memory — batch 5 completed
// before the crash, but its state was not yet in a data checkpoint (every 2 s), so the restarted
// driver must recompute it from that block, which is gone.
TEST(FlumePushTest, WithoutTheLogADriverCrashLosesTheBufferAndThePastBlock) {
  const Outcome outcome = RunFlumePush(Crash::kDriver, 5100, false);
  EXPECT_EQ(outcome.lost, "300-500");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 1904);
  EXPECT_EQ(outcome.source, "failed calls=0 rolled back=0");
}

// With the log the block of batch 5 is read back: only the buffered lump (here 400-500) is lost.
TEST(FlumePushTest, WithTheLogADriverCrashLosesOnlyTheBuffer) {
  const Outcome outcome = RunFlumePush(Crash::kDriver, 5100, true);
  EXPECT_EQ(outcome.lost, "400-500");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 1904);
}

}  // namespace
}  // namespace streamsim::engine
