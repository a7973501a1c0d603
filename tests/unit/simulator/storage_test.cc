// Tests simulator/storage: DurableStore file semantics, error messages, listing and lost writes.
#include "simulator/storage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamsim::sim {
namespace {

constexpr NodeId kWriter{0};
constexpr NodeId kOtherWriter{1};

// Reads `path`, failing the test when it cannot be read.
std::string Contents(const Storage& storage, const std::string& path) {
  Result<std::string> read = storage.Read(path);
  EXPECT_TRUE(read.ok()) << read.status().message();
  return read.ok() ? read.value() : "<unreadable>";
}

TEST(DurableStoreTest, CreateMakesAnEmptyFile) {
  DurableStore store;
  EXPECT_FALSE(store.Exists("a/b"));
  ASSERT_TRUE(store.Create(kWriter, "a/b").ok());
  EXPECT_TRUE(store.Exists("a/b"));
  EXPECT_EQ(Contents(store, "a/b"), "");
  EXPECT_EQ(store.bytes_stored(), 0);
}

TEST(DurableStoreTest, CreateOnAnExistingFileFailsAndKeepsIt) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "f").ok());
  ASSERT_TRUE(store.Append("f", "data").ok());
  const Status again = store.Create(kOtherWriter, "f");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.message(), "file already exists: f");
  EXPECT_EQ(Contents(store, "f"), "data");
}

TEST(DurableStoreTest, AppendConcatenatesAndIsVisibleAtOnce) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "log").ok());
  ASSERT_TRUE(store.Append("log", "one\n").ok());
  EXPECT_EQ(Contents(store, "log"), "one\n");
  ASSERT_TRUE(store.Append("log", "").ok());
  ASSERT_TRUE(store.Append("log", "two\n").ok());
  EXPECT_EQ(Contents(store, "log"), "one\ntwo\n");
  EXPECT_EQ(store.bytes_stored(), 8);
}

TEST(DurableStoreTest, ContentsAreBinarySafe) {
  DurableStore store;
  const std::string bytes("a\0b\xff", 4);
  ASSERT_TRUE(store.Create(kWriter, "bin").ok());
  ASSERT_TRUE(store.Append("bin", bytes).ok());
  EXPECT_EQ(Contents(store, "bin"), bytes);
  EXPECT_EQ(store.bytes_stored(), 4);
}

TEST(DurableStoreTest, OperationsOnAMissingFileFailWithItsPath) {
  DurableStore store;
  const Status append = store.Append("missing", "x");
  ASSERT_FALSE(append.ok());
  EXPECT_EQ(append.message(), "no such file: missing");
  const Status sync = store.Sync("missing");
  ASSERT_FALSE(sync.ok());
  EXPECT_EQ(sync.message(), "no such file: missing");
  const Status remove = store.Delete("missing");
  ASSERT_FALSE(remove.ok());
  EXPECT_EQ(remove.message(), "no such file: missing");
  const Result<std::string> read = store.Read("missing");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(), "no such file: missing");
  const Status rename = store.Rename("missing", "elsewhere");
  ASSERT_FALSE(rename.ok());
  EXPECT_EQ(rename.message(), "no such file: missing");
  EXPECT_FALSE(store.Exists("missing"));
  EXPECT_FALSE(store.Exists("elsewhere"));
}

TEST(DurableStoreTest, SyncSucceedsOnAnExistingFile) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "f").ok());
  ASSERT_TRUE(store.Append("f", "abc").ok());
  EXPECT_TRUE(store.Sync("f").ok());
  EXPECT_TRUE(store.Sync("f").ok());  // idempotent
  EXPECT_EQ(Contents(store, "f"), "abc");
}

TEST(DurableStoreTest, RenameMovesContents) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "tmp/x").ok());
  ASSERT_TRUE(store.Append("tmp/x", "payload").ok());
  ASSERT_TRUE(store.Rename("tmp/x", "final/x").ok());
  EXPECT_FALSE(store.Exists("tmp/x"));
  EXPECT_EQ(Contents(store, "final/x"), "payload");
  EXPECT_EQ(store.bytes_stored(), 7);
}

TEST(DurableStoreTest, RenameOntoAnExistingFileFailsAndChangesNothing) {
  DurableStore store;
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "a", "A").ok());
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "b", "B").ok());
  const Status status = store.Rename("a", "b");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "file already exists: b");
  EXPECT_EQ(Contents(store, "a"), "A");
  EXPECT_EQ(Contents(store, "b"), "B");
}

TEST(DurableStoreTest, RenameOntoItselfFails) {
  DurableStore store;
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "a", "A").ok());
  EXPECT_FALSE(store.Rename("a", "a").ok());
  EXPECT_EQ(Contents(store, "a"), "A");
}

// The writer and the synced watermark travel with the file: a crash of the writer after the
// rename still drops the unsynced tail under the new name.
TEST(DurableStoreTest, RenameKeepsWriterAndSyncedWatermark) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "tmp").ok());
  ASSERT_TRUE(store.Append("tmp", "durable").ok());
  ASSERT_TRUE(store.Sync("tmp").ok());
  ASSERT_TRUE(store.Append("tmp", "+volatile").ok());
  ASSERT_TRUE(store.Rename("tmp", "done").ok());
  store.LoseUnsyncedWrites(kWriter);
  EXPECT_EQ(Contents(store, "done"), "durable");
}

TEST(DurableStoreTest, DeleteRemovesTheFile) {
  DurableStore store;
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "d/f", "xyz").ok());
  ASSERT_TRUE(store.Delete("d/f").ok());
  EXPECT_FALSE(store.Exists("d/f"));
  EXPECT_FALSE(store.Read("d/f").ok());
  EXPECT_EQ(store.List("d"), std::vector<std::string>{});
  EXPECT_EQ(store.bytes_stored(), 0);
  const Status again = store.Delete("d/f");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.message(), "no such file: d/f");
  EXPECT_TRUE(store.Create(kWriter, "d/f").ok());  // the name is free again
}

TEST(DurableStoreTest, ListIsSortedAndRecursive) {
  DurableStore store;
  for (const char* path : {"dir/b", "dir/a", "dir/sub/c", "dir/A", "dir/sub/a"}) {
    ASSERT_TRUE(store.Create(kWriter, path).ok());
  }
  EXPECT_EQ(store.List("dir"),
            (std::vector<std::string>{"dir/A", "dir/a", "dir/b", "dir/sub/a", "dir/sub/c"}));
  EXPECT_EQ(store.List("dir/sub"), (std::vector<std::string>{"dir/sub/a", "dir/sub/c"}));
}

TEST(DurableStoreTest, ListIsBoundedByTheDirectoryPrefix) {
  DurableStore store;
  for (const char* path : {"dir", "dir/x", "dir2/x", "dir-x", "dir.x", "di/x", "dir0", "e/x"}) {
    ASSERT_TRUE(store.Create(kWriter, path).ok());
  }
  EXPECT_EQ(store.List("dir"), (std::vector<std::string>{"dir/x"}));
  EXPECT_EQ(store.List("dir/"), (std::vector<std::string>{"dir/x"}));
  EXPECT_EQ(store.List("dir2"), (std::vector<std::string>{"dir2/x"}));
  EXPECT_EQ(store.List("d"), std::vector<std::string>{});
  EXPECT_EQ(store.List("nothing"), std::vector<std::string>{});
}

TEST(DurableStoreTest, ListOfTheRootListsEverythingInByteOrder) {
  DurableStore store;
  for (const char* path : {"z", "a/b", "B", "a-b"}) ASSERT_TRUE(store.Create(kWriter, path).ok());
  EXPECT_EQ(store.List(""), (std::vector<std::string>{"B", "a-b", "a/b", "z"}));
}

TEST(DurableStoreTest, LoseUnsyncedWritesDropsOnlyTheUnsyncedTail) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "wal").ok());
  ASSERT_TRUE(store.Append("wal", "r1;").ok());
  ASSERT_TRUE(store.Append("wal", "r2;").ok());
  ASSERT_TRUE(store.Sync("wal").ok());
  ASSERT_TRUE(store.Append("wal", "r3;").ok());
  EXPECT_EQ(Contents(store, "wal"), "r1;r2;r3;");
  store.LoseUnsyncedWrites(kWriter);
  EXPECT_EQ(Contents(store, "wal"), "r1;r2;");
  EXPECT_EQ(store.bytes_stored(), 6);
  // Appending after the loss continues from the durable prefix.
  ASSERT_TRUE(store.Append("wal", "r4;").ok());
  EXPECT_EQ(Contents(store, "wal"), "r1;r2;r4;");
}

TEST(DurableStoreTest, LoseUnsyncedWritesOfANeverSyncedFileLeavesItEmpty) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "f").ok());
  ASSERT_TRUE(store.Append("f", "volatile").ok());
  store.LoseUnsyncedWrites(kWriter);
  EXPECT_TRUE(store.Exists("f"));
  EXPECT_EQ(Contents(store, "f"), "");
}

TEST(DurableStoreTest, LoseUnsyncedWritesOnlyTouchesThatWritersFiles) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "mine").ok());
  ASSERT_TRUE(store.Create(kOtherWriter, "theirs").ok());
  ASSERT_TRUE(store.Append("mine", "m-unsynced").ok());
  ASSERT_TRUE(store.Append("theirs", "t-unsynced").ok());
  store.LoseUnsyncedWrites(kWriter);
  EXPECT_EQ(Contents(store, "mine"), "");
  EXPECT_EQ(Contents(store, "theirs"), "t-unsynced");
  store.LoseUnsyncedWrites(kOtherWriter);
  EXPECT_EQ(Contents(store, "theirs"), "");
}

TEST(DurableStoreTest, SyncedBytesSurviveRepeatedLosses) {
  DurableStore store;
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "ckpt", "state").ok());
  store.LoseUnsyncedWrites(kWriter);
  store.LoseUnsyncedWrites(kWriter);
  EXPECT_EQ(Contents(store, "ckpt"), "state");
}

TEST(DurableStoreTest, WriteWholeFileCreatesAndSyncs) {
  DurableStore store;
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "out/part-0", "hello").ok());
  EXPECT_EQ(Contents(store, "out/part-0"), "hello");
  store.LoseUnsyncedWrites(kWriter);
  EXPECT_EQ(Contents(store, "out/part-0"), "hello");
}

TEST(DurableStoreTest, WriteWholeFileReplacesAnExistingFile) {
  DurableStore store;
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "f", "a much longer original").ok());
  ASSERT_TRUE(store.WriteWholeFile(kOtherWriter, "f", "new").ok());
  EXPECT_EQ(Contents(store, "f"), "new");
  EXPECT_EQ(store.List(""), (std::vector<std::string>{"f"}));
  EXPECT_EQ(store.bytes_stored(), 3);
}

// A replaced file belongs to its new writer: the old writer's crash no longer touches it.
TEST(DurableStoreTest, WriteWholeFileTransfersOwnership) {
  DurableStore store;
  ASSERT_TRUE(store.Create(kWriter, "f").ok());
  ASSERT_TRUE(store.Append("f", "old").ok());
  ASSERT_TRUE(store.WriteWholeFile(kOtherWriter, "f", "new").ok());
  ASSERT_TRUE(store.Append("f", "+tail").ok());
  store.LoseUnsyncedWrites(kWriter);
  EXPECT_EQ(Contents(store, "f"), "new+tail");
  store.LoseUnsyncedWrites(kOtherWriter);
  EXPECT_EQ(Contents(store, "f"), "new");
}

TEST(DurableStoreTest, BytesStoredSumsAllFiles) {
  DurableStore store;
  ASSERT_TRUE(store.WriteWholeFile(kWriter, "a", "12345").ok());
  ASSERT_TRUE(store.WriteWholeFile(kOtherWriter, "b", "123").ok());
  ASSERT_TRUE(store.Create(kWriter, "c").ok());
  EXPECT_EQ(store.bytes_stored(), 8);
}

}  // namespace
}  // namespace streamsim::sim
