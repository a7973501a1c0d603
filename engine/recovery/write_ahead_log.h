// A rolling write-ahead log in the durable store, as both of Spark's logs use it
// (FileBasedWriteAheadLog): each record is appended and synced before the write returns; a new
// file starts every rolling interval ("<dir>/log-<start ms>-<end ms>", default 60 s); files wholly
// older than a time can be deleted; reading replays every record of every file in order. One
// record is one line (the payload never contains a newline), so a record torn by a crash in the
// middle of a write is a last line without its newline, and is skipped on replay.
//
// A torn file is never appended to: Spark's restarted writer opens a new file, so a new record
// cannot join the torn fragment. Here the writer appends to the newest file of the interval only
// when that file ends with a whole record; after a torn tail it starts "log-<now ms>-<end ms>",
// a second file of the same interval that sorts after the torn one by its start time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "simulator/storage.h"
#include "simulator/time.h"

namespace streamsim::engine {

// Spark's default rolling interval of both logs.
inline constexpr sim::Duration kWalRollingInterval = sim::Duration::Seconds(60);

// Where a record is: enough to read it back alone (WriteAheadLogRecordHandle).
struct WalRecordHandle {
  std::string path;
  int64_t offset = 0;
  int64_t length = 0;  // without the newline
};

class WriteAheadLog {
 public:
  WriteAheadLog(std::string directory, sim::Duration rolling_interval);

  // Appends and syncs one record (REQUIRES: no newline in it) to the file of `now`'s interval.
  Result<WalRecordHandle> Write(sim::Storage& storage, sim::NodeId writer,
                                const std::string& record, sim::Instant now);
  // The first half of a write that takes time: the record is appended (visible, not yet durable:
  // a crash of `writer` before SyncRecord loses it or tears it). Fails as Write does.
  Result<WalRecordHandle> Append(sim::Storage& storage, sim::NodeId writer,
                                 const std::string& record, sim::Instant now);
  // The second half: makes the appended record (and everything before it) durable.
  static Status SyncRecord(sim::Storage& storage, const WalRecordHandle& handle);
  // Every complete record of every file, oldest file first.
  std::vector<std::string> ReadAll(const sim::Storage& storage) const;
  // Deletes the files whose interval ended at or before `t`.
  void DeleteFilesEndingBy(sim::Storage& storage, sim::Instant t) const;
  const std::string& directory() const { return directory_; }

  static Result<std::string> ReadRecord(const sim::Storage& storage, const WalRecordHandle& handle);

 private:
  std::vector<std::string> FilesOldestFirst(const sim::Storage& storage) const;
  // The file a record written at `now` goes to, created if need be, and its current size.
  Result<std::pair<std::string, int64_t>> FileToAppendTo(sim::Storage& storage, sim::NodeId writer,
                                                         sim::Instant now);

  std::string directory_;
  sim::Duration rolling_interval_;
};

}  // namespace streamsim::engine
