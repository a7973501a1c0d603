// A durable store that misbehaves on purpose: a decorator around the world's store (installed
// with World::DecorateStorage) that, each over a window of simulated time, can
//   - refuse writes: Create, Append, Sync, Rename and Delete fail with the IOException HDFS gives
//     while its name node is in safe mode; Read, Exists and List still work;
//   - be slow: every write takes `extra_per_write` longer (WriteDelay, which the engine adds to
//     every write duration it models: the receiver's write-ahead log, the metadata checkpoint
//     writer, output and data-checkpoint tasks);
//   - tear writes on crash: a writer that crashes leaves a random non-empty proper prefix of each
//     file's unsynced tail, as a crash in the middle of a write does, instead of losing the whole
//     tail (TearUnsyncedWrites; draws from the world's "faults/storage" stream).
// Windows of one kind that overlap combine: refusals and tearing last until the latest end, slow
// downs add up. Outside every window the decorator changes nothing. Each call that opens a window
// records a "fault" trace line, and each torn file a "storage" line.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "simulator/storage.h"
#include "simulator/world.h"

namespace streamsim::faults {

class FaultyStorage : public sim::Storage {
 public:
  FaultyStorage(sim::World* world, std::unique_ptr<sim::Storage> inner);

  // From now until `until`, every write (Create, Append, Sync, Rename, Delete) fails with
  // "java.io.IOException: Cannot <operation> <path>. Name node is in safe mode." and changes
  // nothing; reads are unaffected. (`storage: refuse_writes` in a scenario.)
  void RefuseWrites(sim::Instant until);
  // From now until `until`, WriteDelay answers `extra_per_write` more for every write, whatever
  // its size. (`storage: slow` with `extra_latency`.)
  void SlowDown(sim::Duration extra_per_write, sim::Instant until);
  // From now until `until`, a crashing writer's unsynced tails are torn rather than lost whole.
  // (`storage: torn_writes`.)
  void TearOnCrash(sim::Instant until);

  bool RefusingWrites() const;
  bool TearingOnCrash() const;

  Status Create(sim::NodeId writer, const std::string& path) override;
  Status Append(const std::string& path, const std::string& bytes) override;
  Status Sync(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& path) override;
  Result<std::string> Read(const std::string& path) const override { return inner_->Read(path); }
  bool Exists(const std::string& path) const override { return inner_->Exists(path); }
  std::vector<std::string> List(const std::string& directory) const override {
    return inner_->List(directory);
  }
  // Tears (while TearingOnCrash) or loses the writer's unsynced tails.
  void LoseUnsyncedWrites(sim::NodeId writer) override;
  std::vector<sim::TornFile> TearUnsyncedWrites(sim::NodeId writer, sim::Prng& random) override;
  sim::Duration WriteDelay(int64_t bytes) const override;

  sim::Storage& inner() { return *inner_; }
  uint64_t writes_refused() const { return writes_refused_; }

 private:
  struct SlowDownWindow {
    sim::Duration extra_per_write;
    sim::Instant until;
  };
  // The error of a refused write, counted; Ok outside a refusal window.
  Status Refusal(const char* operation, const std::string& path);

  sim::World* world_;
  std::unique_ptr<sim::Storage> inner_;
  sim::Prng* random_;
  sim::Instant refuse_until_;
  sim::Instant tear_until_;
  std::vector<SlowDownWindow> slow_downs_;
  uint64_t writes_refused_ = 0;
};

// The world's FaultyStorage, installed around its store on first use and returned on later calls.
FaultyStorage& InstallFaultyStorage(sim::World& world);

}  // namespace streamsim::faults
