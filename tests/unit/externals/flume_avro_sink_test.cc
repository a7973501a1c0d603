// Tests of Flume's push approach, the agent side (externals/flume_avro_sink.cc): the Avro sink's
// calls to a receiver's server, the commit on its answer, a full channel while no receiver is
// there, and what a closed server, a crashed receiver node and a crashed agent do to the events.
// The receiver here is a bare node that records what its server got; every message takes exactly
// 1 ms, so the times below are exact.
#include "externals/flume_avro_sink.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamsim::externals {
namespace {

// The sequence numbers the generator writes at the start of log_lines lines.
int64_t SequenceOf(const records::Value& line) { return std::stoll(line.AsString()); }

struct Delivery {
  int64_t at_us;
  std::vector<int64_t> sequences;
};

class FlumeAvroSinkTest : public ::testing::Test {
 protected:
  FlumeAvroSinkTest() {
    sim::LinkConfig link;
    link.latency = {sim::Duration::Millis(1), sim::Duration::Millis(1), sim::Duration::Millis(1)};
    link.bandwidth_bytes_per_second = 0;
    world_.network().SetDefaultLink(link);
    receiver_ = world_.AddNode("worker/0");
  }

  // An agent receiving 100 events a second (event k at (k + 1) x 10 ms) and its sink.
  void MakeAgent(int64_t capacity = 1000000) {
    externals::FlumeAgentConfig config;
    config.source_name = "clicks";
    config.rate_per_second = 100;
    config.channel_capacity = capacity;
    config.generator.kind = "log_lines";
    agent_ = std::make_unique<externals::FlumeAgent>(&world_, config);
    sink_ = std::make_unique<externals::FlumeAvroSink>(&world_, agent_.get(),
                                                       externals::FlumeAvroSinkConfig{});
  }
  // The receiver's server opens: what it gets is recorded in `deliveries_` (per connection).
  void Connect() {
    const size_t connection = connections_++;
    sink_->Connect(receiver_,
                   [this, connection](records::Values events, ledger::RecordIds /*ids*/) {
                     Delivery delivery{world_.Now().us, {}};
                     for (const records::Value& event : events)
                       delivery.sequences.push_back(SequenceOf(event));
                     deliveries_.resize(connections_);
                     deliveries_[connection].push_back(delivery);
                   });
  }
  void At(int64_t us, std::function<void()> action) {
    world_.ScheduleGlobal(sim::Duration::Micros(us - world_.Now().us), std::move(action));
  }
  // Starts the receiver's node (its server connects unless `connect` is false), then the agent.
  void StartAll(bool connect = true) {
    world_.Start(receiver_);
    if (connect) Connect();
    world_.Start(agent_->node());
  }
  void RunUntilMs(int64_t ms) { world_.loop().RunUntil(sim::Instant{ms * 1000}); }
  // Every sequence number a connection received, in order.
  std::vector<int64_t> Received(size_t connection) const {
    std::vector<int64_t> all;
    if (connection >= deliveries_.size()) return all;
    for (const Delivery& delivery : deliveries_[connection]) {
      all.insert(all.end(), delivery.sequences.begin(), delivery.sequences.end());
    }
    return all;
  }

  sim::World world_{1};
  sim::NodeId receiver_;
  std::unique_ptr<externals::FlumeAgent> agent_;
  std::unique_ptr<externals::FlumeAvroSink> sink_;
  size_t connections_ = 0;
  std::vector<std::vector<Delivery>> deliveries_;
};

std::vector<int64_t> Range(int64_t from, int64_t to) {  // [from, to)
  std::vector<int64_t> range;
  for (int64_t k = from; k < to; ++k) range.push_back(k);
  return range;
}

std::vector<int64_t> Concat(std::vector<int64_t> a, const std::vector<int64_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(FlumeAvroSinkTest, TheSinkPushesBatchesAndCommitsOnTheServersAnswer) {
  MakeAgent();
  StartAll();
  RunUntilMs(2500);
  // At 0 the channel is empty: the runner backs off 1 s. At 1 s (before the source's tick of
  // 1 s) it takes events 0-98 and pushes them; the answer (at 1.002 s) commits, and the runner
  // goes on at once with event 99; then the channel is empty again for a second.
  ASSERT_EQ(deliveries_.size(), 1u);
  const std::vector<Delivery>& got = deliveries_[0];
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].at_us, 1001000);
  EXPECT_EQ(got[0].sequences, Range(0, 99));
  EXPECT_EQ(got[1].at_us, 1003000);
  EXPECT_EQ(got[1].sequences, Range(99, 100));
  EXPECT_EQ(got[2].at_us, 2005000);
  EXPECT_EQ(got[2].sequences, Range(100, 200));
  EXPECT_EQ(sink_->calls_succeeded(), 3);
  EXPECT_EQ(sink_->calls_failed(), 0);
  EXPECT_EQ(sink_->events_pushed(), 200);
  EXPECT_EQ(agent_->events_committed(), 200);
  EXPECT_EQ(agent_->channel_size(), 50);  // events 200-249
  EXPECT_EQ(agent_->events_in_transactions(), 0);
}

TEST_F(FlumeAvroSinkTest, WithoutAReceiverEventsWaitInTheChannelAndWhatOverflowsIsDropped) {
  MakeAgent(/*capacity=*/300);
  StartAll(/*connect=*/false);
  At(3000000, [this]() { Connect(); });
  RunUntilMs(6500);
  // The sink finds no server at 0 and retries after its longest backoff, 5 s. Meanwhile events
  // 0-299 fill the channel and 300-499 are dropped. From 5 s the sink pushes 0-299 in three
  // calls; 500-599 come a second later.
  EXPECT_EQ(agent_->events_dropped(), 200);
  EXPECT_EQ(Received(0), Concat(Range(0, 300), Range(500, 600)));
  ASSERT_EQ(deliveries_[0].size(), 4u);
  EXPECT_EQ(deliveries_[0][0].at_us, 5001000);
  EXPECT_EQ(deliveries_[0][3].at_us, 6007000);
}

TEST_F(FlumeAvroSinkTest, ACallToAClosedServerFailsAndItsEventsArePushedAgain) {
  MakeAgent();
  StartAll();
  // The receiver stops just after the sink sent events 0-98 (at 1 s); a new one starts at 3 s.
  At(1000500, [this]() { sink_->Disconnect(); });
  At(3000000, [this]() { Connect(); });
  RunUntilMs(7500);
  // The closed server refuses the call (answer at 1.002 s): rolled back. After 5 s of backoff
  // the sink pushes everything, from event 0, to the new server: nothing lost, nothing twice.
  EXPECT_EQ(sink_->calls_failed(), 1);
  EXPECT_EQ(Received(0), std::vector<int64_t>{});
  EXPECT_EQ(deliveries_[1].front().at_us, 6003000);
  EXPECT_EQ(Received(1), Range(0, 701));
  EXPECT_EQ(agent_->events_rolled_back(), 99);
}

TEST_F(FlumeAvroSinkTest, ACallLostWithTheReceiversNodeTimesOutAndIsPushedAgain) {
  MakeAgent();
  StartAll();
  // The receiver's node crashes with the call on its way; it is back at 2 s and its new server
  // connects then.
  At(1000500, [this]() { world_.Crash(receiver_); });
  At(2000000, [this]() {
    world_.Start(receiver_);
    Connect();
  });
  RunUntilMs(26500);
  // No answer: the call times out after 20 s (at 21 s), the runner backs off 5 s, and at 26 s
  // pushes from event 0 again.
  EXPECT_EQ(sink_->calls_failed(), 1);
  EXPECT_EQ(Received(0), std::vector<int64_t>{});
  ASSERT_FALSE(deliveries_[1].empty());
  EXPECT_EQ(deliveries_[1].front().at_us, 26001000);
  EXPECT_EQ(deliveries_[1].front().sequences, Range(0, 100));
}

TEST_F(FlumeAvroSinkTest, AnAnswerLostWithTheAgentPushesTheSameEventsTwice) {
  MakeAgent();
  StartAll();
  // The server got events 0-98 at 1.001 s; the agent crashes before the answer arrives (1.002 s)
  // and is back at 1.5 s.
  At(1001500, [this]() { world_.Crash(agent_->node()); });
  At(1500000, [this]() { world_.Start(agent_->node()); });
  RunUntilMs(1600);
  // The file channel rolled the take back: at its restart the sink pushes 0-99 at once. Events
  // 0-98 reach the receiver twice; 100-149 fell due while the agent was down and never existed.
  EXPECT_EQ(Received(0), Concat(Range(0, 99), Range(0, 100)));
  EXPECT_EQ(deliveries_[0][1].at_us, 1501000);
  EXPECT_EQ(agent_->events_not_produced(), 50);
  EXPECT_EQ(agent_->events_rolled_back(), 99);
}

}  // namespace
}  // namespace streamsim::externals
