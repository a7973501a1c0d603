// The driver's metadata checkpoint writer, as Spark's CheckpointWriter: checkpoints are handed to
// it and written one at a time, in order, beside the driver's work (Spark's single-thread pool).
// A write takes simulated time — the cost model's storage write for its size plus the store's
// WriteDelay — during which "temp" holds the checkpoint appended but not yet durable; at the end
// the temporary file is synced and renamed into place (engine/recovery/checkpoint.h). So a driver
// crash can land in the middle of a write: "temp" is then lost or torn, never read, and recovery
// falls back to the newest whole checkpoint file. A write the store refuses is reported to
// `on_failed` (Spark logs "Could not write checkpoint") and the next checkpoint tries again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include "engine/core/cost_model.h"
#include "engine/recovery/checkpoint.h"
#include "simulator/world.h"

namespace streamsim::engine {

class CheckpointWriter {
 public:
  // Spark's writer queues at most 1000 checkpoints; more are rejected.
  static constexpr size_t kQueuedWritesMax = 1000;

  struct Callbacks {
    std::function<void(const CheckpointData& written)> on_written;
    std::function<void(sim::Instant time, const std::string& message)> on_failed;
  };

  // REQUIRES: `world` and `cost` outlive the writer.
  CheckpointWriter(sim::World* world, const CostModel* cost, sim::NodeId driver,
                   std::string directory, Callbacks callbacks);

  // Queues `data` behind the writes in progress; starts it at once when the writer is idle.
  // A driver crash (a new incarnation) forgets whatever the old driver had queued.
  void Write(CheckpointData data);
  // Completes the write in progress and every queued one now: the stopping driver waits for its
  // checkpoint writer (CheckpointWriter.stop). Nothing when the driver is down.
  void Flush();
  bool idle() const { return !busy_ && queue_.empty(); }

 private:
  // Drops the state of a previous driver incarnation.
  void ForgetCrashedDriver();
  void StartNext();
  void Complete();

  sim::World* world_;
  const CostModel* cost_;
  sim::NodeId driver_;
  std::string directory_;
  Callbacks callbacks_;
  uint64_t incarnation_ = 0;
  bool busy_ = false;
  CheckpointData in_progress_;
  sim::TimerId completion_timer_{};
  std::deque<CheckpointData> queue_;
};

}  // namespace streamsim::engine
