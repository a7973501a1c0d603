// Tests simulator/network through a World: latency, bandwidth queues, FIFO links, partitions,
// TCP-like loss with retransmission, crash-aware delivery, counters and drop trace lines.
#include "simulator/network.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "simulator/world.h"

namespace streamsim::sim {
namespace {

// A link with a fixed latency and no bandwidth limit or loss, so delivery times are exact.
LinkConfig ConstantLink(Duration latency) {
  LinkConfig config;
  config.latency = LatencyDistribution{latency, latency, latency};
  config.bandwidth_bytes_per_second = 0;
  return config;
}

class NetworkTest : public ::testing::Test {
 protected:
  NetworkTest() : world_(1234) {
    a_ = world_.AddNode("a");
    b_ = world_.AddNode("b");
    c_ = world_.AddNode("c");
    for (NodeId id : {a_, b_, c_}) world_.Start(id);
    world_.trace().SetSink([this](std::string_view line) { trace_.emplace_back(line); });
    network().SetDefaultLink(ConstantLink(Duration::Millis(3)));
  }

  SimNetwork& network() { return dynamic_cast<SimNetwork&>(world_.network()); }

  // Sends a message whose delivery appends (label, delivery time us) to delivered_.
  void Send(NodeId from, NodeId to, std::string label, int64_t bytes = 100) {
    Message message;
    message.from = from;
    message.to = to;
    message.bytes = bytes;
    message.kind = "msg";
    message.deliver = [this, label = std::move(label)] {
      delivered_.emplace_back(label, world_.Now().us);
    };
    network().Send(std::move(message));
  }

  // Runs `fn` at simulated time `at_us` (a world-owned timer).
  void At(int64_t at_us, std::function<void()> fn) {
    world_.ScheduleGlobal(Instant{at_us} - world_.Now(), std::move(fn));
  }

  void RunUntil(int64_t us) { world_.loop().RunUntil(Instant{us}); }

  // Trace lines of category "net", without the trailing newline.
  std::vector<std::string> NetLines() const {
    std::vector<std::string> lines;
    for (const std::string& line : trace_) {
      if (line.find(" net ") != std::string::npos) lines.push_back(line.substr(0, line.size() - 1));
    }
    return lines;
  }

  using Deliveries = std::vector<std::pair<std::string, int64_t>>;

  World world_;
  NodeId a_;
  NodeId b_;
  NodeId c_;
  Deliveries delivered_;
  std::vector<std::string> trace_;
};

TEST_F(NetworkTest, DeliversAfterConstantLatency) {
  Send(a_, b_, "m");
  RunUntil(2999);
  EXPECT_TRUE(delivered_.empty());
  RunUntil(10000);
  EXPECT_EQ(delivered_, (Deliveries{{"m", 3000}}));
  EXPECT_EQ(network().messages_sent(), 1u);
  EXPECT_EQ(network().messages_dropped(), 0u);
  EXPECT_TRUE(NetLines().empty());
}

TEST_F(NetworkTest, LatencyCountsFromTheSendTime) {
  At(5000, [this] { Send(a_, b_, "late"); });
  RunUntil(100000);
  EXPECT_EQ(delivered_, (Deliveries{{"late", 8000}}));
}

TEST_F(NetworkTest, SetLinkOverridesTheDefaultInBothDirections) {
  network().SetLink(b_, a_, ConstantLink(Duration::Millis(7)));
  Send(a_, b_, "a->b");
  Send(b_, a_, "b->a");
  Send(a_, c_, "a->c");
  RunUntil(100000);
  EXPECT_EQ(delivered_, (Deliveries{{"a->c", 3000}, {"a->b", 7000}, {"b->a", 7000}}));
}

TEST_F(NetworkTest, SendToSelfIsImmediateButAsynchronous) {
  bool sent = false;
  At(400, [&] {
    Send(a_, a_, "self", 1000000000);
    sent = true;
    EXPECT_TRUE(delivered_.empty());  // not delivered inside Send
  });
  RunUntil(400);
  EXPECT_TRUE(sent);
  EXPECT_EQ(delivered_, (Deliveries{{"self", 400}}));
}

TEST_F(NetworkTest, TransmissionTimeAddsToLatency) {
  LinkConfig config = ConstantLink(Duration::Millis(1));
  config.bandwidth_bytes_per_second = 1000000;  // 1 byte per microsecond
  network().SetDefaultLink(config);
  Send(a_, b_, "small", 2500);
  RunUntil(100000);
  EXPECT_EQ(delivered_, (Deliveries{{"small", 3500}}));
}

TEST_F(NetworkTest, LargeMessagesQueueBehindEachOtherOnALink) {
  LinkConfig config = ConstantLink(Duration::Millis(1));
  config.bandwidth_bytes_per_second = 1000000;
  network().SetDefaultLink(config);
  Send(a_, b_, "first", 500000);   // on the wire 0 .. 500 ms
  Send(a_, b_, "second", 500000);  // on the wire 500 .. 1000 ms
  Send(b_, a_, "reverse", 0);      // the other direction has its own queue
  Send(a_, c_, "other", 1000);     // so does another link
  RunUntil(10000000);
  EXPECT_EQ(
      delivered_,
      (Deliveries{{"reverse", 1000}, {"other", 2000}, {"first", 501000}, {"second", 1001000}}));
}

TEST_F(NetworkTest, AnIdleLinkStartsTransmittingAtSendTime) {
  LinkConfig config = ConstantLink(Duration::Millis(1));
  config.bandwidth_bytes_per_second = 1000000;
  network().SetDefaultLink(config);
  Send(a_, b_, "first", 500000);
  At(2000000, [this] { Send(a_, b_, "second", 500000); });
  RunUntil(10000000);
  EXPECT_EQ(delivered_, (Deliveries{{"first", 501000}, {"second", 2501000}}));
}

TEST_F(NetworkTest, EstimateTransferIsMeanLatencyPlusTransmission) {
  LinkConfig config;
  config.latency =
      LatencyDistribution{Duration::Micros(500), Duration::Micros(1200), Duration::Millis(5)};
  config.bandwidth_bytes_per_second = 2000000;  // 2 bytes per microsecond
  network().SetLink(a_, b_, config);
  EXPECT_EQ(network().EstimateTransfer(a_, b_, 10000), Duration::Micros(1200 + 5000));
  EXPECT_EQ(network().EstimateTransfer(b_, a_, 0), Duration::Micros(1200));
  EXPECT_EQ(network().EstimateTransfer(a_, c_, 10000), Duration::Millis(3));  // unlimited default
  EXPECT_EQ(network().EstimateTransfer(a_, a_, 10000), Duration{});
}

TEST_F(NetworkTest, LinksAreFifoEvenWithRandomLatency) {
  LinkConfig config;
  config.latency =
      LatencyDistribution{Duration::Micros(100), Duration::Millis(2), Duration::Millis(20)};
  config.bandwidth_bytes_per_second = 0;
  network().SetDefaultLink(config);
  constexpr int kMessages = 300;
  std::map<std::string, int64_t> sent_at_us;
  for (int i = 0; i < kMessages; ++i) {
    const int64_t at_us = i * 50;
    sent_at_us[std::to_string(i)] = at_us;
    At(at_us, [this, i] { Send(a_, b_, std::to_string(i)); });
  }
  RunUntil(10000000);
  ASSERT_EQ(delivered_.size(), static_cast<size_t>(kMessages));
  std::set<int64_t> transit_times_us;
  for (int i = 0; i < kMessages; ++i) {
    const auto& [label, at_us] = delivered_[i];
    ASSERT_EQ(label, std::to_string(i)) << "delivered out of order at position " << i;
    if (i > 0) {
      ASSERT_GE(at_us, delivered_[i - 1].second);
    }
    const int64_t transit_us = at_us - sent_at_us[label];
    EXPECT_GE(transit_us, 100);
    transit_times_us.insert(transit_us);
  }
  // The latencies really were random (else FIFO would hold trivially).
  EXPECT_GT(transit_times_us.size(), 50u);
}

TEST_F(NetworkTest, PartitionDropsMessagesBothWaysAndHealRestores) {
  const int id = network().Partition({a_}, {b_});
  EXPECT_FALSE(network().Connected(a_, b_));
  EXPECT_FALSE(network().Connected(b_, a_));
  EXPECT_TRUE(network().Connected(a_, c_));
  EXPECT_TRUE(network().Connected(b_, c_));
  EXPECT_TRUE(network().Connected(a_, a_));
  Send(a_, b_, "a->b");
  Send(b_, a_, "b->a");
  Send(a_, c_, "a->c");
  RunUntil(10000);
  EXPECT_EQ(delivered_, (Deliveries{{"a->c", 3000}}));
  EXPECT_EQ(network().messages_sent(), 3u);
  EXPECT_EQ(network().messages_dropped(), 2u);

  network().Heal(id);
  EXPECT_TRUE(network().Connected(a_, b_));
  Send(a_, b_, "after-heal");
  RunUntil(20000);
  EXPECT_EQ(delivered_, (Deliveries{{"a->c", 3000}, {"after-heal", 13000}}));
  EXPECT_EQ(NetLines(),
            (std::vector<std::string>{"0 net partition 1", "0 net drop partition msg a->b",
                                      "0 net drop partition msg b->a", "10000 net heal 1"}));
}

TEST_F(NetworkTest, PartitionSidesMayHoldSeveralNodes) {
  network().Partition({a_, c_}, {b_});
  EXPECT_FALSE(network().Connected(a_, b_));
  EXPECT_FALSE(network().Connected(c_, b_));
  EXPECT_TRUE(network().Connected(a_, c_));  // same side
}

TEST_F(NetworkTest, OverlappingPartitionsMustAllBeHealed) {
  const int first = network().Partition({a_}, {b_});
  const int second = network().Partition({b_}, {a_, c_});
  EXPECT_NE(first, second);
  network().Heal(first);
  EXPECT_FALSE(network().Connected(a_, b_));
  network().Heal(second);
  EXPECT_TRUE(network().Connected(a_, b_));
  EXPECT_TRUE(network().Connected(b_, c_));
}

TEST_F(NetworkTest, HealOfAnUnknownPartitionDoesNothing) {
  network().Heal(42);
  EXPECT_TRUE(NetLines().empty());
  const int id = network().Partition({a_}, {b_});
  network().Heal(id);
  network().Heal(id);  // the second heal is not traced
  EXPECT_EQ(NetLines(), (std::vector<std::string>{"0 net partition 1", "0 net heal 1"}));
}

TEST_F(NetworkTest, MessageInFlightWhenAPartitionStartsIsDropped) {
  network().SetDefaultLink(ConstantLink(Duration::Millis(10)));
  Send(a_, b_, "in-flight");
  At(5000, [this] { network().Partition({a_}, {b_}); });
  RunUntil(100000);
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(network().messages_dropped(), 1u);
  EXPECT_EQ(NetLines(), (std::vector<std::string>{"5000 net partition 1",
                                                  "10000 net drop partition msg a->b"}));
}

// The partition was healed before the message arrived, but the message was on the wire while the
// link was cut, so it is lost all the same.
TEST_F(NetworkTest, MessageInFlightDuringAShortPartitionIsDropped) {
  network().SetDefaultLink(ConstantLink(Duration::Millis(10)));
  Send(a_, b_, "in-flight");
  Send(b_, a_, "in-flight-back");
  Send(a_, c_, "other-link");
  At(5000, [this] {
    const int id = network().Partition({a_}, {b_});
    At(6000, [this, id] { network().Heal(id); });
  });
  RunUntil(100000);
  EXPECT_EQ(delivered_, (Deliveries{{"other-link", 10000}}));
  EXPECT_EQ(network().messages_dropped(), 2u);
}

TEST_F(NetworkTest, APartitionThatEndedBeforeTheSendDoesNotAffectIt) {
  network().Heal(network().Partition({a_}, {b_}));
  Send(a_, b_, "m");
  RunUntil(100000);
  EXPECT_EQ(delivered_, (Deliveries{{"m", 3000}}));
}

TEST_F(NetworkTest, TotalLossDropsAfterEveryRetransmissionIsLost) {
  LinkConfig config = ConstantLink(Duration::Millis(1));
  config.loss = 1.0;
  network().SetLink(a_, b_, config);
  Send(a_, b_, "doomed");
  Send(a_, c_, "fine");
  RunUntil(100000000);
  EXPECT_EQ(delivered_, (Deliveries{{"fine", 3000}}));
  EXPECT_EQ(network().messages_sent(), 2u);
  EXPECT_EQ(network().messages_dropped(), 1u);
  EXPECT_EQ(NetLines(), (std::vector<std::string>{"0 net drop loss msg a->b"}));
}

TEST_F(NetworkTest, TotalLossWithoutRetransmitsDrops) {
  LinkConfig config = ConstantLink(Duration::Millis(1));
  config.loss = 1.0;
  config.retransmits_max = 0;
  network().SetDefaultLink(config);
  Send(a_, b_, "doomed");
  RunUntil(100000000);
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(network().messages_dropped(), 1u);
}

// With loss 0.5 each transmission is lost half the time: a message arrives after its latency plus
// one retransmit timeout per lost attempt, or is dropped when all six attempts (1 + 5 retransmits)
// are lost. Messages are spaced far apart so that FIFO ordering adds no delay of its own.
TEST_F(NetworkTest, PartialLossDelaysSomeMessagesByRetransmitTimeouts) {
  LinkConfig config = ConstantLink(Duration::Millis(1));
  config.loss = 0.5;
  config.retransmit_timeout = Duration::Millis(200);
  config.retransmits_max = 5;
  network().SetDefaultLink(config);
  constexpr int kMessages = 400;
  constexpr int64_t kSpacingUs = 10000000;
  for (int i = 0; i < kMessages; ++i) {
    At(i * kSpacingUs, [this, i] { Send(a_, b_, std::to_string(i)); });
  }
  RunUntil(kMessages * kSpacingUs);
  std::map<int64_t, int> by_retransmits;
  for (const auto& [label, at_us] : delivered_) {
    const int64_t transit_us = at_us - std::stoll(label) * kSpacingUs;
    ASSERT_EQ((transit_us - 1000) % 200000, 0) << "transit " << transit_us;
    const int64_t retransmits = (transit_us - 1000) / 200000;
    ASSERT_GE(retransmits, 0);
    ASSERT_LE(retransmits, 5);
    ++by_retransmits[retransmits];
  }
  const uint64_t dropped = network().messages_dropped();
  EXPECT_EQ(delivered_.size() + dropped, static_cast<size_t>(kMessages));
  // Expected 200 on the first attempt (sd 10), 100 after one retransmit, 6.25 dropped.
  EXPECT_GT(by_retransmits[0], 160);
  EXPECT_LT(by_retransmits[0], 240);
  EXPECT_GT(by_retransmits[1], 70);
  EXPECT_LT(by_retransmits[1], 130);
  EXPECT_GT(by_retransmits[2] + by_retransmits[3] + by_retransmits[4] + by_retransmits[5], 60);
  EXPECT_LT(dropped, 20u);
  EXPECT_EQ(NetLines().size(), dropped);
}

TEST_F(NetworkTest, RetransmissionDelayHoldsBackLaterMessagesOnTheLink) {
  // With loss 0.5 some of the 20 sends lose their first attempt; FIFO holds every later message on
  // the link back behind such a retransmission, so order is kept and the last arrives late.
  LinkConfig config = ConstantLink(Duration::Millis(1));
  config.loss = 0.5;
  config.retransmits_max = 100;
  network().SetDefaultLink(config);
  for (int i = 0; i < 20; ++i) Send(a_, b_, std::to_string(i));
  RunUntil(100000000);
  ASSERT_EQ(delivered_.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(delivered_[i].first, std::to_string(i));
    if (i > 0) {
      EXPECT_GE(delivered_[i].second, delivered_[i - 1].second);
    }
  }
  EXPECT_GT(delivered_.back().second, 1000);
}

TEST_F(NetworkTest, MessageToADownNodeIsDropped) {
  world_.Crash(b_);
  trace_.clear();
  Send(a_, b_, "to-down");
  RunUntil(100000);
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(network().messages_dropped(), 1u);
  EXPECT_EQ(NetLines(), (std::vector<std::string>{"3000 net drop receiver-down msg a->b"}));
}

TEST_F(NetworkTest, MessageToANodeThatCrashesBeforeDeliveryIsDropped) {
  Send(a_, b_, "m");
  At(1000, [this] { world_.Crash(b_); });
  RunUntil(100000);
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(NetLines(), (std::vector<std::string>{"3000 net drop receiver-down msg a->b"}));
}

TEST_F(NetworkTest, MessageToANodeThatRestartsBeforeDeliveryIsDropped) {
  Send(a_, b_, "for-the-old-life");
  At(1000, [this] { world_.Crash(b_); });
  At(2000, [this] { world_.Restart(b_); });
  RunUntil(100000);
  EXPECT_TRUE(world_.IsUp(b_));
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(network().messages_dropped(), 1u);
}

TEST_F(NetworkTest, MessageSentToADownNodeIsDroppedEvenIfItStartsBeforeDelivery) {
  world_.Crash(b_);
  Send(a_, b_, "m");
  At(1000, [this] { world_.Restart(b_); });
  RunUntil(100000);
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(network().messages_dropped(), 1u);
}

TEST_F(NetworkTest, MessageFromANodeThatCrashesBeforeDeliveryIsDropped) {
  Send(a_, b_, "orphan");
  At(1000, [this] { world_.Crash(a_); });
  At(2000, [this] { world_.Restart(a_); });
  RunUntil(100000);
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(network().messages_dropped(), 1u);
  EXPECT_EQ(NetLines(), (std::vector<std::string>{"3000 net drop sender-crashed msg a->b"}));
}

TEST_F(NetworkTest, MessageFromADownNodeIsDroppedAtOnce) {
  world_.Crash(a_);
  trace_.clear();
  Send(a_, b_, "ghost");
  EXPECT_EQ(network().messages_sent(), 1u);
  EXPECT_EQ(network().messages_dropped(), 1u);
  EXPECT_EQ(NetLines(), (std::vector<std::string>{"0 net drop sender-down msg a->b"}));
  RunUntil(100000);
  EXPECT_TRUE(delivered_.empty());
}

TEST_F(NetworkTest, CrashOfAnUnrelatedNodeDoesNotDisturbDelivery) {
  Send(a_, b_, "m");
  At(1000, [this] { world_.Crash(c_); });
  RunUntil(100000);
  EXPECT_EQ(delivered_, (Deliveries{{"m", 3000}}));
}

TEST_F(NetworkTest, MessagesAfterARestartAreDelivered) {
  world_.Crash(b_);
  world_.Restart(b_);
  Send(a_, b_, "m");
  RunUntil(100000);
  EXPECT_EQ(delivered_, (Deliveries{{"m", 3000}}));
}

// Runs the same random traffic in a fresh world and returns the delivery times.
std::vector<int64_t> RandomTrafficDeliveries(uint64_t seed) {
  World world(seed);
  const NodeId a = world.AddNode("a");
  const NodeId b = world.AddNode("b");
  world.Start(a);
  world.Start(b);
  LinkConfig config;
  config.loss = 0.2;
  world.network().SetDefaultLink(config);
  std::vector<int64_t> times_us;
  for (int i = 0; i < 50; ++i) {
    Message message{a, b, 1000 * i, "m",
                    [&world, &times_us] { times_us.push_back(world.Now().us); }};
    world.network().Send(std::move(message));
  }
  world.loop().RunUntil(Instant{100000000});
  return times_us;
}

TEST(NetworkDeterminismTest, SameSeedSameDeliveriesDifferentSeedDifferentDeliveries) {
  const std::vector<int64_t> first = RandomTrafficDeliveries(77);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(RandomTrafficDeliveries(77), first);
  EXPECT_NE(RandomTrafficDeliveries(78), first);
}

}  // namespace
}  // namespace streamsim::sim
