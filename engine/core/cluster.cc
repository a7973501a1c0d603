// Cluster bookkeeping and the byte-size estimate used by every transfer cost.
#include "engine/core/cluster.h"

#include <algorithm>

namespace streamsim::engine {

int64_t BlockManager::bytes() const {
  int64_t total = 0;
  for (const auto& [id, block] : blocks_) total += block->bytes;
  return total;
}

int BlockManager::RemoveWithPrefix(const std::string& prefix) {
  int removed = 0;
  for (auto it = blocks_.lower_bound(prefix);
       it != blocks_.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
    it = blocks_.erase(it);
    ++removed;
  }
  return removed;
}

int BlockManager::RemoveOlderThan(int64_t created_before_us) {
  int removed = 0;
  for (auto it = blocks_.begin(); it != blocks_.end();) {
    if (it->second->created_us < created_before_us) {
      it = blocks_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  return removed;
}

int Cluster::total_cores() const {
  int total = 0;
  for (const Executor& executor : executors) total += executor.cores;
  return total;
}

int Cluster::default_parallelism() const { return std::max(2, total_cores()); }

Executor* Cluster::FindByNode(sim::NodeId node) {
  for (Executor& executor : executors) {
    if (executor.node == node) return &executor;
  }
  return nullptr;
}

int64_t EstimateBytes(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull:
    case Value::Kind::kBool:
      return 1;
    case Value::Kind::kInt:
    case Value::Kind::kDouble:
      return 8;
    case Value::Kind::kString:
      return 4 + static_cast<int64_t>(value.AsString().size());
    case Value::Kind::kTuple:
    case Value::Kind::kList:
      return 4 + EstimateBytes(value.Items());
  }
  return 0;
}

int64_t EstimateBytes(const Values& values) {
  int64_t total = 0;
  for (const Value& value : values) total += EstimateBytes(value);
  return total;
}

}  // namespace streamsim::engine
