// The driver's receiver tracker: it hears of every block a receiver stored, queues them per
// stream, and at each batch time allocates every queued block to that batch (Spark's
// ReceivedBlockTracker). It also keeps each receiver's status for the batch table and the UI.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/core/rdd.h"
#include "engine/recovery/write_ahead_log.h"
#include "simulator/time.h"
#include "simulator/world.h"

namespace streamsim::engine {

struct ReceivedBlock {
  int stream_id = 0;
  BlockRdd::BlockInfo info;
};

struct ReceiverStatus {
  std::string name;  // the source's name
  int stream_id = 0;
  int executor = -1;               // where it runs, -1 when not running
  std::string state = "INACTIVE";  // ACTIVE | INACTIVE
  int64_t records = 0;             // records stored in blocks so far
  int64_t blocks = 0;
  std::string last_error;
};

// With a checkpoint directory the tracker keeps Spark's block-tracker write-ahead log
// ("<checkpoint>/receivedBlockMetadata"): block added, batch allocated and batches cleaned up are
// each logged (appended and synced) before the in-memory change, and a restarted driver replays
// the log to learn which blocks were received and which batch each was allocated to.
class ReceiverTracker {
 public:
  void EnableWriteAheadLog(sim::World* world, sim::NodeId driver, std::string directory);
  // Rebuilds the queued and allocated blocks from the log; returns the number of events replayed.
  int RecoverFromWriteAheadLog();
  // Queues a reported block for the next batch. With the log, the addition is logged first; when
  // that write fails the block is not queued and the answer is false, as Spark's
  // ReceivedBlockTracker.addBlock answers the receiver (a reliable store then fails).
  [[nodiscard]] bool AddBlock(const ReceivedBlock& block);
  // Moves every queued block to batch `t`. When the log write fails, nothing moves: batch `t` has
  // no blocks and the next batch takes them.
  void AllocateBlocksToBatch(sim::Instant t);
  std::vector<BlockRdd::BlockInfo> BlocksOfBatch(sim::Instant t, int stream_id) const;
  int64_t RecordsOfBatch(sim::Instant t) const;
  // Forgets the allocations of batches at or before `limit` and returns their blocks (to remove
  // them from the executors). When the log write fails it forgets nothing (a later call will).
  std::vector<BlockRdd::BlockInfo> CleanupBatchesUpTo(sim::Instant limit);
  bool HasUnallocatedBlocks() const;
  // Checkpoint and recovery: every remembered allocation, and restoring one.
  const std::map<sim::Instant, std::map<int, std::vector<BlockRdd::BlockInfo>>>& allocations()
      const {
    return allocated_;
  }
  void RestoreAllocation(sim::Instant t, int stream_id, std::vector<BlockRdd::BlockInfo> blocks);
  bool IsAllocated(sim::Instant t) const { return allocated_.count(t) > 0; }
  // The driver crashed: forget queued and allocated blocks; receivers become inactive.
  void Reset(const std::string& reason);

  ReceiverStatus& status(int stream_id) { return statuses_[stream_id]; }
  const std::map<int, ReceiverStatus>& statuses() const { return statuses_; }

 private:
  std::map<int, std::deque<BlockRdd::BlockInfo>> unallocated_;
  std::map<sim::Instant, std::map<int, std::vector<BlockRdd::BlockInfo>>> allocated_;
  std::map<int, ReceiverStatus> statuses_;
  // The id of every block waiting or allocated to a remembered batch (each held once).
  std::set<std::string> held_ids_;
  using AllocationIterator =
      std::map<sim::Instant, std::map<int, std::vector<BlockRdd::BlockInfo>>>::iterator;
  void Hold(const std::string& block_id);
  // Forgets the allocations in [begin, end) and their blocks' ids.
  void Forget(AllocationIterator begin, AllocationIterator end);
  // The write-ahead log, when enabled.
  bool Log(const nlohmann::json& event);  // false when the log write failed
  void Apply(const nlohmann::json& event);
  sim::World* world_ = nullptr;
  sim::NodeId driver_;
  std::optional<WriteAheadLog> log_;
};

}  // namespace streamsim::engine
