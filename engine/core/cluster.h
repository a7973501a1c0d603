// The cluster as the engine sees it: the driver node, and one executor per worker node with its
// cores and its block manager (the in-memory store of received blocks and cached partitions).
// Executors are numbered from 0 and named after their worker ("worker/0").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/records_and_ledger.h"
#include "ledger/ledger.h"
#include "records/value.h"
#include "simulator/node.h"

namespace streamsim::engine {

// A block of received records (spark's "input-<stream>-<id>").
struct Block {
  std::string id;
  int stream_id = 0;
  Values records;
  // The records' ledger ids, parallel to `records` (ledger/ledger.h). In memory only: never in
  // `bytes`, a log record or a checkpoint, so that they cost no simulated time.
  RecordIds ids;
  int64_t bytes = 0;
  int64_t created_us = 0;  // simulated time the block was stored (for spark.cleaner.ttl)
};
using BlockPtr = std::shared_ptr<const Block>;

// The block store of one executor. Volatile: an executor crash empties it.
class BlockManager {
 public:
  void Put(BlockPtr block) { blocks_[block->id] = std::move(block); }
  BlockPtr Get(const std::string& id) const {
    auto it = blocks_.find(id);
    return it == blocks_.end() ? nullptr : it->second;
  }
  bool Remove(const std::string& id) { return blocks_.erase(id) > 0; }
  // Removes every block whose id starts with `prefix`; returns how many.
  int RemoveWithPrefix(const std::string& prefix);
  void Clear() { blocks_.clear(); }
  size_t size() const { return blocks_.size(); }
  // Removes blocks created before `created_before_us` (spark.cleaner.ttl); returns how many.
  int RemoveOlderThan(int64_t created_before_us);
  int64_t bytes() const;

 private:
  std::map<std::string, BlockPtr> blocks_;
};

struct Executor {
  int index = 0;
  std::string name;  // "worker/0"
  sim::NodeId node;
  int cores = 1;
  int receiver_cores = 0;  // cores held by long-running receiver tasks
  int busy_cores = 0;      // cores running ordinary tasks (driver's view)
  bool alive = true;
  // Crashed, and the driver has not noticed yet (the loss-detection delay has not passed).
  bool loss_unnoticed = false;
  BlockManager blocks;

  int free_cores() const { return alive ? cores - receiver_cores - busy_cores : 0; }
};

struct Cluster {
  sim::NodeId driver;
  std::vector<Executor> executors;

  int total_cores() const;
  // Spark's default parallelism for shuffles: the total executor cores, at least 2.
  int default_parallelism() const;
  Executor* FindByNode(sim::NodeId node);
};

// Approximate serialized size of a value in bytes, for network and storage costs.
int64_t EstimateBytes(const Value& value);
int64_t EstimateBytes(const Values& values);

}  // namespace streamsim::engine
