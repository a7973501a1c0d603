// Tests faults/network_faults: the FaultyNetwork decorator delays and loses messages only inside
// its window, keeps each link FIFO, leaves messages to self alone and forwards partitions.
#include "faults/network_faults.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace streamsim::faults {
namespace {

sim::LinkConfig ConstantLink(sim::Duration latency) {
  sim::LinkConfig config;
  config.latency = sim::LatencyDistribution{latency, latency, latency};
  config.bandwidth_bytes_per_second = 0;
  return config;
}

class FaultyNetworkTest : public ::testing::Test {
 protected:
  FaultyNetworkTest() : world_(7) {
    a_ = world_.AddNode("a");
    b_ = world_.AddNode("b");
    world_.Start(a_);
    world_.Start(b_);
    world_.network().SetDefaultLink(ConstantLink(sim::Duration::Millis(3)));
    faulty_ = &InstallFaultyNetwork(world_);
  }

  void Send(sim::NodeId from, sim::NodeId to, std::string label) {
    world_.network().Send(sim::Message{from, to, 10, "msg", [this, label = std::move(label)] {
                                         delivered_.emplace_back(label, world_.Now().us / 1000);
                                       }});
  }
  void RunUntilMs(int64_t ms) { world_.loop().RunUntil(sim::Instant{ms * 1000}); }

  sim::World world_;
  sim::NodeId a_, b_;
  FaultyNetwork* faulty_ = nullptr;
  std::vector<std::pair<std::string, int64_t>> delivered_;
};

using Delivered = std::vector<std::pair<std::string, int64_t>>;

TEST_F(FaultyNetworkTest, InstallingTwiceReturnsTheSameDecorator) {
  EXPECT_EQ(&InstallFaultyNetwork(world_), faulty_);
  EXPECT_EQ(&world_.network(), faulty_);
}

TEST_F(FaultyNetworkTest, ExtraLatencyAppliesOnlyInsideTheWindow) {
  faulty_->Impair(0.0, sim::Duration::Millis(50), sim::Instant{100000});
  Send(a_, b_, "inside");
  RunUntilMs(100);
  Send(a_, b_, "after");
  RunUntilMs(300);
  EXPECT_EQ(delivered_, (Delivered{{"inside", 53}, {"after", 103}}));
  EXPECT_EQ(faulty_->messages_delayed(), 1u);
}

TEST_F(FaultyNetworkTest, OverlappingImpairmentsAddTheirLatency) {
  faulty_->Impair(0.0, sim::Duration::Millis(50), sim::Instant{1000000});
  faulty_->Impair(0.0, sim::Duration::Millis(20), sim::Instant{1000000});
  Send(a_, b_, "m");
  RunUntilMs(500);
  EXPECT_EQ(delivered_, (Delivered{{"m", 73}}));
}

TEST_F(FaultyNetworkTest, ALinkStaysFifoWhenTheImpairmentEnds) {
  faulty_->Impair(0.0, sim::Duration::Millis(50), sim::Instant{10000});
  Send(a_, b_, "slow");
  RunUntilMs(20);
  Send(a_, b_, "behind-it");  // no impairment any more, but it cannot overtake
  Send(b_, a_, "other-link");
  RunUntilMs(300);
  EXPECT_EQ(delivered_, (Delivered{{"other-link", 23}, {"slow", 53}, {"behind-it", 53}}));
}

TEST_F(FaultyNetworkTest, TotalLossDropsEveryMessageAndTracesIt) {
  std::vector<std::string> trace;
  world_.trace().SetSink([&trace](std::string_view line) { trace.emplace_back(line); });
  faulty_->Impair(1.0, sim::Duration{}, sim::Instant{1000000});
  Send(a_, b_, "x");
  Send(b_, a_, "y");
  RunUntilMs(5000);
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(faulty_->messages_lost(), 2u);
  ASSERT_EQ(trace.size(), 3u);
  EXPECT_NE(trace[1].find("drop fault-loss msg a->b"), std::string::npos) << trace[1];
  EXPECT_NE(trace[2].find("drop fault-loss msg b->a"), std::string::npos) << trace[2];
}

TEST_F(FaultyNetworkTest, PartialLossRetransmitsEveryTwoHundredMilliseconds) {
  faulty_->Impair(0.5, sim::Duration{}, sim::Instant{100000000});
  for (int i = 0; i < 200; ++i) Send(a_, b_, std::to_string(i));
  RunUntilMs(100000);
  // Every message arrives after 3 ms plus a whole number of 200 ms retransmission timeouts, in
  // send order (a message waiting for its retransmission holds back the ones behind it); none is
  // dropped, which needs 16 losses in a row.
  ASSERT_EQ(delivered_.size(), 200u);
  EXPECT_EQ(faulty_->messages_lost(), 0u);
  int64_t last = 0;
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(delivered_[i].first, std::to_string(i));
    EXPECT_EQ((delivered_[i].second - 3) % 200, 0) << i;
    EXPECT_GE(delivered_[i].second, last);
    last = delivered_[i].second;
  }
  EXPECT_EQ(delivered_.front().second, 3);
  EXPECT_EQ(delivered_.back().second, 1203);
}

TEST_F(FaultyNetworkTest, MessagesToSelfAreNotImpaired) {
  faulty_->Impair(1.0, sim::Duration::Millis(50), sim::Instant{1000000});
  Send(a_, a_, "self");
  RunUntilMs(10);
  EXPECT_EQ(delivered_, (Delivered{{"self", 0}}));
}

TEST_F(FaultyNetworkTest, AHeldMessageIsLostWhenItsSenderCrashes) {
  faulty_->Impair(0.0, sim::Duration::Millis(50), sim::Instant{1000000});
  Send(a_, b_, "lost");
  RunUntilMs(10);
  world_.Crash(a_);
  RunUntilMs(500);
  EXPECT_TRUE(delivered_.empty());
}

TEST_F(FaultyNetworkTest, ACutHoldsMessagesAcrossItUntilItHealsInOrder) {
  const sim::NodeId c = world_.AddNode("c");
  world_.Start(c);
  faulty_->Cut({{a_}, {b_, c}}, sim::Instant{100000});
  Send(a_, b_, "a->b 1");
  Send(b_, c, "b->c same side");
  RunUntilMs(50);
  Send(a_, b_, "a->b 2");
  Send(c, a_, "c->a");
  RunUntilMs(99);
  EXPECT_EQ(delivered_, (Delivered{{"b->c same side", 3}}));
  RunUntilMs(200);
  EXPECT_EQ(delivered_,
            (Delivered{{"b->c same side", 3}, {"a->b 1", 103}, {"a->b 2", 103}, {"c->a", 103}}));
  Send(a_, b_, "after");
  RunUntilMs(300);
  EXPECT_EQ(delivered_.back(), (std::pair<std::string, int64_t>{"after", 203}));
}

TEST_F(FaultyNetworkTest, AMessageHeldByACutIsLostWhenItsSenderCrashes) {
  faulty_->Cut({{a_}, {b_}}, sim::Instant{100000});
  Send(a_, b_, "lost");
  RunUntilMs(50);
  world_.Crash(a_);
  world_.Start(a_);
  RunUntilMs(500);
  EXPECT_TRUE(delivered_.empty());
}

TEST_F(FaultyNetworkTest, PartitionsAreForwardedToTheWrappedNetwork) {
  const int cut = world_.network().Partition({a_}, {b_});
  EXPECT_FALSE(world_.network().Connected(a_, b_));
  EXPECT_FALSE(faulty_->inner().Connected(a_, b_));
  Send(a_, b_, "cut");
  world_.network().Heal(cut);
  Send(a_, b_, "healed");
  RunUntilMs(100);
  EXPECT_EQ(delivered_, (Delivered{{"healed", 3}}));
}

}  // namespace
}  // namespace streamsim::faults
