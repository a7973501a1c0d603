// Tests World::Pause, the stop-the-world pause of one node: its timers and the messages delivered
// to it wait, in order, until the pause ends; other nodes run on; a crash drops what waited.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "simulator/world.h"

namespace streamsim::sim {
namespace {

LinkConfig ConstantLink(Duration latency) {
  LinkConfig config;
  config.latency = LatencyDistribution{latency, latency, latency};
  config.bandwidth_bytes_per_second = 0;
  return config;
}

class PauseTest : public ::testing::Test {
 protected:
  PauseTest() : world_(99) {
    a_ = world_.AddNode("a");
    b_ = world_.AddNode("b");
    world_.Start(a_);
    world_.Start(b_);
    world_.network().SetDefaultLink(ConstantLink(Duration::Millis(3)));
  }

  // Schedules a timer on `node` that logs (label, time in ms) when it runs.
  void Timer(NodeId node, int64_t at_ms, std::string label) {
    world_.Schedule(
        node, Duration::Millis(at_ms) - (world_.Now() - Instant::Zero()),
        [this, label = std::move(label)] { ran_.emplace_back(label, world_.Now().us / 1000); });
  }

  void Send(NodeId from, NodeId to, std::string label) {
    world_.network().Send(Message{from, to, 10, "msg", [this, label = std::move(label)] {
                                    ran_.emplace_back(label, world_.Now().us / 1000);
                                  }});
  }

  void RunUntilMs(int64_t ms) { world_.loop().RunUntil(Instant{ms * 1000}); }

  World world_;
  NodeId a_, b_;
  std::vector<std::pair<std::string, int64_t>> ran_;
};

using Ran = std::vector<std::pair<std::string, int64_t>>;

TEST_F(PauseTest, TimersFallingDueDuringThePauseRunInOrderWhenItEnds) {
  Timer(a_, 100, "a1");
  Timer(a_, 300, "a2");
  Timer(a_, 200, "a3");
  Timer(a_, 900, "a4");
  Timer(b_, 200, "b1");
  world_.loop().RunUntil(Instant{50000});
  world_.Pause(a_, Duration::Millis(500));
  EXPECT_TRUE(world_.IsPaused(a_));
  EXPECT_FALSE(world_.IsPaused(b_));
  EXPECT_TRUE(world_.IsUp(a_));
  RunUntilMs(1000);
  EXPECT_EQ(ran_, (Ran{{"b1", 200}, {"a1", 550}, {"a3", 550}, {"a2", 550}, {"a4", 900}}));
  EXPECT_FALSE(world_.IsPaused(a_));
}

TEST_F(PauseTest, MessagesToAPausedNodeAreDeliveredInOrderWhenItResumes) {
  world_.Pause(b_, Duration::Millis(100));
  Send(a_, b_, "m1");
  Send(a_, b_, "m2");
  Send(b_, a_, "reply-from-paused");  // sent by code outside b: the network still carries it
  RunUntilMs(200);
  EXPECT_EQ(ran_, (Ran{{"reply-from-paused", 3}, {"m1", 100}, {"m2", 100}}));
}

TEST_F(PauseTest, AnOverlappingPauseExtendsTheFirst) {
  Timer(a_, 150, "t");
  world_.Pause(a_, Duration::Millis(100));
  RunUntilMs(50);
  world_.Pause(a_, Duration::Millis(200));  // now until 250 ms
  RunUntilMs(120);
  EXPECT_TRUE(world_.IsPaused(a_));
  world_.Pause(a_, Duration::Millis(10));  // shorter than what is left: no change
  RunUntilMs(400);
  EXPECT_EQ(ran_, (Ran{{"t", 250}}));
}

TEST_F(PauseTest, ACrashDuringThePauseDropsWhatWaitedAndEndsThePause) {
  Timer(a_, 100, "lost");
  Send(b_, a_, "lost-message");
  world_.Pause(a_, Duration::Millis(500));
  RunUntilMs(200);
  world_.Crash(a_);
  world_.Start(a_);
  EXPECT_FALSE(world_.IsPaused(a_));
  Timer(a_, 300, "after-restart");
  RunUntilMs(1000);
  EXPECT_EQ(ran_, (Ran{{"after-restart", 300}}));
}

TEST_F(PauseTest, PausingADownNodeOrForNoTimeDoesNothing) {
  world_.Crash(b_);
  world_.Pause(b_, Duration::Millis(100));
  EXPECT_FALSE(world_.IsPaused(b_));
  world_.Pause(a_, Duration{});
  EXPECT_FALSE(world_.IsPaused(a_));
}

TEST_F(PauseTest, PauseAndResumeAreTraced) {
  std::vector<std::string> trace;
  world_.trace().SetSink([&trace](std::string_view line) { trace.emplace_back(line); });
  world_.Pause(a_, Duration::Millis(1500));
  RunUntilMs(2000);
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_NE(trace[0].find("pause a until 1.5s"), std::string::npos) << trace[0];
  EXPECT_NE(trace[1].find("resume a"), std::string::npos) << trace[1];
}

// A timer that fell due during the pause and waits for the resume is still cancellable: a receiver
// stopped during its executor's pause must not cut a block when the pause ends (found by the
// random fault soak, seed 16).
TEST_F(PauseTest, ATimerCancelledWhileItWaitsForTheResumeNeverRuns) {
  const TimerId cancelled = world_.Schedule(a_, Duration::Millis(100), [this] {
    ran_.emplace_back("cancelled", world_.Now().us / 1000);
  });
  Timer(a_, 200, "kept");
  world_.Pause(a_, Duration::Millis(500));
  RunUntilMs(300);
  EXPECT_TRUE(ran_.empty());
  EXPECT_TRUE(world_.Cancel(cancelled));
  EXPECT_FALSE(world_.Cancel(cancelled));
  RunUntilMs(1000);
  EXPECT_EQ(ran_, (Ran{{"kept", 500}}));
}

TEST_F(PauseTest, ATimerThatRanCannotBeCancelled) {
  const TimerId timer = world_.Schedule(a_, Duration::Millis(100), [] {});
  RunUntilMs(200);
  EXPECT_FALSE(world_.Cancel(timer));
}

}  // namespace
}  // namespace streamsim::sim
