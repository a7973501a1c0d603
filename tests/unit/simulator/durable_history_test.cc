// Tests DurableStore's history (simulator/storage.h): which changes of which paths it keeps, in
// order, with their time, and that unsynced or lost bytes never appear in it.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "simulator/storage.h"

namespace streamsim::sim {
namespace {

constexpr NodeId kWriter{0};
using Kind = DurableChange::Kind;

struct Clock {
  Instant now;
  std::function<Instant()> function() {
    return [this]() { return now; };
  }
};

TEST(DurableHistoryTest, KeepsSyncedBytesRenamesAndDeletionsOfWatchedPathsInOrder) {
  DurableStore store;
  Clock clock;
  store.KeepHistoryOf({"ck/meta/", "ck/checkpoint-"}, clock.function());
  clock.now = Instant{1000};
  ASSERT_TRUE(store.Create(kWriter, "ck/meta/log-0").ok());
  ASSERT_TRUE(store.Append("ck/meta/log-0", "a\n").ok());
  ASSERT_TRUE(store.Append("ck/meta/log-0", "b\n").ok());
  ASSERT_TRUE(store.Sync("ck/meta/log-0").ok());
  ASSERT_TRUE(store.Sync("ck/meta/log-0").ok());  // nothing new: no change
  clock.now = Instant{2000};
  ASSERT_TRUE(store.Create(kWriter, "ck/temp").ok());  // not watched
  ASSERT_TRUE(store.Append("ck/temp", "{}").ok());
  ASSERT_TRUE(store.Sync("ck/temp").ok());
  ASSERT_TRUE(store.Rename("ck/temp", "ck/checkpoint-2").ok());  // the new name is watched
  clock.now = Instant{3000};
  ASSERT_TRUE(store.Delete("ck/meta/log-0").ok());
  const std::vector<DurableChange> expected = {
      {Kind::kSynced, Instant{1000}, "ck/meta/log-0", "a\nb\n"},
      {Kind::kRenamed, Instant{2000}, "ck/temp", "ck/checkpoint-2"},
      {Kind::kDeleted, Instant{3000}, "ck/meta/log-0", ""},
  };
  EXPECT_EQ(store.history(), expected);
}

TEST(DurableHistoryTest, LostTailsAreNotDurableAndATornTailKeepsOnlyItsSurvivingPrefix) {
  DurableStore store;
  Clock clock;
  store.KeepHistoryOf({"w/"}, clock.function());
  ASSERT_TRUE(store.Create(kWriter, "w/lost").ok());
  ASSERT_TRUE(store.Append("w/lost", "gone").ok());
  store.LoseUnsyncedWrites(kWriter);
  ASSERT_TRUE(store.Create(kWriter, "w/torn").ok());
  ASSERT_TRUE(store.Append("w/torn", "0123456789").ok());
  Prng random(7);
  clock.now = Instant{5};
  const std::vector<TornFile> torn = store.TearUnsyncedWrites(kWriter, random);
  ASSERT_EQ(torn.size(), 1u);
  ASSERT_EQ(store.history().size(), 1u);
  const DurableChange& change = store.history()[0];
  EXPECT_EQ(change.kind, Kind::kSynced);
  EXPECT_EQ(change.at, Instant{5});
  EXPECT_EQ(change.path, "w/torn");
  EXPECT_EQ(change.detail, std::string("0123456789").substr(0, torn[0].kept_bytes));
}

TEST(DurableHistoryTest, KeepsNothingUntilAsked) {
  DurableStore store;
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "x/y", "data").ok());
  EXPECT_TRUE(store.history().empty());
}

}  // namespace
}  // namespace streamsim::sim
