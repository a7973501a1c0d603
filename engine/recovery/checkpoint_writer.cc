// The metadata checkpoint writer: one timed write at a time, in order.
#include "engine/recovery/checkpoint_writer.h"

#include <utility>

#include "base/assert.h"

namespace streamsim::engine {

CheckpointWriter::CheckpointWriter(sim::World* world, const CostModel* cost, sim::NodeId driver,
                                   std::string directory, Callbacks callbacks)
    : world_(world),
      cost_(cost),
      driver_(driver),
      directory_(std::move(directory)),
      callbacks_(std::move(callbacks)),
      incarnation_(world->Incarnation(driver)) {
  STREAMSIM_ASSERT(callbacks_.on_written && callbacks_.on_failed);
}

void CheckpointWriter::ForgetCrashedDriver() {
  const uint64_t incarnation = world_->Incarnation(driver_);
  if (incarnation == incarnation_) return;
  incarnation_ = incarnation;
  busy_ = false;  // the completion timer died with the old driver
  queue_.clear();
}

void CheckpointWriter::Write(CheckpointData data) {
  ForgetCrashedDriver();
  if (queue_.size() >= kQueuedWritesMax) {
    callbacks_.on_failed(data.checkpoint_time,
                         "Could not submit checkpoint task to the thread pool executor");
    return;
  }
  queue_.push_back(std::move(data));
  if (!busy_) StartNext();
}

// Writes the temporary file now and completes the write once its simulated time has passed.
void CheckpointWriter::StartNext() {
  STREAMSIM_ASSERT(!busy_, "a checkpoint write started while another is in progress");
  while (!queue_.empty()) {
    in_progress_ = std::move(queue_.front());
    queue_.pop_front();
    const std::string encoded = EncodeCheckpoint(in_progress_).dump();
    Status begun = BeginCheckpointWrite(world_->storage(), driver_, directory_, encoded);
    if (!begun.ok()) {
      callbacks_.on_failed(in_progress_.checkpoint_time, begun.message());
      continue;
    }
    const auto bytes = static_cast<int64_t>(encoded.size());
    const sim::Duration write_time =
        cost_->StorageWrite(bytes) + world_->storage().WriteDelay(bytes);
    busy_ = true;
    completion_timer_ = world_->Schedule(driver_, write_time, [this]() { Complete(); });
    return;
  }
}

void CheckpointWriter::Complete() {
  STREAMSIM_ASSERT(busy_);
  // Read: the write completes in the driver incarnation that began it; a crash dropped the timer
  // and ForgetCrashedDriver the write.
  STREAMSIM_ASSERT(world_->Incarnation(driver_) == incarnation_,
                   "a checkpoint write completed by a later driver");
  busy_ = false;
  Status completed =
      CompleteCheckpointWrite(world_->storage(), directory_, in_progress_.checkpoint_time);
  if (completed.ok()) {
    callbacks_.on_written(in_progress_);
  } else {
    callbacks_.on_failed(in_progress_.checkpoint_time, completed.message());
  }
  StartNext();
}

void CheckpointWriter::Flush() {
  ForgetCrashedDriver();
  if (!world_->IsUp(driver_)) {
    queue_.clear();
    return;
  }
  // Bounded: every pass completes the write in progress or drops a queued one that failed.
  for (size_t passes = 0; busy_ && passes <= kQueuedWritesMax + 1; ++passes) {
    world_->Cancel(completion_timer_);
    Complete();
  }
  STREAMSIM_ASSERT(idle());
}

}  // namespace streamsim::engine
