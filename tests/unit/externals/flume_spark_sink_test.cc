// Tests of Flume's pull approach, the agent side (externals/flume_spark_sink.cc): batches handed
// out in transactions, the wait for events in an empty channel, the error batch, and how an ack, a
// nack, the transaction timeout and a crash of the agent end a transaction. The tests call the
// sink's RPCs directly, as the messages of a poller would.
#include "externals/flume_spark_sink.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace streamsim::externals {
namespace {

std::vector<int64_t> Sequences(const std::vector<protocols::FlumeEvent>& events) {
  std::vector<int64_t> sequences;
  for (const protocols::FlumeEvent& event : events) sequences.push_back(event.sequence);
  return sequences;
}

std::vector<int64_t> Range(int64_t from, int64_t to) {  // [from, to)
  std::vector<int64_t> range;
  for (int64_t k = from; k < to; ++k) range.push_back(k);
  return range;
}

struct Answer {
  int64_t at_us;
  protocols::FlumeEventBatch batch;
};

class FlumeSparkSinkTest : public ::testing::Test {
 protected:
  // An agent receiving `rate` events a second (event k at (k + 1) / rate) and its SparkSink.
  void MakeAgent(double rate = 100) {
    externals::FlumeAgentConfig config;
    config.source_name = "clicks";
    config.rate_per_second = rate;
    config.generator.kind = "log_lines";
    agent_ = std::make_unique<externals::FlumeAgent>(&world_, config);
    sink_ = std::make_unique<externals::FlumeSparkSink>(&world_, agent_.get(),
                                                        externals::FlumeSparkSinkConfig{});
    world_.trace().SetSink([this](std::string_view line) { trace_.emplace_back(line); });
    world_.Start(agent_->node());
  }
  // Polls at `us` (simulated time) for up to `max` events; the answer lands in `answers_`.
  void PollAt(int64_t us, int64_t max) {
    world_.ScheduleGlobal(sim::Duration::Micros(us - world_.Now().us), [this, max]() {
      sink_->GetEventBatch(max, [this](protocols::FlumeEventBatch batch) {
        answers_.push_back(Answer{world_.Now().us, std::move(batch)});
      });
    });
  }
  void At(int64_t us, std::function<void()> action) {
    world_.ScheduleGlobal(sim::Duration::Micros(us - world_.Now().us), std::move(action));
  }
  void RunUntilMs(int64_t ms) { world_.loop().RunUntil(sim::Instant{ms * 1000}); }
  bool Traced(const std::string& text) const {
    for (const std::string& line : trace_) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }

  sim::World world_{1};
  std::unique_ptr<externals::FlumeAgent> agent_;
  std::unique_ptr<externals::FlumeSparkSink> sink_;
  std::vector<Answer> answers_;
  std::vector<std::string> trace_;
};

TEST_F(FlumeSparkSinkTest, ABatchHoldsAtMostMaxBatchSizeEventsUntilItsAck) {
  MakeAgent();
  PollAt(500500, 30);
  RunUntilMs(600);
  ASSERT_EQ(answers_.size(), 1u);
  const protocols::FlumeEventBatch& batch = answers_[0].batch;
  EXPECT_EQ(batch.error, "");
  EXPECT_EQ(Sequences(batch.events), Range(0, 30));
  EXPECT_TRUE(agent_->IsOpen(batch.sequence));
  EXPECT_EQ(agent_->events_in_transactions(), 30);
  sink_->Ack(batch.sequence);
  EXPECT_FALSE(agent_->IsOpen(batch.sequence));
  EXPECT_EQ(agent_->events_committed(), 30);
  EXPECT_EQ(sink_->batches_committed(), 1);
  sink_->Ack(batch.sequence);  // a second ack changes nothing
  EXPECT_EQ(sink_->batches_committed(), 1);
}

TEST_F(FlumeSparkSinkTest, AnEmptyChannelIsTriedAgainEveryBackoffInterval) {
  MakeAgent(/*rate=*/2);  // event 0 at 0.5 s, event 1 at 1 s
  PollAt(100000, 1000);
  RunUntilMs(2000);
  // Tries at 0.1, 0.3 and 0.5 s find nothing (the source's tick at 0.5 s comes later); the try
  // at 0.7 s takes event 0.
  ASSERT_EQ(answers_.size(), 1u);
  EXPECT_EQ(answers_[0].at_us, 700000);
  EXPECT_EQ(Sequences(answers_[0].batch.events), Range(0, 1));
}

TEST_F(FlumeSparkSinkTest, AfterMaxBatchSizeEmptyTriesTheAnswerIsAnErrorBatch) {
  MakeAgent(/*rate=*/0.1);  // event 0 at 10 s
  PollAt(0, 3);
  RunUntilMs(2000);
  ASSERT_EQ(answers_.size(), 1u);
  EXPECT_EQ(answers_[0].at_us, 400000);  // tries at 0, 0.2 and 0.4 s
  EXPECT_EQ(answers_[0].batch.error,
            "Tried several times, but did not get any events from the channel!");
  EXPECT_TRUE(answers_[0].batch.events.empty());
  EXPECT_EQ(agent_->events_in_transactions(), 0);
}

TEST_F(FlumeSparkSinkTest, ANackRollsTheBatchBackAndItsEventsComeAgain) {
  MakeAgent();
  PollAt(500500, 20);
  At(501000, [this]() { sink_->Nack(answers_.at(0).batch.sequence); });
  PollAt(502000, 30);
  RunUntilMs(600);
  ASSERT_EQ(answers_.size(), 2u);
  EXPECT_EQ(Sequences(answers_[1].batch.events), Range(0, 30));
  EXPECT_EQ(sink_->batches_nacked(), 1);
  EXPECT_EQ(agent_->events_rolled_back(), 20);
  EXPECT_TRUE(Traced("sink flume/clicks batch 1 nacked; rolled back"));
}

TEST_F(FlumeSparkSinkTest, ABatchNotAckedWithinTheTimeoutRollsBackAndALateAckDoesNothing) {
  MakeAgent();
  PollAt(500500, 10);
  RunUntilMs(15500);
  EXPECT_TRUE(agent_->IsOpen(answers_.at(0).batch.sequence));
  RunUntilMs(15501);  // 15 s after the batch was handed out
  EXPECT_FALSE(agent_->IsOpen(answers_.at(0).batch.sequence));
  EXPECT_EQ(sink_->batches_timed_out(), 1);
  EXPECT_TRUE(
      Traced("15500500 flume sink flume/clicks batch 1: Spark was unable to successfully "
             "process the events. Transaction is being rolled back."));
  // The receiver stored them after all: its late ack commits nothing, and the events are handed
  // out again (they will be stored twice).
  sink_->Ack(answers_.at(0).batch.sequence);
  EXPECT_EQ(sink_->batches_committed(), 0);
  PollAt(15600000, 5);
  RunUntilMs(15700);
  EXPECT_EQ(Sequences(answers_.at(1).batch.events), Range(0, 5));
}

TEST_F(FlumeSparkSinkTest, ACrashOfTheAgentRollsBackWhatWasHandedOutAndForgetsItsTimeouts) {
  MakeAgent();
  PollAt(500500, 10);
  At(600000, [this]() { world_.Crash(agent_->node()); });
  At(700000, [this]() { world_.Start(agent_->node()); });
  PollAt(800000, 15);
  RunUntilMs(20000);
  ASSERT_EQ(answers_.size(), 2u);
  // The batch of the first life comes again, first; an ack of it now commits nothing.
  EXPECT_EQ(Sequences(answers_[1].batch.events), Range(0, 15));
  sink_->Ack(answers_[0].batch.sequence);
  EXPECT_EQ(sink_->batches_committed(), 0);
  // Only the second batch timed out; the first one's timer died with the agent.
  EXPECT_EQ(sink_->batches_timed_out(), 1);
  // Events 59-69 fell due while the agent was down (the crash at 0.6 s comes before the source's
  // tick of 0.6 s).
  EXPECT_EQ(agent_->events_not_produced(), 11);
}

}  // namespace
}  // namespace streamsim::externals
