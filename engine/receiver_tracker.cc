// Block queues per stream and their allocation to batches.
#include "engine/receiver_tracker.h"

namespace streamsim::engine {

void ReceiverTracker::AddBlock(const ReceivedBlock& block) {
  unallocated_[block.stream_id].push_back(block.info);
  ReceiverStatus& receiver = statuses_[block.stream_id];
  receiver.records += block.info.records;
  ++receiver.blocks;
}

void ReceiverTracker::AllocateBlocksToBatch(sim::Instant t) {
  auto& batch = allocated_[t];
  for (auto& [stream_id, queue] : unallocated_) {
    auto& blocks = batch[stream_id];
    blocks.insert(blocks.end(), queue.begin(), queue.end());
    queue.clear();
  }
}

std::vector<BlockRdd::BlockInfo> ReceiverTracker::BlocksOfBatch(sim::Instant t,
                                                                int stream_id) const {
  auto batch = allocated_.find(t);
  if (batch == allocated_.end()) return {};
  auto blocks = batch->second.find(stream_id);
  return blocks == batch->second.end() ? std::vector<BlockRdd::BlockInfo>{} : blocks->second;
}

int64_t ReceiverTracker::RecordsOfBatch(sim::Instant t) const {
  auto batch = allocated_.find(t);
  if (batch == allocated_.end()) return 0;
  int64_t records = 0;
  for (const auto& [stream_id, blocks] : batch->second) {
    for (const auto& block : blocks) records += block.records;
  }
  return records;
}

std::vector<BlockRdd::BlockInfo> ReceiverTracker::CleanupBatchesUpTo(sim::Instant limit) {
  std::vector<BlockRdd::BlockInfo> removed;
  while (!allocated_.empty() && allocated_.begin()->first <= limit) {
    for (const auto& [stream_id, blocks] : allocated_.begin()->second) {
      removed.insert(removed.end(), blocks.begin(), blocks.end());
    }
    allocated_.erase(allocated_.begin());
  }
  return removed;
}

void ReceiverTracker::RestoreAllocation(sim::Instant t, int stream_id,
                                        std::vector<BlockRdd::BlockInfo> blocks) {
  allocated_[t][stream_id] = std::move(blocks);
}

void ReceiverTracker::Reset(const std::string& reason) {
  unallocated_.clear();
  allocated_.clear();
  for (auto& [stream_id, status] : statuses_) {
    status.state = "INACTIVE";
    status.executor = -1;
    status.last_error = reason;
  }
}

bool ReceiverTracker::HasUnallocatedBlocks() const {
  for (const auto& [stream_id, queue] : unallocated_) {
    if (!queue.empty()) return true;
  }
  return false;
}

}  // namespace streamsim::engine
