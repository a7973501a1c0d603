// Tests of the simulated Flume agent (externals/flume_agent.cc): the source's rate and sequence
// numbers, take transactions (commit, rollback in order), the channel's capacity, and a crash of
// the agent's node (the file channel survives, open takes come back, nothing is produced while
// down).
#include "externals/flume_agent.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamsim::externals {
namespace {

externals::FlumeAgentConfig Config(int64_t capacity = 1000000, double rate = 100) {
  externals::FlumeAgentConfig config;
  config.source_name = "clicks";
  config.rate_per_second = rate;
  config.channel_capacity = capacity;
  config.generator.kind = "lines";
  config.generator.lines = {"a", "b", "c", "d", "e"};
  return config;
}

std::vector<int64_t> Sequences(const std::vector<protocols::FlumeEvent>& events) {
  std::vector<int64_t> sequences;
  for (const protocols::FlumeEvent& event : events) sequences.push_back(event.sequence);
  return sequences;
}

std::vector<std::string> Bodies(const std::vector<protocols::FlumeEvent>& events) {
  std::vector<std::string> bodies;
  for (const protocols::FlumeEvent& event : events) bodies.push_back(event.body);
  return bodies;
}

// Built by appending: at -O3 GCC 12 warns falsely (-Wrestrict) on "e" + std::to_string(sequence).
protocols::FlumeEvent Event(int64_t sequence) {
  return protocols::FlumeEvent{sequence, std::string("e").append(std::to_string(sequence))};
}

class FlumeAgentTest : public ::testing::Test {
 protected:
  sim::World world_{1};
};

TEST_F(FlumeAgentTest, IsANodeNamedAfterItsSource) {
  externals::FlumeAgent agent(&world_, Config());
  EXPECT_EQ(world_.NodeName(agent.node()), "flume/clicks");
  EXPECT_FALSE(agent.available());
  world_.Start(agent.node());
  EXPECT_TRUE(agent.available());
}

TEST_F(FlumeAgentTest, TheSourceFillsTheChannelAtItsRateInSequenceOrder) {
  externals::FlumeAgent agent(&world_, Config());
  world_.Start(agent.node());
  world_.loop().RunUntil(sim::Instant{500000});
  EXPECT_EQ(agent.events_produced(), 50);
  EXPECT_EQ(agent.channel_size(), 50);
  world_.Start(agent.node());  // already up: nothing happens
  const externals::FlumeAgent::Take take = agent.BeginTake(7);
  // Event n is line n % 5 of the generator.
  EXPECT_EQ(Sequences(take.events), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(Bodies(take.events), (std::vector<std::string>{"a", "b", "c", "d", "e", "a", "b"}));
}

TEST_F(FlumeAgentTest, ACommittedTakeLeavesTheChannelARolledBackOneReturnsToItsHead) {
  externals::FlumeAgent agent(&world_, Config());
  world_.Start(agent.node());
  for (int64_t k = 0; k < 5; ++k) ASSERT_TRUE(agent.Put(Event(k)));
  const externals::FlumeAgent::Take first = agent.BeginTake(2);
  const externals::FlumeAgent::Take second = agent.BeginTake(2);
  EXPECT_EQ(Sequences(first.events), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(Sequences(second.events), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(agent.channel_size(), 1);
  EXPECT_EQ(agent.events_in_transactions(), 4);
  EXPECT_TRUE(agent.Commit(first.transaction));
  EXPECT_TRUE(agent.Rollback(second.transaction));
  // Neither can end twice.
  EXPECT_FALSE(agent.Commit(first.transaction));
  EXPECT_FALSE(agent.Rollback(first.transaction));
  EXPECT_FALSE(agent.Commit(second.transaction));
  EXPECT_EQ(agent.events_committed(), 2);
  EXPECT_EQ(agent.events_rolled_back(), 2);
  EXPECT_EQ(Sequences(agent.BeginTake(10).events), (std::vector<int64_t>{2, 3, 4}));
}

TEST_F(FlumeAgentTest, AnEmptyChannelGivesAnEmptyTake) {
  externals::FlumeAgent agent(&world_, Config());
  world_.Start(agent.node());
  const externals::FlumeAgent::Take take = agent.BeginTake(100);
  EXPECT_TRUE(take.events.empty());
  EXPECT_TRUE(agent.IsOpen(take.transaction));
  EXPECT_TRUE(agent.Commit(take.transaction));
  EXPECT_FALSE(agent.IsOpen(take.transaction));
}

TEST_F(FlumeAgentTest, AFullChannelDropsWhatTheSourceReceivesCountingOpenTakes) {
  externals::FlumeAgent agent(&world_, Config(/*capacity=*/3));
  world_.Start(agent.node());
  EXPECT_TRUE(agent.Put(Event(0)));
  EXPECT_TRUE(agent.Put(Event(1)));
  const externals::FlumeAgent::Take take = agent.BeginTake(2);
  EXPECT_TRUE(agent.Put(Event(2)));
  // Two events taken but not committed still hold their place in the channel.
  EXPECT_FALSE(agent.Put(Event(3)));
  EXPECT_EQ(agent.events_dropped(), 1);
  EXPECT_TRUE(agent.Commit(take.transaction));
  EXPECT_TRUE(agent.Put(Event(4)));
  EXPECT_EQ(Sequences(agent.BeginTake(10).events), (std::vector<int64_t>{2, 4}));
}

TEST_F(FlumeAgentTest, TheSourceDropsAndCountsWhatOverflowsTheChannel) {
  externals::FlumeAgent agent(&world_, Config(/*capacity=*/30));
  world_.Start(agent.node());
  world_.loop().RunUntil(sim::Instant{500000});
  // 50 events fell due; the first 30 filled the channel, 30-49 were dropped.
  EXPECT_EQ(agent.events_produced(), 30);
  EXPECT_EQ(agent.events_dropped(), 20);
  EXPECT_TRUE(agent.Commit(agent.BeginTake(10).transaction));
  world_.loop().RunUntil(sim::Instant{600000});
  // Room for 10 more: events 50-59 (the sequence counts the dropped ones).
  const std::vector<int64_t> sequences = Sequences(agent.BeginTake(30).events);
  ASSERT_EQ(sequences.size(), 30u);
  EXPECT_EQ(sequences.front(), 10);
  EXPECT_EQ(sequences[19], 29);
  EXPECT_EQ(sequences[20], 50);
  EXPECT_EQ(sequences.back(), 59);
}

TEST_F(FlumeAgentTest, ACrashRollsBackOpenTakesAndTheFileChannelSurvives) {
  externals::FlumeAgent agent(&world_, Config());
  world_.Start(agent.node());
  world_.loop().RunUntil(sim::Instant{100000});  // events 0-9
  const externals::FlumeAgent::Take first = agent.BeginTake(3);
  const externals::FlumeAgent::Take second = agent.BeginTake(3);
  const externals::FlumeAgent::Take third = agent.BeginTake(1);
  EXPECT_TRUE(agent.Commit(second.transaction));
  world_.Crash(agent.node());
  EXPECT_FALSE(agent.available());
  EXPECT_FALSE(agent.IsOpen(first.transaction));
  EXPECT_FALSE(agent.IsOpen(third.transaction));
  EXPECT_EQ(agent.events_rolled_back(), 4);
  // Nothing is produced while the agent is down: events 10-29 fall due and are never produced.
  world_.loop().RunUntil(sim::Instant{300000});
  world_.Start(agent.node());
  world_.loop().RunUntil(sim::Instant{400000});
  EXPECT_EQ(agent.events_not_produced(), 20);
  EXPECT_EQ(agent.events_produced(), 20);
  // The channel holds, in order: the rolled-back 0-2 and 6, the untaken 7-9, then 30-39.
  EXPECT_EQ(Sequences(agent.BeginTake(100).events),
            (std::vector<int64_t>{0, 1, 2, 6, 7, 8, 9, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39}));
  // A commit for a transaction of the earlier life does nothing.
  EXPECT_FALSE(agent.Commit(first.transaction));
}

}  // namespace
}  // namespace streamsim::externals
