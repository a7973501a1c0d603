// Tests of the rolling write-ahead log (engine/recovery/write_ahead_log.cc) on the simulated
// durable store.
#include "engine/recovery/write_ahead_log.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace streamsim::engine {
namespace {

constexpr sim::NodeId kWriter{7};

sim::Instant AtMillis(int64_t ms) { return sim::Instant{ms * 1000}; }

// A handle as (path, offset, length), so that handles compare as a whole.
using HandleFields = std::tuple<std::string, int64_t, int64_t>;

HandleFields Fields(const WalRecordHandle& handle) {
  return {handle.path, handle.offset, handle.length};
}

// Writes one record, which must succeed, and returns its handle.
WalRecordHandle Write(WriteAheadLog& log, sim::Storage& storage, const std::string& record,
                      int64_t ms) {
  Result<WalRecordHandle> handle = log.Write(storage, kWriter, record, AtMillis(ms));
  EXPECT_TRUE(handle.ok()) << handle.status().message();
  return handle.ok() ? handle.value() : WalRecordHandle{};
}

std::string Contents(const sim::Storage& storage, const std::string& path) {
  Result<std::string> contents = storage.Read(path);
  EXPECT_TRUE(contents.ok()) << path;
  return contents.ok() ? contents.value() : "";
}

std::string ReadBack(const sim::Storage& storage, const WalRecordHandle& handle) {
  Result<std::string> record = WriteAheadLog::ReadRecord(storage, handle);
  EXPECT_TRUE(record.ok()) << handle.path << "@" << handle.offset;
  return record.ok() ? record.value() : "";
}

std::string ReadError(const sim::Storage& storage, const WalRecordHandle& handle) {
  Result<std::string> record = WriteAheadLog::ReadRecord(storage, handle);
  EXPECT_FALSE(record.ok()) << "read " << (record.ok() ? record.value() : "");
  return record.ok() ? "" : record.status().message();
}

TEST(WriteAheadLogTest, WriteReturnsThePathOffsetAndLengthOfEachRecord) {
  sim::DurableStore storage;
  WriteAheadLog log("cp/receivedData/0", kWalRollingInterval);
  EXPECT_EQ(log.directory(), "cp/receivedData/0");
  EXPECT_EQ(Fields(Write(log, storage, "alpha", 0)),
            (HandleFields{"cp/receivedData/0/log-0-60000", 0, 5}));
  // Each record is followed by its newline: the next one starts one byte after it ends.
  EXPECT_EQ(Fields(Write(log, storage, "beta", 1500)),
            (HandleFields{"cp/receivedData/0/log-0-60000", 6, 4}));
  EXPECT_EQ(Fields(Write(log, storage, "{\"gamma\":1}", 59'999)),
            (HandleFields{"cp/receivedData/0/log-0-60000", 11, 11}));
  EXPECT_EQ(Contents(storage, "cp/receivedData/0/log-0-60000"), "alpha\nbeta\n{\"gamma\":1}\n");
  // Every write was synced: the writer crashing loses none of it.
  storage.LoseUnsyncedWrites(kWriter);
  EXPECT_EQ(Contents(storage, "cp/receivedData/0/log-0-60000"), "alpha\nbeta\n{\"gamma\":1}\n");
}

TEST(WriteAheadLogTest, RecordsRollIntoANewFileEveryRollingInterval) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", sim::Duration::Seconds(10));
  EXPECT_EQ(Fields(Write(log, storage, "r1", 0)), (HandleFields{"wal/log-0-10000", 0, 2}));
  EXPECT_EQ(Fields(Write(log, storage, "r2", 9'999)), (HandleFields{"wal/log-0-10000", 3, 2}));
  // 10 s starts the next interval's file, at offset 0.
  EXPECT_EQ(Fields(Write(log, storage, "r3", 10'000)), (HandleFields{"wal/log-10000-20000", 0, 2}));
  // An interval without writes has no file.
  EXPECT_EQ(Fields(Write(log, storage, "r4", 35'000)), (HandleFields{"wal/log-30000-40000", 0, 2}));
  EXPECT_EQ(Fields(Write(log, storage, "r5", 39'999)), (HandleFields{"wal/log-30000-40000", 3, 2}));
  EXPECT_EQ(storage.List("wal"), (std::vector<std::string>{"wal/log-0-10000", "wal/log-10000-20000",
                                                           "wal/log-30000-40000"}));
  EXPECT_EQ(Contents(storage, "wal/log-0-10000"), "r1\nr2\n");
  EXPECT_EQ(Contents(storage, "wal/log-10000-20000"), "r3\n");
  EXPECT_EQ(Contents(storage, "wal/log-30000-40000"), "r4\nr5\n");
}

TEST(WriteAheadLogTest, ReadRecordReadsOneRecordBackFromItsHandle) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", kWalRollingInterval);
  const WalRecordHandle first = Write(log, storage, "first record", 100);
  const WalRecordHandle second = Write(log, storage, "2nd", 200);
  const WalRecordHandle third = Write(log, storage, "third, in the next file", 61'000);
  EXPECT_EQ(ReadBack(storage, second), "2nd");
  EXPECT_EQ(ReadBack(storage, first), "first record");
  EXPECT_EQ(ReadBack(storage, third), "third, in the next file");
  // An empty record is a record too.
  const WalRecordHandle empty = Write(log, storage, "", 62'000);
  EXPECT_EQ(Fields(empty), (HandleFields{"wal/log-60000-120000", 24, 0}));
  EXPECT_EQ(ReadBack(storage, empty), "");
}

TEST(WriteAheadLogTest, ReadAllReplaysEveryRecordInTimeOrderAcrossFiles) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", kWalRollingInterval);
  (void)Write(log, storage, "r1", 0);
  (void)Write(log, storage, "r2", 30'000);
  (void)Write(log, storage, "r3", 60'000);
  (void)Write(log, storage, "r4", 125'000);
  (void)Write(log, storage, "r5", 126'000);
  (void)Write(log, storage, "r6", 600'000);
  // Listed in byte order, the files are not in time order ("log-120000-..." sorts before
  // "log-60000-..."); the replay goes by the files' start times.
  EXPECT_EQ(storage.List("wal"),
            (std::vector<std::string>{"wal/log-0-60000", "wal/log-120000-180000",
                                      "wal/log-60000-120000", "wal/log-600000-660000"}));
  EXPECT_EQ(log.ReadAll(storage), (std::vector<std::string>{"r1", "r2", "r3", "r4", "r5", "r6"}));
  // Files that are not log files, and other logs' directories, are not replayed.
  ASSERT_TRUE(storage.WriteWholeFile(kWriter, "wal/notes.txt", "not a record\n").ok());
  ASSERT_TRUE(storage.WriteWholeFile(kWriter, "wal2/log-0-60000", "other log\n").ok());
  EXPECT_EQ(log.ReadAll(storage), (std::vector<std::string>{"r1", "r2", "r3", "r4", "r5", "r6"}));
  EXPECT_TRUE(WriteAheadLog("empty", kWalRollingInterval).ReadAll(storage).empty());
}

TEST(WriteAheadLogTest, ATornLastRecordIsSkippedOnReplay) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", kWalRollingInterval);
  const WalRecordHandle r1 = Write(log, storage, "{\"event\":\"add\"}", 1000);
  const WalRecordHandle r2 = Write(log, storage, "{\"event\":\"allocate\"}", 2000);
  // A write torn by a crash: its bytes without the newline that ends a record.
  ASSERT_TRUE(storage.Append("wal/log-0-60000", "{\"event\":\"cle").ok());
  EXPECT_EQ(log.ReadAll(storage),
            (std::vector<std::string>{"{\"event\":\"add\"}", "{\"event\":\"allocate\"}"}));
  // The complete records before it still read back by handle.
  EXPECT_EQ(ReadBack(storage, r1), "{\"event\":\"add\"}");
  EXPECT_EQ(ReadBack(storage, r2), "{\"event\":\"allocate\"}");
  // A torn last record of an older file does not stop the replay of the newer files.
  (void)Write(log, storage, "{\"event\":\"later\"}", 70'000);
  EXPECT_EQ(log.ReadAll(storage),
            (std::vector<std::string>{"{\"event\":\"add\"}", "{\"event\":\"allocate\"}",
                                      "{\"event\":\"later\"}"}));
}

TEST(WriteAheadLogTest, DeleteFilesEndingByDeletesExactlyTheFilesWhoseIntervalEnded) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", kWalRollingInterval);
  (void)Write(log, storage, "r1", 10'000);
  (void)Write(log, storage, "r2", 70'000);
  (void)Write(log, storage, "r3", 130'000);
  ASSERT_TRUE(storage.WriteWholeFile(kWriter, "wal/notes.txt", "kept\n").ok());
  ASSERT_TRUE(storage.WriteWholeFile(kWriter, "wal2/log-0-60000", "other log\n").ok());
  // Nothing has ended by 59.999 s.
  log.DeleteFilesEndingBy(storage, AtMillis(59'999));
  EXPECT_EQ(storage.List("wal").size(), 4u);
  // A file whose interval ends exactly at the time goes.
  log.DeleteFilesEndingBy(storage, AtMillis(60'000));
  EXPECT_EQ(
      storage.List("wal"),
      (std::vector<std::string>{"wal/log-120000-180000", "wal/log-60000-120000", "wal/notes.txt"}));
  log.DeleteFilesEndingBy(storage, AtMillis(179'999));
  EXPECT_EQ(storage.List("wal"),
            (std::vector<std::string>{"wal/log-120000-180000", "wal/notes.txt"}));
  EXPECT_EQ(log.ReadAll(storage), (std::vector<std::string>{"r3"}));
  log.DeleteFilesEndingBy(storage, AtMillis(1'000'000));
  EXPECT_EQ(storage.List("wal"), (std::vector<std::string>{"wal/notes.txt"}));
  EXPECT_TRUE(log.ReadAll(storage).empty());
  // Another log's files are not this log's to delete.
  EXPECT_EQ(storage.List("wal2"), (std::vector<std::string>{"wal2/log-0-60000"}));
}

TEST(WriteAheadLogTest, AHandleThatDoesNotEndAtANewlineIsAnError) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", kWalRollingInterval);
  const WalRecordHandle alpha = Write(log, storage, "alpha", 0);
  (void)Write(log, storage, "beta", 1);
  const std::string not_found = "write-ahead log record not found in wal/log-0-60000";
  // One byte short: the byte after it is 'a', not the newline.
  EXPECT_EQ(ReadError(storage, WalRecordHandle{alpha.path, 0, 4}), not_found);
  // One byte long: it takes the newline and ends on 'b'.
  EXPECT_EQ(ReadError(storage, WalRecordHandle{alpha.path, 0, 6}), not_found);
  // A record torn at the end of the file: no newline after it at all.
  ASSERT_TRUE(storage.Append(alpha.path, "gamma").ok());
  EXPECT_EQ(ReadError(storage, WalRecordHandle{alpha.path, 11, 5}), not_found);
  // Past the end, or before the start.
  EXPECT_EQ(ReadError(storage, WalRecordHandle{alpha.path, 100, 5}), not_found);
  EXPECT_EQ(ReadError(storage, WalRecordHandle{alpha.path, -1, 1}), not_found);
  // A deleted file.
  ASSERT_TRUE(storage.Delete(alpha.path).ok());
  EXPECT_EQ(ReadError(storage, alpha), "no such file: wal/log-0-60000");
}

}  // namespace
}  // namespace streamsim::engine
