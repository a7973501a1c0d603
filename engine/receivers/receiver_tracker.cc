// Block queues per stream and their allocation to batches.
#include "engine/receivers/receiver_tracker.h"

#include <algorithm>

#include "base/assert.h"
#include "engine/recovery/checkpoint.h"

namespace streamsim::engine {

void ReceiverTracker::EnableWriteAheadLog(sim::World* world, sim::NodeId driver,
                                          std::string directory) {
  world_ = world;
  driver_ = driver;
  log_.emplace(std::move(directory), kWalRollingInterval);
}

bool ReceiverTracker::Log(const nlohmann::json& event) {
  if (!log_) return true;
  Result<WalRecordHandle> written =
      log_->Write(world_->storage(), driver_, event.dump(), world_->Now());
  if (!written.ok()) {
    world_->Record("tracker", "write-ahead log write failed: " + written.status().message());
    return false;
  }
  return true;
}

// Replays one logged event into memory (the same change the live call makes).
void ReceiverTracker::Apply(const nlohmann::json& event) {
  const std::string kind = event.at("event").get<std::string>();
  if (kind == "add") {
    const auto blocks = DecodeBlocks(event.at("blocks"));
    for (const auto& info : blocks) {
      Hold(info.id);
      unallocated_[event.at("stream").get<int>()].push_back(info);
    }
  } else if (kind == "allocate") {
    const sim::Instant t{event.at("time_us").get<int64_t>()};
    auto& batch = allocated_[t];
    for (const auto& entry : event.at("allocations")) {
      const int stream_id = entry.at("stream").get<int>();
      batch[stream_id] = DecodeBlocks(entry.at("blocks"));
      // The allocated blocks leave the queue.
      auto& queue = unallocated_[stream_id];
      queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                     queue.size(), batch[stream_id].size())));
    }
  } else if (kind == "cleanup") {
    const sim::Instant limit{event.at("up_to_us").get<int64_t>()};
    Forget(allocated_.begin(), allocated_.upper_bound(limit));
  }
}

int ReceiverTracker::RecoverFromWriteAheadLog() {
  if (!log_) return 0;
  unallocated_.clear();
  allocated_.clear();
  held_ids_.clear();
  int replayed = 0;
  for (const std::string& record : log_->ReadAll(world_->storage())) {
    nlohmann::json event = nlohmann::json::parse(record, nullptr, false);
    if (event.is_discarded()) continue;
    try {
      Apply(event);
      ++replayed;
    } catch (const nlohmann::json::exception&) {
      // A malformed event is skipped, as a corrupt record would be.
    }
  }
  return replayed;
}

// Read: a receiver names each block once (Receiver::NextBlockId counts them, across restarts of
// the receiver and of the driver); a block the tracker held twice — waiting, or allocated to a
// batch it still remembers — would be processed twice.
void ReceiverTracker::Hold(const std::string& block_id) {
  const bool first = held_ids_.insert(block_id).second;
  STREAMSIM_ASSERT(first, "a block reported twice: " + block_id);
}

void ReceiverTracker::Forget(AllocationIterator begin, AllocationIterator end) {
  for (auto batch = begin; batch != end; ++batch) {
    for (const auto& [stream_id, blocks] : batch->second) {
      for (const auto& info : blocks) held_ids_.erase(info.id);
    }
  }
  allocated_.erase(begin, end);
}

bool ReceiverTracker::AddBlock(const ReceivedBlock& block) {
  STREAMSIM_ASSERT(held_ids_.count(block.info.id) == 0, "a block reported twice: " + block.info.id);
  const nlohmann::json event = {
      {"event", "add"}, {"stream", block.stream_id}, {"blocks", EncodeBlocks({block.info})}};
  if (!Log(event)) return false;
  Hold(block.info.id);
  unallocated_[block.stream_id].push_back(block.info);
  ReceiverStatus& receiver = statuses_[block.stream_id];
  receiver.records += block.info.records;
  ++receiver.blocks;
  return true;
}

void ReceiverTracker::AllocateBlocksToBatch(sim::Instant t) {
  // A batch is allocated once (the job generator asks IsAllocated first, also after a recovery).
  STREAMSIM_ASSERT(!IsAllocated(t), "blocks allocated twice to one batch");
  if (log_) {
    nlohmann::json allocations = nlohmann::json::array();
    for (const auto& [stream_id, queue] : unallocated_) {
      allocations.push_back(
          {{"stream", stream_id},
           {"blocks", EncodeBlocks(std::vector<BlockRdd::BlockInfo>(queue.begin(), queue.end()))}});
    }
    // Spark keeps the blocks queued when the allocation cannot be logged ("Possibly processed
    // batch needs to be processed again in WAL recovery"): this batch gets none, the next the lot.
    if (!Log({{"event", "allocate"}, {"time_us", t.us}, {"allocations", allocations}})) return;
  }
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
  if (log_ && !allocated_.empty() && allocated_.begin()->first <= limit) {
    // Spark forgets nothing it could not log ("Failed to acknowledge batch clean up").
    if (!Log({{"event", "cleanup"}, {"up_to_us", limit.us}})) return removed;
    // Log files older than the batches just cleaned hold nothing a recovery needs.
    log_->DeleteFilesEndingBy(world_->storage(), limit - kWalRollingInterval);
  }
  const auto end = allocated_.upper_bound(limit);
  for (auto batch = allocated_.begin(); batch != end; ++batch) {
    for (const auto& [stream_id, blocks] : batch->second) {
      removed.insert(removed.end(), blocks.begin(), blocks.end());
    }
  }
  Forget(allocated_.begin(), end);
  return removed;
}

void ReceiverTracker::RestoreAllocation(sim::Instant t, int stream_id,
                                        std::vector<BlockRdd::BlockInfo> blocks) {
  STREAMSIM_ASSERT(allocated_[t].count(stream_id) == 0);
  for (const auto& info : blocks) Hold(info.id);
  allocated_[t][stream_id] = std::move(blocks);
}

void ReceiverTracker::Reset(const std::string& reason) {
  unallocated_.clear();
  allocated_.clear();
  held_ids_.clear();
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
