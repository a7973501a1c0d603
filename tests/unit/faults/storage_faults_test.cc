// Tests of the storage fault decorator (faults/storage_faults.cc): what each fault does to the
// world's durable store, with the exact errors, delays, surviving bytes and trace lines.
#include "faults/storage_faults.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace streamsim::faults {
namespace {

sim::Instant AtMillis(int64_t ms) { return sim::Instant{ms * 1000}; }

class StorageFaultsTest : public ::testing::Test {
 protected:
  StorageFaultsTest() : world_(7) {
    world_.trace().SetSink([this](std::string_view line) { trace_.emplace_back(line); });
    writer_ = world_.AddNode("worker/0");
    other_ = world_.AddNode("worker/1");
    world_.Start(writer_);
    world_.Start(other_);
  }
  std::string Contents(const std::string& path) {
    Result<std::string> contents = world_.storage().Read(path);
    EXPECT_TRUE(contents.ok()) << path;
    return contents.ok() ? contents.value() : "";
  }
  // The trace lines of `category`, without their time.
  std::vector<std::string> Lines(const std::string& category) const {
    std::vector<std::string> lines;
    for (const std::string& line : trace_) {
      const size_t space = line.find(' ');
      if (line.compare(space + 1, category.size() + 1, category + " ") == 0) {
        lines.push_back(line.substr(0, line.size() - 1));
      }
    }
    return lines;
  }

  sim::World world_;
  std::vector<std::string> trace_;
  sim::NodeId writer_;
  sim::NodeId other_;
};

TEST_F(StorageFaultsTest, InstallingTwiceReturnsTheSameDecoratorOverTheSameFiles) {
  ASSERT_TRUE(world_.storage().WriteWholeFile(writer_, "kept", "data").ok());
  FaultyStorage& faulty = InstallFaultyStorage(world_);
  EXPECT_EQ(&world_.storage(), &faulty);
  EXPECT_EQ(&InstallFaultyStorage(world_), &faulty);
  EXPECT_EQ(Contents("kept"), "data");
  // Outside every window it changes nothing and traces nothing.
  EXPECT_FALSE(faulty.RefusingWrites());
  EXPECT_FALSE(faulty.TearingOnCrash());
  EXPECT_EQ(faulty.WriteDelay(1 << 20), sim::Duration{});
  EXPECT_TRUE(Lines("fault").empty());
}

TEST_F(StorageFaultsTest, RefusedWritesFailWithSafeModeErrorsWhileReadsWork) {
  FaultyStorage& faulty = InstallFaultyStorage(world_);
  sim::Storage& store = world_.storage();
  ASSERT_TRUE(store.WriteWholeFile(writer_, "dir/a", "synced").ok());
  world_.loop().RunUntil(AtMillis(80'000));
  faulty.RefuseWrites(AtMillis(85'000));
  EXPECT_EQ(Lines("fault"),
            std::vector<std::string>{"80000000 fault storage refuse_writes until 85s"});
  EXPECT_TRUE(faulty.RefusingWrites());
  EXPECT_EQ(store.Create(writer_, "dir/b").message(),
            "java.io.IOException: Cannot create file dir/b. Name node is in safe mode.");
  EXPECT_EQ(store.Append("dir/a", "more").message(),
            "java.io.IOException: Cannot append to file dir/a. Name node is in safe mode.");
  EXPECT_EQ(store.Sync("dir/a").message(),
            "java.io.IOException: Cannot fsync file dir/a. Name node is in safe mode.");
  EXPECT_EQ(store.Rename("dir/a", "dir/c").message(),
            "java.io.IOException: Cannot rename dir/a. Name node is in safe mode.");
  EXPECT_EQ(store.Delete("dir/a").message(),
            "java.io.IOException: Cannot delete dir/a. Name node is in safe mode.");
  EXPECT_EQ(faulty.writes_refused(), 5u);
  // Nothing changed, and everything still reads.
  EXPECT_EQ(Contents("dir/a"), "synced");
  EXPECT_TRUE(store.Exists("dir/a"));
  EXPECT_FALSE(store.Exists("dir/b"));
  EXPECT_EQ(store.List("dir"), std::vector<std::string>{"dir/a"});
  // The last microsecond of the window still refuses; its end does not.
  world_.loop().RunUntil(sim::Instant{84'999'999});
  EXPECT_FALSE(store.Create(writer_, "dir/b").ok());
  world_.loop().RunUntil(AtMillis(85'000));
  EXPECT_FALSE(faulty.RefusingWrites());
  EXPECT_TRUE(store.Create(writer_, "dir/b").ok());
  EXPECT_TRUE(store.Append("dir/a", "+more").ok());
  EXPECT_TRUE(store.Rename("dir/b", "dir/c").ok());
  EXPECT_EQ(Contents("dir/a"), "synced+more");
  EXPECT_EQ(faulty.writes_refused(), 6u);
}

TEST_F(StorageFaultsTest, OverlappingRefusalsLastUntilTheLatestEnd) {
  FaultyStorage& faulty = InstallFaultyStorage(world_);
  faulty.RefuseWrites(AtMillis(5000));
  faulty.RefuseWrites(AtMillis(2000));
  world_.loop().RunUntil(AtMillis(4999));
  EXPECT_TRUE(faulty.RefusingWrites());
  world_.loop().RunUntil(AtMillis(5000));
  EXPECT_FALSE(faulty.RefusingWrites());
  EXPECT_EQ(Lines("fault"), (std::vector<std::string>{"0 fault storage refuse_writes until 5s",
                                                      "0 fault storage refuse_writes until 2s"}));
}

TEST_F(StorageFaultsTest, ASlowStoreAddsItsExtraLatencyToEveryWriteWhileItLasts) {
  FaultyStorage& faulty = InstallFaultyStorage(world_);
  world_.loop().RunUntil(AtMillis(1000));
  faulty.SlowDown(sim::Duration::Millis(30), AtMillis(3000));
  faulty.SlowDown(sim::Duration::Millis(20), AtMillis(2000));
  // Per write, whatever its size; overlapping slow downs add up.
  EXPECT_EQ(faulty.WriteDelay(0), sim::Duration::Millis(50));
  EXPECT_EQ(faulty.WriteDelay(10'000'000), sim::Duration::Millis(50));
  world_.loop().RunUntil(AtMillis(2000));
  EXPECT_EQ(faulty.WriteDelay(100), sim::Duration::Millis(30));
  world_.loop().RunUntil(AtMillis(3000));
  EXPECT_EQ(faulty.WriteDelay(100), sim::Duration{});
  // Slow is not refusing: writes still succeed.
  EXPECT_TRUE(world_.storage().WriteWholeFile(writer_, "f", "x").ok());
  EXPECT_EQ(Lines("fault"),
            (std::vector<std::string>{"1000000 fault storage slow extra_latency=30ms until 3s",
                                      "1000000 fault storage slow extra_latency=20ms until 2s"}));
}

// The writer's files: "wal/a" 10 synced + 10 unsynced bytes, "wal/b" 1 unsynced byte, "wal/c"
// wholly synced; "other" is another node's, unsynced.
void WriteFiles(sim::Storage& store, sim::NodeId writer, sim::NodeId other) {
  ASSERT_TRUE(store.WriteWholeFile(writer, "wal/a", "0123456789").ok());
  ASSERT_TRUE(store.Append("wal/a", "abcdefghij").ok());
  ASSERT_TRUE(store.WriteWholeFile(writer, "wal/b", "record\n").ok());
  ASSERT_TRUE(store.Append("wal/b", "r").ok());
  ASSERT_TRUE(store.WriteWholeFile(writer, "wal/c", "whole\n").ok());
  ASSERT_TRUE(store.Create(other, "other").ok());
  ASSERT_TRUE(store.Append("other", "unsynced").ok());
}

TEST_F(StorageFaultsTest, ACrashWhileTearingLeavesANonEmptyProperPrefixOfEachUnsyncedTail) {
  FaultyStorage& faulty = InstallFaultyStorage(world_);
  WriteFiles(faulty, writer_, other_);
  world_.loop().RunUntil(AtMillis(500));
  faulty.TearOnCrash(AtMillis(1000));
  EXPECT_TRUE(faulty.TearingOnCrash());
  world_.Crash(writer_);
  // The draw comes from the world's "faults/storage" stream: with seed 7, 2 of wal/a's 10
  // unsynced bytes survive. wal/b's single byte cannot be torn and is lost; the synced file and
  // the other node's file are untouched.
  EXPECT_EQ(sim::Prng(7).Child("faults/storage").UniformInt(1, 9), 2);
  EXPECT_EQ(Contents("wal/a"), "0123456789ab");
  EXPECT_EQ(Contents("wal/b"), "record\n");
  EXPECT_EQ(Contents("wal/c"), "whole\n");
  EXPECT_EQ(Contents("other"), "unsynced");
  EXPECT_EQ(Lines("storage"),
            (std::vector<std::string>{"500000 storage torn wal/a kept 2 of 10 unsynced bytes",
                                      "500000 storage torn wal/b kept 0 of 1 unsynced bytes"}));
  EXPECT_EQ(Lines("fault"), std::vector<std::string>{"500000 fault storage torn_writes until 1s"});
  // What survived is durable: the restarted writer crashing again loses none of it.
  world_.Start(writer_);
  world_.Crash(writer_);
  EXPECT_EQ(Contents("wal/a"), "0123456789ab");
}

TEST_F(StorageFaultsTest, AfterTheWindowACrashLosesTheWholeUnsyncedTailAgain) {
  FaultyStorage& faulty = InstallFaultyStorage(world_);
  WriteFiles(faulty, writer_, other_);
  faulty.TearOnCrash(AtMillis(1000));
  world_.loop().RunUntil(AtMillis(1000));
  EXPECT_FALSE(faulty.TearingOnCrash());
  world_.Crash(writer_);
  EXPECT_EQ(Contents("wal/a"), "0123456789");
  EXPECT_EQ(Contents("wal/b"), "record\n");
  EXPECT_TRUE(Lines("storage").empty());
}

TEST(DurableStoreTearTest, EachTornTailKeepsOneDrawOfOneToItsLengthLessOne) {
  sim::DurableStore store;
  const sim::NodeId writer{3};
  ASSERT_TRUE(store.Create(writer, "x").ok());
  ASSERT_TRUE(store.Append("x", std::string(100, 'x')).ok());
  ASSERT_TRUE(store.Create(writer, "y").ok());
  ASSERT_TRUE(store.Append("y", "yy").ok());
  sim::Prng random(11);
  sim::Prng same(11);
  const int64_t expected_x = same.UniformInt(1, 99);
  EXPECT_EQ(store.TearUnsyncedWrites(writer, random),
            (std::vector<sim::TornFile>{{"x", 100, expected_x}, {"y", 2, 1}}));
  EXPECT_EQ(store.Read("x").value().size(), static_cast<size_t>(expected_x));
  EXPECT_EQ(store.Read("y").value(), "y");
  // What survived is durable: tearing again finds nothing unsynced.
  EXPECT_TRUE(store.TearUnsyncedWrites(writer, random).empty());
  EXPECT_EQ(store.Read("y").value(), "y");
}

}  // namespace
}  // namespace streamsim::faults
