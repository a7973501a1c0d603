// Flume's pull approach end to end (FlumeUtils.createPollingStream,
// engine/connectors/flume_polling_source.h): exactly which events a worker crash, a receiver crash
// and a driver crash lose or duplicate, without and with the receiver write-ahead log (the
// application: tests/unit/engine/source_crash_support.h).
//
// The agent receives 100 events a second (event k at (k + 1) x 10 ms). The receiver (worker/0)
// polls SparkSink for up to 1000 events, stores each batch as one block, acks it, and polls again:
// a poll that finds the channel empty waits at the sink (retried every 200 ms), so the blocks are
// about 20 events every 200 ms, each followed by one or two one-event blocks (the events that
// arrived while the previous block was being stored). A batch the receiver never acks goes back
// to the channel after the 15 s transaction timeout. The runs last 30 batches, so that such a
// batch is delivered again before the end.
#include "engine/connectors/flume_polling_source.h"

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

DStream* AddFlumePull(sim::World* world, StreamingContext& context,
                      testing::TestExternals& externals) {
  externals::FlumeAgentConfig agent;
  agent.source_name = "clicks";
  agent.rate_per_second = 100;
  agent.generator.kind = "log_lines";
  return externals.FlumePollingStream(world, context, agent, FlumePollingConfig{});
}

struct PullRun {
  Outcome outcome;
  std::unique_ptr<SourceCrashRun> run;
};

// 30 batches; the source's counters: batches nacked, batches timed out, events rolled back.
PullRun RunFlumePull(Crash crash, int64_t at_ms, bool wal) {
  PullRun pull;
  pull.run = std::make_unique<SourceCrashRun>(testing::Config("clicks", crash, at_ms, wal, 30),
                                              AddFlumePull);
  pull.run->Run();
  const auto& source =
      dynamic_cast<const FlumePollingSource&>(*pull.run->context->receiver_sources().at(0));
  const testing::TestExternals& externals = pull.run->externals;
  pull.outcome = testing::Summarize(
      *pull.run, fmt::format("nacked={} timed out={} rolled back={}", source.batches_nacked(),
                             externals.flume_spark_sinks.at(0)->batches_timed_out(),
                             externals.flume_agents.at(0)->events_rolled_back()));
  return pull;
}

TEST(FlumePullTest, WithoutFaultsEveryEventIsCountedOnce) {
  const Outcome outcome = RunFlumePull(Crash::kNone, 0, false).outcome;
  EXPECT_EQ(outcome.last_batch_ms, 30000);
  EXPECT_EQ(outcome.lost, "none");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 2980);
  EXPECT_EQ(outcome.source, "nacked=0 timed out=0 rolled back=0");
}

// At the crash the receiver was waiting for its next batch. The sink answered it 1.5 ms later with
// one event, to a dead node: that transaction timed out (18.5 s) and its event was handed to the
// receiver relaunched on worker/1. Stored blocks survived on their replica. Nothing lost.
TEST(FlumePullTest, AWorkerCrashLosesNothing) {
  PullRun pull = RunFlumePull(Crash::kWorker, 3500, false);
  EXPECT_EQ(pull.outcome.lost, "none");
  EXPECT_EQ(pull.outcome.duplicated, "none");
  EXPECT_EQ(pull.outcome.counted_up_to, 2989);
  EXPECT_EQ(pull.outcome.source, "nacked=0 timed out=1 rolled back=1");
  EXPECT_TRUE(
      pull.run->Traced("18498934 flume sink flume/clicks batch 61: Spark was unable to "
                       "successfully process the events. Transaction is being rolled "
                       "back."));
}

TEST(FlumePullTest, WithTheLogAWorkerCrashLosesNothing) {
  const Outcome outcome = RunFlumePull(Crash::kWorker, 3500, true).outcome;
  EXPECT_EQ(outcome.lost, "none");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 2981);
  EXPECT_EQ(outcome.source, "nacked=0 timed out=1 rolled back=1");
}

// The receiver was waiting for a batch: nothing to nack; the batch answered to the closed
// connection times out and comes again.
TEST(FlumePullTest, AReceiverCrashLosesNothing) {
  const Outcome outcome = RunFlumePull(Crash::kReceiver, 3500, false).outcome;
  EXPECT_EQ(outcome.lost, "none");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 2997);
  EXPECT_EQ(outcome.source, "nacked=0 timed out=1 rolled back=1");
}

// At-least-once: the one-event batch of event 348 was being written to the log when the receiver
// crashed. The poller nacked it (the agent rolled it back at once and handed it out again after
// the relaunch), but the log write finished and the block was still reported: 348 counts twice.
TEST(FlumePullTest, WithTheLogAReceiverCrashDuplicatesTheBatchBeingStored) {
  PullRun pull = RunFlumePull(Crash::kReceiver, 3500, true);
  EXPECT_EQ(pull.outcome.lost, "none");
  EXPECT_EQ(pull.outcome.duplicated, "348");
  EXPECT_EQ(pull.outcome.counted_up_to, 2996);
  EXPECT_EQ(pull.outcome.source, "nacked=1 timed out=0 rolled back=1");
  EXPECT_TRUE(pull.run->Traced("3500998 flume sink flume/clicks batch 148 nacked; rolled back"));
}

// Spark's "past data lost": the blocks of batch 5 (cut after 4 s, needed to recompute the state
// after the data checkpoint of 4 s) and of batch 6 (cut up to 5.5 s) were acked — the agent
// committed them — and lived only in the executors' memory: events 395-546. The batch the sink
// answered after the crash (547-566) timed out and came again: not lost.
TEST(FlumePullTest, WithoutTheLogADriverCrashLosesTheAckedBlocksInMemory) {
  const Outcome outcome = RunFlumePull(Crash::kDriver, 5500, false).outcome;
  EXPECT_EQ(outcome.lost, "395-546");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 2997);
  EXPECT_EQ(outcome.source, "nacked=0 timed out=1 rolled back=20");
}

TEST(FlumePullTest, WithTheLogADriverCrashLosesNothing) {
  const Outcome outcome = RunFlumePull(Crash::kDriver, 5500, true).outcome;
  EXPECT_EQ(outcome.lost, "none");
  EXPECT_EQ(outcome.duplicated, "none");
  EXPECT_EQ(outcome.counted_up_to, 2999);
  EXPECT_EQ(outcome.source, "nacked=0 timed out=1 rolled back=20");
}

}  // namespace
}  // namespace streamsim::engine
