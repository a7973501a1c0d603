// Checkpoints and driver recovery: the metadata checkpoint written after each batch is generated
// and after it completes, data checkpoints of stateful RDDs (and deleting the ones no checkpoint
// needs any more), and getOrCreate — rebuilding the driver from the newest readable checkpoint.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/assert.h"
#include "engine/streaming/streaming_context.h"

namespace streamsim::engine {
namespace {

// Stream names may contain '/', which stays a directory separator in the checkpoint layout.
std::string SafeName(const std::string& name) {
  std::string safe = name;
  std::replace(safe.begin(), safe.end(), ' ', '_');
  return safe;
}

nlohmann::json GraphAsData(const std::vector<std::unique_ptr<DStream>>& streams) {
  nlohmann::json graph = nlohmann::json::array();
  for (const auto& stream : streams) {
    nlohmann::json parents = nlohmann::json::array();
    for (const DStream* parent : stream->parents()) parents.push_back(parent->name());
    graph.push_back({{"name", stream->name()},
                     {"parents", parents},
                     {"slide_us", stream->slide().us},
                     {"remember_us", stream->remember().us},
                     {"checkpoint_interval_us", stream->checkpoint_interval().us}});
  }
  return graph;
}

}  // namespace

std::string StreamingContext::DataCheckpointDirectory(const DStream& stream, sim::Instant t) const {
  return fmt::format("{}/data/{}/rdd-{}", *config_.checkpoint_dir, SafeName(stream.name()),
                     t.millis());
}

void StreamingContext::OnDataCheckpointDone(DStream* stream, sim::Instant t, const RddPtr& rdd) {
  const std::string directory = DataCheckpointDirectory(*stream, t);
  std::vector<std::string> files;
  for (int p = 0; p < rdd->num_partitions(); ++p) files.push_back(CheckpointPartFile(directory, p));
  rdd->MarkCheckpointed(files);
  STREAMSIM_ASSERT(stream->id() >= 0 && streams_[stream->id()].get() == stream);
  checkpointed_rdds_[stream->id()][t] = std::move(files);
  world_->Record("checkpoint", fmt::format("data {} {} ms partitions={} lineage cut",
                                           stream->name(), t.millis(), rdd->num_partitions()));
}

void StreamingContext::WriteMetadataCheckpoint(sim::Instant t) {
  if (!config_.checkpoint_dir) return;
  STREAMSIM_ASSERT(t <= last_generated_, "a checkpoint ahead of the newest generated batch");
  CheckpointData data;
  data.checkpoint_time = t;
  data.zero_time = zero_time_;
  data.batch_interval = config_.batch_interval;
  if (running_) data.pending_batches.push_back(running_->batch_time);
  for (const JobSet& job_set : job_sets_) data.pending_batches.push_back(job_set.batch_time);
  for (const auto& [stream_id, rdds] : checkpointed_rdds_) {
    const DStream* stream = streams_[stream_id].get();
    for (const auto& [time, files] : rdds) {
      // Only checkpointed RDDs the stream still remembers (as DStreamCheckpointData keeps).
      if (stream->generated().count(time) > 0)
        data.stream_checkpoints[stream->name()][time] = files;
    }
  }
  data.block_allocations = tracker_.allocations();
  for (DStream* input : input_streams_) {
    nlohmann::json position = input->SavePosition();
    if (!position.is_null()) data.source_positions[input->name()] = std::move(position);
  }
  data.graph = GraphAsData(streams_);
  MetadataCheckpointWriter().Write(std::move(data));
}

// Created on first use. A written checkpoint is traced and lets older data checkpoints go; a
// failed write is a warning, and the next checkpoint tries again (Spark's CheckpointWriter).
CheckpointWriter& StreamingContext::MetadataCheckpointWriter() {
  if (checkpoint_writer_) return *checkpoint_writer_;
  CheckpointWriter::Callbacks callbacks;
  callbacks.on_written = [this](const CheckpointData& written) {
    world_->Record("checkpoint", "metadata " + CheckpointFileName(*config_.checkpoint_dir,
                                                                  written.checkpoint_time));
    DeleteObsoleteDataCheckpoints(written);
  };
  callbacks.on_failed = [this](sim::Instant time, const std::string& message) {
    Warn(fmt::format("could not write the checkpoint for {} ms: {}", time.millis(), message));
  };
  checkpoint_writer_ = std::make_unique<CheckpointWriter>(
      world_, &cost_, cluster_.driver, *config_.checkpoint_dir, std::move(callbacks));
  return *checkpoint_writer_;
}

// Deletes the data-checkpoint files older than the oldest one the checkpoint just written still
// refers to, per stream (DStreamCheckpointData.cleanup), so storage stays bounded.
void StreamingContext::DeleteObsoleteDataCheckpoints(const CheckpointData& written) {
  for (auto& [stream_id, rdds] : checkpointed_rdds_) {
    auto referenced = written.stream_checkpoints.find(streams_[stream_id]->name());
    if (referenced == written.stream_checkpoints.end() || referenced->second.empty()) continue;
    const sim::Instant oldest_kept = referenced->second.begin()->first;
    for (auto it = rdds.begin(); it != rdds.end() && it->first < oldest_kept;) {
      for (const std::string& file : it->second) {
        if (world_->storage().Exists(file)) (void)world_->storage().Delete(file);
      }
      it = rdds.erase(it);
    }
  }
}

bool StreamingContext::RecoverFromCheckpoint() {
  CheckpointReadResult read = ReadNewestCheckpoint(world_->storage(), *config_.checkpoint_dir);
  for (const std::string& skipped : read.skipped) {
    Warn("checkpoint file " + skipped + " could not be read; trying an older one");
  }
  if (!read.data) return false;
  const CheckpointData& data = *read.data;
  // Read: a checkpoint is written at or before the batch time it names, which is never ahead of
  // its driver's clock (WriteMetadataCheckpoint); virtual time only moves forward.
  STREAMSIM_ASSERT(data.checkpoint_time <= world_->Now(), "a checkpoint from the future");
  world_->Record("driver", "recovering from " + read.file);
  zero_time_ = data.zero_time;
  for (auto& stream : streams_) stream->DStream::Initialize(zero_time_);
  RestoreStreams(data);
  world_->Schedule(cluster_.driver, sim::Duration{}, [this]() { LaunchReceivers(); });
  RescheduleAfterRecovery(data);
  ScheduleCleaner();
  return true;
}

void StreamingContext::RestoreStreams(const CheckpointData& data) {
  for (const auto& [name, rdds] : data.stream_checkpoints) {
    DStream* stream = FindStream(name);
    if (!stream) continue;
    for (const auto& [t, files] : rdds) {
      auto rdd = std::make_shared<CheckpointRdd>(name, files);
      if (stream->persist()) rdd->Persist();
      stream->PutRdd(t, rdd);
      checkpointed_rdds_[stream->id()][t] = files;
    }
  }
  for (DStream* input : input_streams_) {
    auto position = data.source_positions.find(input->name());
    if (position != data.source_positions.end()) input->RestorePosition(position->second);
  }
  // The block tracker's write-ahead log knows every block received and allocated, also after the
  // checkpoint was written; the checkpoint's allocations are the fallback without it.
  const int replayed = tracker_.RecoverFromWriteAheadLog();
  world_->Record("driver", fmt::format("block tracker log: {} events replayed", replayed));
  if (replayed > 0) return;
  for (const auto& [t, by_stream] : data.block_allocations) {
    for (const auto& [stream_id, blocks] : by_stream)
      tracker_.RestoreAllocation(t, stream_id, blocks);
  }
}

// Spark's JobGenerator.restart: the pending batches of the checkpoint and every batch time from
// the checkpoint's time up to (not including) the restart time are generated at once; the timer
// then resumes at the restart time.
void StreamingContext::RescheduleAfterRecovery(const CheckpointData& data) {
  const sim::Duration interval = config_.batch_interval;
  const int64_t elapsed = (world_->Now() - zero_time_) / interval;
  const sim::Instant restart_time = zero_time_ + interval * (elapsed + 1);
  recovery_end_ = restart_time;
  std::set<sim::Instant> times(data.pending_batches.begin(), data.pending_batches.end());
  for (sim::Instant t = data.checkpoint_time; t < restart_time; t = t + interval) times.insert(t);
  for (sim::Instant t : times) {
    if (t >= restart_time || t <= zero_time_) continue;
    job_sets_.push_back(GenerateJobs(t, /*recovered=*/true));
  }
  Warn(
      fmt::format("driver restarted at {} ms and recovered from the checkpoint of {} ms: "
                  "re-running {} batch(es) ({} pending, the rest from the down time)",
                  world_->Now().millis(), data.checkpoint_time.millis(), job_sets_.size(),
                  data.pending_batches.size()));
  if (!job_sets_.empty()) WriteMetadataCheckpoint(job_sets_.back().batch_time);
  RunNextJobSet();
  ScheduleNextBatch(restart_time);
}

}  // namespace streamsim::engine
