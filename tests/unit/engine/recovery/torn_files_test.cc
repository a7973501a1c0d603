// Tests of torn files: a write-ahead log whose writer crashed in the middle of a record, and
// metadata checkpoints whose write was cut short. Recovery must cope as Spark does: a torn log
// record is skipped and a restarted writer starts a new file; "temp" is never read, and a torn
// or corrupt "checkpoint-<time>" gives way to the next newest readable file.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/recovery/checkpoint.h"
#include "engine/recovery/checkpoint_writer.h"
#include "engine/recovery/write_ahead_log.h"

namespace streamsim::engine {
namespace {

constexpr sim::NodeId kWriter{2};
constexpr char kDirectory[] = "checkpoints/app";

sim::Instant Ms(int64_t ms) { return sim::Instant{ms * 1000}; }

std::string Contents(const sim::Storage& storage, const std::string& path) {
  Result<std::string> contents = storage.Read(path);
  EXPECT_TRUE(contents.ok()) << path;
  return contents.ok() ? contents.value() : "";
}

WalRecordHandle Append(WriteAheadLog& log, sim::Storage& storage, const std::string& record,
                       int64_t ms) {
  Result<WalRecordHandle> handle = log.Append(storage, kWriter, record, Ms(ms));
  EXPECT_TRUE(handle.ok()) << handle.status().message();
  return handle.ok() ? handle.value() : WalRecordHandle{};
}

WalRecordHandle Write(WriteAheadLog& log, sim::Storage& storage, const std::string& record,
                      int64_t ms) {
  const WalRecordHandle handle = Append(log, storage, record, ms);
  EXPECT_TRUE(WriteAheadLog::SyncRecord(storage, handle).ok());
  return handle;
}

TEST(TornWalTest, AppendedRecordsAreDurableOnlyOnceSynced) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", kWalRollingInterval);
  (void)Write(log, storage, "r1", 1000);
  const WalRecordHandle r2 = Append(log, storage, "r2", 2000);
  EXPECT_EQ(r2.path, "wal/log-0-60000");
  EXPECT_EQ(r2.offset, 3);
  // Visible before the sync ...
  EXPECT_EQ(log.ReadAll(storage), (std::vector<std::string>{"r1", "r2"}));
  // ... and gone whole when the writer crashes first: the file ends cleanly, so the restarted
  // writer appends to it.
  storage.LoseUnsyncedWrites(kWriter);
  EXPECT_EQ(Contents(storage, "wal/log-0-60000"), "r1\n");
  EXPECT_EQ(Write(log, storage, "r3", 3000).offset, 3);
  EXPECT_EQ(log.ReadAll(storage), (std::vector<std::string>{"r1", "r3"}));
}

TEST(TornWalTest, ARestartedWriterStartsANewFileAfterATornTailAndEveryWholeRecordReadsBack) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", kWalRollingInterval);
  const WalRecordHandle r1 = Write(log, storage, "record-1", 1000);
  const WalRecordHandle r2 = Write(log, storage, "record-2", 2000);
  (void)Append(log, storage, "record-3", 3000);
  // The writer crashes in the middle of record-3: seed 5 keeps 2 of its 9 bytes.
  sim::Prng random(5);
  EXPECT_EQ(storage.TearUnsyncedWrites(kWriter, random),
            (std::vector<sim::TornFile>{{"wal/log-0-60000", 9, 2}}));
  EXPECT_EQ(Contents(storage, "wal/log-0-60000"), "record-1\nrecord-2\nre");
  // The restarted writer never appends to the torn file: its records go to a new file of the
  // same interval, named after the time of its first write, which replays after the torn one.
  const WalRecordHandle r4 = Write(log, storage, "record-4", 4000);
  const WalRecordHandle r5 = Write(log, storage, "record-5", 5000);
  EXPECT_EQ(r4.path, "wal/log-4000-60000");
  EXPECT_EQ(r4.offset, 0);
  EXPECT_EQ(r5.path, "wal/log-4000-60000");
  EXPECT_EQ(r5.offset, 9);
  EXPECT_EQ(Contents(storage, "wal/log-0-60000"), "record-1\nrecord-2\nre");
  // Every whole record reads back, in order; only record-3, never synced, is lost.
  EXPECT_EQ(log.ReadAll(storage),
            (std::vector<std::string>{"record-1", "record-2", "record-4", "record-5"}));
  for (const WalRecordHandle& handle : {r1, r2, r4, r5}) {
    EXPECT_TRUE(WriteAheadLog::ReadRecord(storage, handle).ok()) << handle.offset;
  }
  // The next interval starts its own file as before, and both files of the first interval end
  // at 60 s, so they are deleted together.
  EXPECT_EQ(Write(log, storage, "record-6", 61'000).path, "wal/log-60000-120000");
  log.DeleteFilesEndingBy(storage, Ms(60'000));
  EXPECT_EQ(storage.List("wal"), std::vector<std::string>{"wal/log-60000-120000"});
  EXPECT_EQ(log.ReadAll(storage), std::vector<std::string>{"record-6"});
}

TEST(TornWalTest, ATornSecondFileOfAnIntervalGetsAThirdOne) {
  sim::DurableStore storage;
  WriteAheadLog log("wal", kWalRollingInterval);
  ASSERT_TRUE(storage.WriteWholeFile(kWriter, "wal/log-0-60000", "a\nb").ok());
  ASSERT_TRUE(storage.WriteWholeFile(kWriter, "wal/log-7000-60000", "c\nd").ok());
  // Torn at 7 s and restarted within the same millisecond: the new file still sorts after it.
  EXPECT_EQ(Write(log, storage, "e", 7000).path, "wal/log-7001-60000");
  EXPECT_EQ(Write(log, storage, "f", 9000).path, "wal/log-7001-60000");
  EXPECT_EQ(log.ReadAll(storage), (std::vector<std::string>{"a", "c", "e", "f"}));
}

// A checkpoint for `ms` with a marker pending batch, to tell files apart.
CheckpointData CheckpointAt(int64_t ms) {
  CheckpointData data;
  data.checkpoint_time = Ms(ms);
  data.batch_interval = sim::Duration::Seconds(1);
  data.pending_batches = {Ms(ms)};
  return data;
}

TEST(TornCheckpointTest, ATornOrCorruptCheckpointFileGivesWayToTheNextNewestReadableOne) {
  sim::DurableStore storage;
  for (int64_t ms : {3000, 4000, 5000, 5000}) {
    ASSERT_TRUE(WriteCheckpoint(storage, kWriter, kDirectory, CheckpointAt(ms)).ok());
  }
  // checkpoint-5000 torn (the first 40 bytes of a whole encoding), its backup corrupt, and a
  // torn "temp" of a newer checkpoint left by a crash.
  const std::string whole = EncodeCheckpoint(CheckpointAt(5000)).dump();
  ASSERT_TRUE(storage.Delete("checkpoints/app/checkpoint-5000").ok());
  ASSERT_TRUE(
      storage.WriteWholeFile(kWriter, "checkpoints/app/checkpoint-5000", whole.substr(0, 40)).ok());
  ASSERT_TRUE(storage.Delete("checkpoints/app/checkpoint-5000.bk").ok());
  ASSERT_TRUE(storage
                  .WriteWholeFile(kWriter, "checkpoints/app/checkpoint-5000.bk",
                                  "{\"version\": 1, \"checkpoint_time_us\": 5000000}")
                  .ok());
  ASSERT_TRUE(storage
                  .WriteWholeFile(kWriter, "checkpoints/app/temp",
                                  EncodeCheckpoint(CheckpointAt(6000)).dump().substr(0, 90))
                  .ok());
  const CheckpointReadResult read = ReadNewestCheckpoint(storage, kDirectory);
  ASSERT_TRUE(read.data.has_value());
  EXPECT_EQ(read.file, "checkpoints/app/checkpoint-4000");
  EXPECT_EQ(read.data->checkpoint_time, Ms(4000));
  EXPECT_EQ(read.data->pending_batches, std::vector<sim::Instant>{Ms(4000)});
  // "temp" is not a checkpoint file: never read, not even reported as skipped.
  EXPECT_EQ(read.skipped, (std::vector<std::string>{"checkpoints/app/checkpoint-5000",
                                                    "checkpoints/app/checkpoint-5000.bk"}));
}

// The checkpoint writer on a world with a driver node: each write takes the cost model's storage
// write time for its size (5 ms + 20 us per whole KB; these checkpoints are under 1 KB).
class CheckpointWriterTest : public ::testing::Test {
 protected:
  CheckpointWriterTest() : world_(3) {
    world_.trace().SetSink([this](std::string_view line) { trace_.emplace_back(line); });
    driver_ = world_.AddNode("driver");
    world_.Start(driver_);
    CheckpointWriter::Callbacks callbacks;
    callbacks.on_written = [this](const CheckpointData& data) {
      written_.push_back(world_.Now().us);
      written_times_.push_back(data.checkpoint_time.millis());
    };
    callbacks.on_failed = [this](sim::Instant time, const std::string& message) {
      failures_.push_back(std::to_string(time.millis()) + ": " + message);
    };
    writer_ = std::make_unique<CheckpointWriter>(&world_, &cost_, driver_, kDirectory,
                                                 std::move(callbacks));
  }
  void RunUntilMs(int64_t ms) { world_.loop().RunUntil(Ms(ms)); }
  std::vector<std::string> Files() { return world_.storage().List(kDirectory); }

  sim::World world_;
  CostModel cost_;
  sim::NodeId driver_;
  std::unique_ptr<CheckpointWriter> writer_;
  std::vector<std::string> trace_;
  std::vector<int64_t> written_;        // when each write completed (us)
  std::vector<int64_t> written_times_;  // the checkpoint time of each (ms)
  std::vector<std::string> failures_;
};

TEST_F(CheckpointWriterTest, AWriteTakesItsStorageTimeAndWritesQueueBehindIt) {
  RunUntilMs(1000);
  writer_->Write(CheckpointAt(1000));
  writer_->Write(CheckpointAt(1000));  // written again after the batch completes
  writer_->Write(CheckpointAt(2000));
  EXPECT_FALSE(writer_->idle());
  // During the first write only "temp" exists.
  EXPECT_EQ(Files(), std::vector<std::string>{"checkpoints/app/temp"});
  RunUntilMs(1100);
  EXPECT_TRUE(writer_->idle());
  // One after the other, 5 ms each.
  EXPECT_EQ(written_, (std::vector<int64_t>{1'005'000, 1'010'000, 1'015'000}));
  EXPECT_EQ(written_times_, (std::vector<int64_t>{1000, 1000, 2000}));
  EXPECT_EQ(Files(), (std::vector<std::string>{"checkpoints/app/checkpoint-1000",
                                               "checkpoints/app/checkpoint-1000.bk",
                                               "checkpoints/app/checkpoint-2000"}));
  EXPECT_TRUE(failures_.empty());
}

TEST_F(CheckpointWriterTest, ACrashInTheMiddleOfAWriteLeavesATornTempThatIsNeverRead) {
  RunUntilMs(1000);
  writer_->Write(CheckpointAt(1000));
  RunUntilMs(2000);
  writer_->Write(CheckpointAt(2000));
  writer_->Write(CheckpointAt(3000));  // queued behind it
  RunUntilMs(2003);
  // The driver dies 3 ms into the write of checkpoint 2000, tearing "temp" (seed 9 keeps 81 of
  // its bytes).
  sim::Prng random(9);
  const std::vector<sim::TornFile> torn = world_.storage().TearUnsyncedWrites(driver_, random);
  ASSERT_EQ(torn.size(), 1u);
  EXPECT_EQ(torn[0].path, "checkpoints/app/temp");
  EXPECT_EQ(torn[0].kept_bytes, 81);
  world_.Crash(driver_);
  EXPECT_EQ(Contents(world_.storage(), "checkpoints/app/temp"),
            EncodeCheckpoint(CheckpointAt(2000)).dump().substr(0, 81));
  // The write never completes and the queued one is gone with the driver.
  RunUntilMs(3000);
  EXPECT_EQ(written_times_, std::vector<int64_t>{1000});
  // Recovery reads checkpoint-1000; "temp" is not even looked at.
  const CheckpointReadResult read = ReadNewestCheckpoint(world_.storage(), kDirectory);
  EXPECT_EQ(read.file, "checkpoints/app/checkpoint-1000");
  EXPECT_TRUE(read.skipped.empty());
  // The restarted driver's writer replaces the torn temp and writes on.
  world_.Start(driver_);
  writer_->Write(CheckpointAt(4000));
  RunUntilMs(4100);
  EXPECT_EQ(written_times_, (std::vector<int64_t>{1000, 4000}));
  EXPECT_EQ(Files(), (std::vector<std::string>{"checkpoints/app/checkpoint-1000",
                                               "checkpoints/app/checkpoint-4000"}));
}

TEST_F(CheckpointWriterTest, FlushCompletesEveryPendingWriteAtOnce) {
  RunUntilMs(1000);
  writer_->Write(CheckpointAt(1000));
  writer_->Write(CheckpointAt(2000));
  writer_->Flush();
  EXPECT_TRUE(writer_->idle());
  EXPECT_EQ(written_, (std::vector<int64_t>{1'000'000, 1'000'000}));
  EXPECT_EQ(written_times_, (std::vector<int64_t>{1000, 2000}));
  // Nothing is left to fire later.
  RunUntilMs(2000);
  EXPECT_EQ(written_times_, (std::vector<int64_t>{1000, 2000}));
}

}  // namespace
}  // namespace streamsim::engine
