// The driver's receiver tracker: it hears of every block a receiver stored, queues them per
// stream, and at each batch time allocates every queued block to that batch (Spark's
// ReceivedBlockTracker). It also keeps each receiver's status for the batch table and the UI.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "engine/rdd.h"
#include "simulator/time.h"

namespace streamsim::engine {

struct ReceivedBlock {
  int stream_id = 0;
  BlockRdd::BlockInfo info;
};

struct ReceiverStatus {
  std::string name;     // the source's name
  int stream_id = 0;
  int executor = -1;    // where it runs, -1 when not running
  std::string state = "INACTIVE";  // ACTIVE | INACTIVE
  int64_t records = 0;  // records stored in blocks so far
  int64_t blocks = 0;
  std::string last_error;
};

class ReceiverTracker {
 public:
  void AddBlock(const ReceivedBlock& block);
  // Moves every queued block to batch `t`.
  void AllocateBlocksToBatch(sim::Instant t);
  std::vector<BlockRdd::BlockInfo> BlocksOfBatch(sim::Instant t, int stream_id) const;
  int64_t RecordsOfBatch(sim::Instant t) const;
  // Forgets the allocation of batch `t` and returns the ids of its blocks (to remove them).
  std::vector<BlockRdd::BlockInfo> CleanupBatch(sim::Instant t);
  bool HasUnallocatedBlocks() const;

  ReceiverStatus& status(int stream_id) { return statuses_[stream_id]; }
  const std::map<int, ReceiverStatus>& statuses() const { return statuses_; }

 private:
  std::map<int, std::deque<BlockRdd::BlockInfo>> unallocated_;
  std::map<sim::Instant, std::map<int, std::vector<BlockRdd::BlockInfo>>> allocated_;
  std::map<int, ReceiverStatus> statuses_;
};

}  // namespace streamsim::engine
