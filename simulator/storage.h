// Durable storage: the HDFS-like store that holds checkpoints, write-ahead logs, saveAsTextFiles
// output and the directories file streams watch. Storage is an interface so that faults/ can
// decorate it (refuse writes, slow down, tear files) without touching engine code; DurableStore
// is the plain simulated implementation.
//
// Semantics: a file is created by one writer node; appended bytes are visible to readers at once
// but are durable only after Sync. When the writer node crashes, every unsynced byte of its open
// files is lost (LoseUnsyncedWrites), or — a crash in the middle of a write — a prefix of them
// survives (TearUnsyncedWrites). Rename is atomic and fails when the target exists. Listing is in
// byte order of the path.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "simulator/node.h"
#include "simulator/random.h"
#include "simulator/time.h"

namespace streamsim::sim {

// What a torn crash left of one file: `kept_bytes` of its `unsynced_bytes` unsynced tail survived.
struct TornFile {
  std::string path;
  int64_t unsynced_bytes = 0;
  int64_t kept_bytes = 0;
  bool operator==(const TornFile&) const = default;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Creates an empty file. Fails when it exists.
  virtual Status Create(NodeId writer, const std::string& path) = 0;
  // Appends to a file. Fails when it does not exist.
  virtual Status Append(const std::string& path, const std::string& bytes) = 0;
  // Makes every byte appended so far durable.
  virtual Status Sync(const std::string& path) = 0;
  // Atomically renames. Fails when `from` is missing or `to` exists.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Delete(const std::string& path) = 0;
  virtual Result<std::string> Read(const std::string& path) const = 0;
  virtual bool Exists(const std::string& path) const = 0;
  // Paths of the files directly or indirectly under `directory` ("dir" matches "dir/..."), sorted.
  virtual std::vector<std::string> List(const std::string& directory) const = 0;
  // Drops the unsynced tail of every file `writer` has written (the writer crashed).
  virtual void LoseUnsyncedWrites(NodeId writer) = 0;
  // The writer crashed in the middle of its writes: of each file's unsynced tail of u bytes, a
  // prefix of k bytes drawn from `random` survives, 1 <= k <= u - 1 (a tail of one byte is lost
  // whole); what survives is durable from then on. Files in path order, one draw per torn file.
  // The default, for stores that cannot tear, loses every tail whole and reports nothing torn.
  virtual std::vector<TornFile> TearUnsyncedWrites(NodeId writer, Prng& random);
  // Extra simulated time a write of `bytes` takes in this store beyond the cost model's figure
  // (a slow store); engine code adds it to every write duration it models. 0 by default.
  virtual Duration WriteDelay(int64_t bytes) const;

  // Convenience: create (or replace), append and sync in one step, as writing a whole small file.
  Status WriteWholeFile(NodeId writer, const std::string& path, const std::string& bytes);
  // Writes `bytes` to "<path>.tmp", then replaces `path` with it by rename, as Hadoop's output
  // committer does: readers see the old file or the whole new one, never half of it.
  Status ReplaceFileAtomically(NodeId writer, const std::string& path, const std::string& bytes);
};

// One change to what is durable, in the order it happened: bytes made durable at the end of a
// file (a sync, or the kept prefix of a torn tail), a rename, a deletion. Replaying the changes
// of a path gives every durable version it had, also of files deleted since (checker/ reads the
// driver's metadata this way, as the run goes).
struct DurableChange {
  enum class Kind { kSynced, kRenamed, kDeleted };
  Kind kind = Kind::kSynced;
  Instant at;
  std::string path;
  std::string detail;  // kSynced: the bytes made durable; kRenamed: the new path
  bool operator==(const DurableChange&) const = default;
};

class DurableStore : public Storage {
 public:
  Status Create(NodeId writer, const std::string& path) override;
  Status Append(const std::string& path, const std::string& bytes) override;
  Status Sync(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& path) override;
  Result<std::string> Read(const std::string& path) const override;
  bool Exists(const std::string& path) const override;
  std::vector<std::string> List(const std::string& directory) const override;
  void LoseUnsyncedWrites(NodeId writer) override;
  std::vector<TornFile> TearUnsyncedWrites(NodeId writer, Prng& random) override;

  int64_t bytes_stored() const;

  // From now on, hands `observer` each change (DurableChange) of paths starting with one of
  // `prefixes` (a rename when either name does), stamped with `clock`, as it happens; observers
  // added earlier go on (each gets its own paths, in the order added). Off by default. The store
  // keeps nothing of it: each observer decides what to remember.
  using DurableChangeObserver = std::function<void(const DurableChange&)>;
  void ObserveDurableChanges(std::vector<std::string> prefixes, std::function<Instant()> clock,
                             DurableChangeObserver observer);

 private:
  void Note(DurableChange::Kind kind, const std::string& path, std::string detail);

  struct File {
    NodeId writer;
    std::string contents;
    size_t synced_bytes = 0;
  };
  std::map<std::string, File> files_;
  struct Watch {
    std::vector<std::string> prefixes;
    DurableChangeObserver observer;
    bool Covers(const std::string& path) const;
  };
  std::function<Instant()> clock_;
  std::vector<Watch> watches_;
};

}  // namespace streamsim::sim
