// Tests DurableStore's durable-change observer (simulator/storage.h): which changes of which paths
// it hands over, in order, with their time, and that unsynced or lost bytes never appear in them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simulator/storage.h"

namespace streamsim::sim {
namespace {

constexpr NodeId kWriter{0};
using Kind = DurableChange::Kind;

// Observes `store`'s changes of paths under `prefixes` into `changes`, stamped with `clock`.
struct Observed {
  Instant now;
  std::vector<DurableChange> changes;
  void Attach(DurableStore* store, std::vector<std::string> prefixes) {
    store->ObserveDurableChanges(
        std::move(prefixes), [this]() { return now; },
        [this](const DurableChange& change) { changes.push_back(change); });
  }
};

TEST(DurableHistoryTest, KeepsSyncedBytesRenamesAndDeletionsOfWatchedPathsInOrder) {
  DurableStore store;
  Observed observed;
  observed.Attach(&store, {"ck/meta/", "ck/checkpoint-"});
  observed.now = Instant{1000};
  ASSERT_TRUE(store.Create(kWriter, "ck/meta/log-0").ok());
  ASSERT_TRUE(store.Append("ck/meta/log-0", "a\n").ok());
  ASSERT_TRUE(store.Append("ck/meta/log-0", "b\n").ok());
  ASSERT_TRUE(store.Sync("ck/meta/log-0").ok());
  ASSERT_TRUE(store.Sync("ck/meta/log-0").ok());  // nothing new: no change
  observed.now = Instant{2000};
  ASSERT_TRUE(store.Create(kWriter, "ck/temp").ok());  // not watched
  ASSERT_TRUE(store.Append("ck/temp", "{}").ok());
  ASSERT_TRUE(store.Sync("ck/temp").ok());
  ASSERT_TRUE(store.Rename("ck/temp", "ck/checkpoint-2").ok());  // the new name is watched
  observed.now = Instant{3000};
  ASSERT_TRUE(store.Delete("ck/meta/log-0").ok());
  const std::vector<DurableChange> expected = {
      {Kind::kSynced, Instant{1000}, "ck/meta/log-0", "a\nb\n"},
      {Kind::kRenamed, Instant{2000}, "ck/temp", "ck/checkpoint-2"},
      {Kind::kDeleted, Instant{3000}, "ck/meta/log-0", ""},
  };
  EXPECT_EQ(observed.changes, expected);
}

TEST(DurableHistoryTest, LostTailsAreNotDurableAndATornTailKeepsOnlyItsSurvivingPrefix) {
  DurableStore store;
  Observed observed;
  observed.Attach(&store, {"w/"});
  ASSERT_TRUE(store.Create(kWriter, "w/lost").ok());
  ASSERT_TRUE(store.Append("w/lost", "gone").ok());
  store.LoseUnsyncedWrites(kWriter);
  ASSERT_TRUE(store.Create(kWriter, "w/torn").ok());
  ASSERT_TRUE(store.Append("w/torn", "0123456789").ok());
  Prng random(7);
  observed.now = Instant{5};
  const std::vector<TornFile> torn = store.TearUnsyncedWrites(kWriter, random);
  ASSERT_EQ(torn.size(), 1u);
  ASSERT_EQ(observed.changes.size(), 1u);
  const DurableChange& change = observed.changes[0];
  EXPECT_EQ(change.kind, Kind::kSynced);
  EXPECT_EQ(change.at, Instant{5});
  EXPECT_EQ(change.path, "w/torn");
  EXPECT_EQ(change.detail, std::string("0123456789").substr(0, torn[0].kept_bytes));
}

TEST(DurableHistoryTest, HandsOverNothingOutsideItsPrefixes) {
  DurableStore store;
  Observed observed;
  observed.Attach(&store, {"w/"});
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "x/y", "data").ok());
  EXPECT_TRUE(observed.changes.empty());
}

TEST(DurableHistoryTest, EachObserverGetsTheChangesOfItsOwnPaths) {
  DurableStore store;
  Observed logs;
  Observed everything;
  logs.Attach(&store, {"ck/log/"});
  everything.Attach(&store, {"ck/"});
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "ck/log/a", "x").ok());
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "ck/other", "y").ok());
  ASSERT_TRUE(store.Rename("ck/other", "ck/log/b").ok());  // into the first observer's paths
  const std::vector<DurableChange> expected_logs = {
      {Kind::kSynced, Instant{}, "ck/log/a", "x"},
      {Kind::kRenamed, Instant{}, "ck/other", "ck/log/b"},
  };
  EXPECT_EQ(logs.changes, expected_logs);
  const std::vector<DurableChange> expected_everything = {
      {Kind::kSynced, Instant{}, "ck/log/a", "x"},
      {Kind::kSynced, Instant{}, "ck/other", "y"},
      {Kind::kRenamed, Instant{}, "ck/other", "ck/log/b"},
  };
  EXPECT_EQ(everything.changes, expected_everything);
}

}  // namespace
}  // namespace streamsim::sim
