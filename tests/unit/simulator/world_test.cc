// Tests simulator/world: node registry and lifecycle, incarnations, node-owned and global timers,
// the child random stream registry, crash-time loss of unsynced writes and decoration.
#include "simulator/world.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace streamsim::sim {
namespace {

class WorldTest : public ::testing::Test {
 protected:
  WorldTest() : world_(2024) {
    world_.trace().SetSink([this](std::string_view line) { trace_.emplace_back(line); });
  }

  void RunUntil(int64_t us) { world_.loop().RunUntil(Instant{us}); }

  World world_;
  std::vector<std::string> trace_;
};

TEST_F(WorldTest, StartsEmptyAtTimeZero) {
  EXPECT_EQ(world_.seed(), 2024u);
  EXPECT_EQ(world_.Now(), Instant::Zero());
  EXPECT_EQ(world_.node_count(), 0u);
  EXPECT_EQ(world_.trace().lines(), 0u);
}

TEST_F(WorldTest, AddNodeAssignsIdsInCreationOrder) {
  const NodeId driver = world_.AddNode("driver");
  const NodeId worker = world_.AddNode("worker-1");
  EXPECT_EQ(driver.value, 0);
  EXPECT_EQ(worker.value, 1);
  EXPECT_EQ(world_.node_count(), 2u);
  EXPECT_EQ(world_.NodeName(driver), "driver");
  EXPECT_EQ(world_.NodeName(worker), "worker-1");
}

TEST_F(WorldTest, FindNodeByName) {
  world_.AddNode("driver");
  const NodeId worker = world_.AddNode("worker");
  EXPECT_EQ(world_.FindNode("worker"), worker);
  EXPECT_EQ(world_.FindNode("driver").value, 0);
  const NodeId absent = world_.FindNode("work");
  EXPECT_FALSE(absent.valid());
  EXPECT_FALSE(world_.FindNode("").valid());
  EXPECT_FALSE(NodeId{}.valid());
}

TEST_F(WorldTest, NewNodeIsDownWithIncarnationZero) {
  const NodeId node = world_.AddNode("n");
  EXPECT_FALSE(world_.IsUp(node));
  EXPECT_EQ(world_.Incarnation(node), 0u);
}

TEST_F(WorldTest, LifecycleBumpsIncarnationAndRunsHandlers) {
  const NodeId node = world_.AddNode("n");
  std::vector<std::string> calls;
  world_.OnStart(node,
                 [&] { calls.push_back("start@" + std::to_string(world_.Incarnation(node))); });
  world_.OnCrash(
      node, [&] { calls.push_back(std::string("crash-") + (world_.IsUp(node) ? "up" : "down")); });
  world_.Start(node);
  EXPECT_TRUE(world_.IsUp(node));
  EXPECT_EQ(world_.Incarnation(node), 1u);
  world_.Crash(node);
  EXPECT_FALSE(world_.IsUp(node));
  EXPECT_EQ(world_.Incarnation(node), 2u);
  world_.Restart(node);
  EXPECT_TRUE(world_.IsUp(node));
  EXPECT_EQ(world_.Incarnation(node), 3u);
  // The start handler sees the new incarnation; the crash handler runs with the node already down.
  EXPECT_EQ(calls, (std::vector<std::string>{"start@1", "crash-down", "start@3"}));
}

TEST_F(WorldTest, StartOfARunningNodeAndCrashOfADownNodeAreNoOps) {
  const NodeId node = world_.AddNode("n");
  int starts = 0;
  int crashes = 0;
  world_.OnStart(node, [&] { ++starts; });
  world_.OnCrash(node, [&] { ++crashes; });
  world_.Crash(node);  // never started
  EXPECT_EQ(crashes, 0);
  EXPECT_EQ(world_.Incarnation(node), 0u);
  world_.Start(node);
  world_.Start(node);
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(world_.Incarnation(node), 1u);
  world_.Crash(node);
  world_.Crash(node);
  EXPECT_EQ(crashes, 1);
  EXPECT_EQ(world_.Incarnation(node), 2u);
  EXPECT_EQ(trace_, (std::vector<std::string>{"0 node start n\n", "0 node crash n\n"}));
}

TEST_F(WorldTest, LifecycleWorksWithoutHandlers) {
  const NodeId node = world_.AddNode("bare");
  world_.Start(node);
  world_.Crash(node);
  world_.Restart(node);
  EXPECT_TRUE(world_.IsUp(node));
  EXPECT_EQ(world_.Incarnation(node), 3u);
}

TEST_F(WorldTest, LifecycleIsTracedAtTheCurrentTime) {
  const NodeId node = world_.AddNode("worker");
  world_.ScheduleGlobal(Duration::Millis(1), [&] { world_.Start(node); });
  world_.ScheduleGlobal(Duration::Millis(2), [&] { world_.Crash(node); });
  world_.ScheduleGlobal(Duration::Millis(3), [&] { world_.Restart(node); });
  RunUntil(10000);
  EXPECT_EQ(trace_,
            (std::vector<std::string>{"1000 node start worker\n", "2000 node crash worker\n",
                                      "3000 node start worker\n"}));
}

TEST_F(WorldTest, HandlersCanBeReplaced) {
  const NodeId node = world_.AddNode("n");
  std::vector<std::string> calls;
  world_.OnStart(node, [&] { calls.push_back("old"); });
  world_.OnStart(node, [&] { calls.push_back("new"); });
  world_.Start(node);
  EXPECT_EQ(calls, (std::vector<std::string>{"new"}));
}

TEST_F(WorldTest, NodeTimerFiresWhileTheNodeLives) {
  const NodeId node = world_.AddNode("n");
  world_.Start(node);
  std::vector<int64_t> fired;
  world_.Schedule(node, Duration::Millis(5), [&] { fired.push_back(world_.Now().us); });
  RunUntil(100000);
  EXPECT_EQ(fired, (std::vector<int64_t>{5000}));
}

TEST_F(WorldTest, NodeTimerDoesNotFireAfterACrash) {
  const NodeId node = world_.AddNode("n");
  world_.Start(node);
  int fired = 0;
  world_.Schedule(node, Duration::Millis(10), [&] { ++fired; });
  world_.ScheduleGlobal(Duration::Millis(5), [&] { world_.Crash(node); });
  RunUntil(100000);
  EXPECT_EQ(fired, 0);
}

TEST_F(WorldTest, NodeTimerDoesNotFireEvenIfTheNodeRestarted) {
  const NodeId node = world_.AddNode("n");
  world_.Start(node);
  std::vector<std::string> fired;
  world_.Schedule(node, Duration::Millis(10), [&] { fired.push_back("old-life"); });
  world_.ScheduleGlobal(Duration::Millis(5), [&] { world_.Crash(node); });
  world_.ScheduleGlobal(Duration::Millis(6), [&] {
    world_.Restart(node);
    world_.Schedule(node, Duration::Millis(10), [&] { fired.push_back("new-life"); });
  });
  RunUntil(100000);
  EXPECT_TRUE(world_.IsUp(node));
  EXPECT_EQ(fired, (std::vector<std::string>{"new-life"}));
}

TEST_F(WorldTest, NodeTimerScheduledWhileDownNeverFires) {
  const NodeId node = world_.AddNode("n");
  int fired = 0;
  world_.Schedule(node, Duration::Millis(10), [&] { ++fired; });
  world_.ScheduleGlobal(Duration::Millis(1), [&] { world_.Start(node); });
  RunUntil(100000);
  EXPECT_TRUE(world_.IsUp(node));
  EXPECT_EQ(fired, 0);
}

TEST_F(WorldTest, CrashOfOneNodeLeavesOtherNodesTimers) {
  const NodeId crashing = world_.AddNode("crashing");
  const NodeId steady = world_.AddNode("steady");
  world_.Start(crashing);
  world_.Start(steady);
  int fired = 0;
  world_.Schedule(steady, Duration::Millis(10), [&] { ++fired; });
  world_.ScheduleGlobal(Duration::Millis(5), [&] { world_.Crash(crashing); });
  RunUntil(100000);
  EXPECT_EQ(fired, 1);
}

TEST_F(WorldTest, GlobalTimersFireRegardlessOfCrashes) {
  const NodeId node = world_.AddNode("n");
  world_.Start(node);
  std::vector<int64_t> fired;
  world_.ScheduleGlobal(Duration::Millis(10), [&] { fired.push_back(world_.Now().us); });
  world_.ScheduleGlobal(Duration::Millis(5), [&] { world_.Crash(node); });
  RunUntil(100000);
  EXPECT_EQ(fired, (std::vector<int64_t>{10000}));
}

TEST_F(WorldTest, CancelStopsNodeAndGlobalTimers) {
  const NodeId node = world_.AddNode("n");
  world_.Start(node);
  int fired = 0;
  const TimerId node_timer = world_.Schedule(node, Duration::Millis(1), [&] { ++fired; });
  const TimerId global_timer = world_.ScheduleGlobal(Duration::Millis(1), [&] { ++fired; });
  EXPECT_TRUE(world_.Cancel(node_timer));
  EXPECT_TRUE(world_.Cancel(global_timer));
  EXPECT_FALSE(world_.Cancel(global_timer));
  RunUntil(100000);
  EXPECT_EQ(fired, 0);
}

TEST_F(WorldTest, RandomReturnsTheSameStreamObjectForAPurpose) {
  Prng& first = world_.Random("workload");
  const uint64_t draw = first.NextU64();
  Prng& again = world_.Random("workload");
  EXPECT_EQ(&first, &again);
  // The stream continued rather than restarting.
  Prng fresh = Prng(2024).Child("workload");
  EXPECT_EQ(fresh.NextU64(), draw);
  EXPECT_EQ(again.NextU64(), fresh.NextU64());
}

TEST_F(WorldTest, RandomStreamsAreDerivedFromTheSeedAndPurpose) {
  EXPECT_EQ(world_.Random("faults/random").seed(), Prng(2024).Child("faults/random").seed());
  EXPECT_NE(&world_.Random("a"), &world_.Random("b"));
  EXPECT_NE(world_.Random("a").seed(), world_.Random("b").seed());
  World other(2024);
  EXPECT_EQ(other.Random("a").NextU64(), Prng(2024).Child("a").NextU64());
}

// Drawing from one stream must not shift another (STYLE.md practice 2).
TEST_F(WorldTest, DrawsFromOneStreamDoNotShiftAnother) {
  World quiet(99);
  World busy(99);
  for (int i = 0; i < 1000; ++i) busy.Random("faults").NextU64();
  EXPECT_EQ(quiet.Random("workload").NextU64(), busy.Random("workload").NextU64());
}

TEST_F(WorldTest, CrashLosesTheNodesUnsyncedWrites) {
  const NodeId writer = world_.AddNode("writer");
  const NodeId bystander = world_.AddNode("bystander");
  world_.Start(writer);
  world_.Start(bystander);
  Storage& storage = world_.storage();
  ASSERT_TRUE(storage.Create(writer, "wal/0").ok());
  ASSERT_TRUE(storage.Append("wal/0", "synced;").ok());
  ASSERT_TRUE(storage.Sync("wal/0").ok());
  ASSERT_TRUE(storage.Append("wal/0", "unsynced;").ok());
  ASSERT_TRUE(storage.Create(bystander, "other").ok());
  ASSERT_TRUE(storage.Append("other", "unsynced-but-alive").ok());
  std::string seen_by_crash_handler;
  world_.OnCrash(writer, [&] {
    Result<std::string> read = world_.storage().Read("wal/0");
    seen_by_crash_handler = read.ok() ? read.value() : "<error>";
  });
  world_.Crash(writer);
  EXPECT_EQ(seen_by_crash_handler, "synced;");  // the loss happens before the handler runs
  Result<std::string> wal = storage.Read("wal/0");
  ASSERT_TRUE(wal.ok());
  EXPECT_EQ(wal.value(), "synced;");
  Result<std::string> other = storage.Read("other");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.value(), "unsynced-but-alive");
}

// A storage decorator that records the writers whose unsynced bytes were dropped.
class RecordingStorage : public Storage {
 public:
  RecordingStorage(std::unique_ptr<Storage> inner, std::vector<int32_t>* losses)
      : inner_(std::move(inner)), losses_(losses) {}
  Status Create(NodeId writer, const std::string& path) override {
    return inner_->Create(writer, path);
  }
  Status Append(const std::string& path, const std::string& bytes) override {
    return inner_->Append(path, bytes);
  }
  Status Sync(const std::string& path) override { return inner_->Sync(path); }
  Status Rename(const std::string& from, const std::string& to) override {
    return inner_->Rename(from, to);
  }
  Status Delete(const std::string& path) override { return inner_->Delete(path); }
  Result<std::string> Read(const std::string& path) const override { return inner_->Read(path); }
  bool Exists(const std::string& path) const override { return inner_->Exists(path); }
  std::vector<std::string> List(const std::string& directory) const override {
    return inner_->List(directory);
  }
  void LoseUnsyncedWrites(NodeId writer) override {
    losses_->push_back(writer.value);
    inner_->LoseUnsyncedWrites(writer);
  }

 private:
  std::unique_ptr<Storage> inner_;
  std::vector<int32_t>* losses_;
};

TEST_F(WorldTest, DecoratedStorageIsUsedByTheWorld) {
  const NodeId node = world_.AddNode("n");
  world_.Start(node);
  ASSERT_TRUE(world_.storage().WriteWholeFile(node, "kept", "data").ok());
  std::vector<int32_t> losses;
  world_.DecorateStorage([&losses](std::unique_ptr<Storage> inner) {
    return std::make_unique<RecordingStorage>(std::move(inner), &losses);
  });
  EXPECT_NE(dynamic_cast<RecordingStorage*>(&world_.storage()), nullptr);
  Result<std::string> kept = world_.storage().Read("kept");  // the inner store carries over
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept.value(), "data");
  world_.Crash(node);
  EXPECT_EQ(losses, (std::vector<int32_t>{node.value}));
}

// A network decorator that counts sends and forwards them.
class CountingNetwork : public Network {
 public:
  CountingNetwork(std::unique_ptr<Network> inner, int* sends)
      : inner_(std::move(inner)), sends_(sends) {}
  void Send(Message message) override {
    ++*sends_;
    inner_->Send(std::move(message));
  }
  Duration EstimateTransfer(NodeId from, NodeId to, int64_t bytes) const override {
    return inner_->EstimateTransfer(from, to, bytes);
  }
  void SetDefaultLink(const LinkConfig& config) override { inner_->SetDefaultLink(config); }
  void SetLink(NodeId a, NodeId b, const LinkConfig& config) override {
    inner_->SetLink(a, b, config);
  }
  int Partition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) override {
    return inner_->Partition(side_a, side_b);
  }
  void Heal(int partition_id) override { inner_->Heal(partition_id); }
  bool Connected(NodeId a, NodeId b) const override { return inner_->Connected(a, b); }

 private:
  std::unique_ptr<Network> inner_;
  int* sends_;
};

TEST_F(WorldTest, DecoratedNetworkIsUsedByTheWorldAndStillDelivers) {
  const NodeId a = world_.AddNode("a");
  const NodeId b = world_.AddNode("b");
  world_.Start(a);
  world_.Start(b);
  int sends = 0;
  world_.DecorateNetwork([&sends](std::unique_ptr<Network> inner) {
    return std::make_unique<CountingNetwork>(std::move(inner), &sends);
  });
  bool delivered = false;
  world_.network().Send(Message{a, b, 10, "ping", [&delivered] { delivered = true; }});
  RunUntil(1000000);
  EXPECT_EQ(sends, 1);
  EXPECT_TRUE(delivered);
}

TEST_F(WorldTest, RecordWritesATraceLineAtTheCurrentTime) {
  world_.ScheduleGlobal(Duration::Micros(1234), [&] { world_.Record("fault", "kill worker-1"); });
  RunUntil(5000);
  EXPECT_EQ(trace_, (std::vector<std::string>{"1234 fault kill worker-1\n"}));
}

TEST(WorldDeathTest, UnknownNodeIdAbortsWithSeedAndTime) {
  World world(31337);
  world.AddNode("only");
  EXPECT_DEATH(world.IsUp(NodeId{5}), "unknown node id 5 \\(seed 31337, t=0 us\\)");
  EXPECT_DEATH(world.Start(NodeId{-1}), "unknown node id -1");
}

}  // namespace
}  // namespace streamsim::sim
