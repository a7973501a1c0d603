// The job generator and the job scheduler of the driver: one job set per batch interval (blocks
// allocated to the batch, one job per output, a data-checkpoint job per stateful stream due), run
// one job set at a time; batch metrics; clean-up of old RDDs and blocks after each batch (and the
// Spark 1.x TTL cleaner); and stopping.
#include <fmt/format.h>

#include <algorithm>

#include "base/assert.h"
#include "engine/recovery/write_ahead_log.h"
#include "engine/streaming/streaming_context.h"

namespace streamsim::engine {

void StreamingContext::ScheduleNextBatch(sim::Instant t) {
  world_->Schedule(cluster_.driver, t - world_->Now(), [this, t]() { GenerateBatch(t); });
}

void StreamingContext::GenerateBatch(sim::Instant t) {
  if (finished_) return;
  // A fresh batch comes after every batch this driver generated (recovery re-runs older ones).
  STREAMSIM_ASSERT(t > last_generated_, "a batch generated out of order");
  job_sets_.push_back(GenerateJobs(t, /*recovered=*/false));
  WriteMetadataCheckpoint(t);
  if (!running_) RunNextJobSet();
  ScheduleNextBatch(t + config_.batch_interval);
}

StreamingContext::JobSet StreamingContext::GenerateJobs(sim::Instant t, bool recovered) {
  STREAMSIM_ASSERT(OnBatchGrid(t), "a batch time off the batch interval's grid");
  if (!tracker_.IsAllocated(t)) tracker_.AllocateBlocksToBatch(t);
  BatchInfo info;
  info.driver_life = driver_life_;
  info.batch_time = t;
  info.submission_time = world_->Now();
  info.recovered = recovered;
  JobSet job_set{t, {}};
  for (const auto& output : outputs_) {
    if (RddPtr rdd = output->stream->GetOrCompute(t)) {
      job_set.jobs.push_back({output.get(), nullptr, rdd});
    }
  }
  for (const auto& stream : streams_) {
    if (!stream->must_checkpoint() || !stream->IsCheckpointTime(t)) continue;
    if (RddPtr rdd = stream->GetOrCompute(t)) job_set.jobs.push_back({nullptr, stream.get(), rdd});
  }
  for (DStream* input : input_streams_) info.input_records += input->InputRecords(t);
  world_->Record("batch",
                 fmt::format("generated {} ms records={} jobs={}{}", t.millis(), info.input_records,
                             job_set.jobs.size(), recovered ? " recovered" : ""));
  batches_[{driver_life_, t}] = info;
  last_generated_ = std::max(last_generated_, t);
  return job_set;
}

BatchInfo& StreamingContext::batch(sim::Instant t) {
  STREAMSIM_ASSERT(OnBatchGrid(t), "a batch looked up off the batch interval's grid");
  auto it = batches_.find({driver_life_, t});
  STREAMSIM_ASSERT(it != batches_.end(), "a batch this driver never generated");
  return it->second;
}

bool StreamingContext::OnBatchGrid(sim::Instant t) const {
  return t > zero_time_ && (t - zero_time_).us % config_.batch_interval.us == 0;
}

// Every batch the live driver generated is completed, failed, or waiting or running: none is
// dropped between the job generator and the job scheduler.
void StreamingContext::CheckBatchesAccountedFor() const {
  if (!world_->IsUp(cluster_.driver)) return;  // a dead driver's batches died with it
  std::set<sim::Instant> pending;
  if (running_) pending.insert(running_->batch_time);
  for (const JobSet& job_set : job_sets_) pending.insert(job_set.batch_time);
  for (const auto& [key, info] : batches_) {
    if (key.first != driver_life_) continue;
    STREAMSIM_ASSERT(info.completed() || !info.failure.empty() || pending.count(key.second) > 0,
                     fmt::format("batch {} ms of driver life {} is neither completed, failed nor "
                                 "pending",
                                 key.second.millis(), key.first));
  }
}

void StreamingContext::RunNextJobSet() {
  if (running_ || job_sets_.empty() || finished_) return;
  running_ = std::move(job_sets_.front());
  job_sets_.pop_front();
  batch(running_->batch_time).processing_start = world_->Now() + cost_.job_generation;
  if (running_->jobs.empty()) {
    world_->Schedule(cluster_.driver, cost_.job_generation, [this]() { CompleteBatch(); });
    return;
  }
  world_->Schedule(cluster_.driver, cost_.job_generation, [this]() { RunJob(0); });
}

void StreamingContext::RunJob(size_t job_index) {
  const PendingJob& job = running_->jobs[job_index];
  const sim::Instant t = running_->batch_time;
  const std::string name =
      job.output ? fmt::format("{}@{}", job.output->name, t.millis())
                 : fmt::format("checkpoint:{}@{}", job.checkpointed_stream->name(), t.millis());
  world_->Schedule(cluster_.driver, cost_.job_scheduling, [this, job_index, name, t]() {
    const PendingJob& pending = running_->jobs[job_index];
    ResultFunction result =
        pending.output
            ? MakeResultFunction(*pending.output, t)
            : MakeCheckpointFunction(DataCheckpointDirectory(*pending.checkpointed_stream, t));
    scheduler_.RunJob(pending.rdd, name, std::move(result), [this, job_index](JobOutcome outcome) {
      OnJobDone(job_index, std::move(outcome));
    });
  });
}

void StreamingContext::OnJobDone(size_t job_index, JobOutcome outcome) {
  BatchInfo& info = batch(running_->batch_time);
  const PendingJob& job = running_->jobs[job_index];
  if (!outcome.ok) {
    info.failure = outcome.failure;
    Warn(fmt::format("batch {} ms: {}", info.batch_time.millis(), outcome.failure));
  } else if (!job.output) {
    OnDataCheckpointDone(job.checkpointed_stream, info.batch_time, job.rdd);
  } else {
    const int64_t records = FinishOutput(*job.output, info.batch_time, outcome.partition_results,
                                         world_, cluster_.driver, listener_);
    Values all;
    for (const Values& part : outcome.partition_results) {
      all.insert(all.end(), part.begin(), part.end());
    }
    RecordEmission(*job.output, info.batch_time, all);
    world_->Record("output", fmt::format("{} {} ms records={} hash={:016x}", job.output->name,
                                         info.batch_time.millis(), records,
                                         Value::List(std::move(all)).Hash()));
  }
  if (job_index + 1 < running_->jobs.size()) return RunJob(job_index + 1);
  CompleteBatch();
}

void StreamingContext::CompleteBatch() {
  const sim::Instant t = running_->batch_time;
  BatchInfo& info = batch(t);
  info.processing_end = world_->Now();
  ++batches_completed_;
  ledger_.BatchFinished(driver_life_, t, info.failure);
  world_->Record("batch", fmt::format("completed {} ms scheduling_delay={} processing={} total={}",
                                      t.millis(), info.scheduling_delay()->us,
                                      info.processing_time()->us, info.total_delay()->us));
  running_.reset();
  CleanupAfterBatch(t);
  WriteMetadataCheckpoint(t);
  PruneBatches();
  if (config_.stop_after_batches && t >= initial_zero_time_ + LastBatchOffset()) {
    return Finish(fmt::format("stopped after {} batches", *config_.stop_after_batches));
  }
  if (stopping_) CheckGracefulStop();
  RunNextJobSet();
}

void StreamingContext::CleanupAfterBatch(sim::Instant t) {
  for (auto& stream : streams_) stream->ForgetOldRdds(t);
  // The blocks of batches no input stream remembers any more are dropped from the tracker, and
  // (spark.streaming.unpersist) from the executors.
  sim::Duration remember = config_.batch_interval;
  for (DStream* input : input_streams_) remember = std::max(remember, input->remember());
  for (const auto& block : tracker_.CleanupBatchesUpTo(t - remember)) {
    if (!config_.unpersist) continue;
    for (int executor : block.executors) cluster_.executors[executor].blocks.Remove(block.id);
  }
  // The receiver write-ahead log files no remembered batch can need any more.
  if (config_.receiver_wal && config_.checkpoint_dir) {
    for (const auto& receiver : receivers_) {
      WriteAheadLog(ReceiverWalDirectory(receiver->stream_id()), kWalRollingInterval)
          .DeleteFilesEndingBy(world_->storage(), t - remember - config_.batch_interval);
    }
  }
}

// spark.cleaner.ttl (Spark 1.x): every max(10 s, ttl / 10), blocks older than the TTL are dropped
// from every executor, whether or not a batch still needs them.
void StreamingContext::ScheduleCleaner() {
  if (!config_.cleaner_ttl) return;
  const sim::Duration period =
      std::max(sim::Duration::Seconds(10), sim::Duration::Micros(config_.cleaner_ttl->us / 10));
  world_->Schedule(cluster_.driver, period, [this]() {
    RunCleaner();
    ScheduleCleaner();
  });
}

void StreamingContext::RunCleaner() {
  const int64_t limit_us = (world_->Now() - *config_.cleaner_ttl).us;
  int removed = 0;
  for (Executor& executor : cluster_.executors)
    removed += executor.blocks.RemoveOlderThan(limit_us);
  world_->Record("cleaner", fmt::format("ttl={} removed {} blocks",
                                        sim::FormatDuration(*config_.cleaner_ttl), removed));
}

// Keeps the newest `retained_batches` batches, as Spark's UI does (spark.streaming.ui.
// retainedBatches); only completed or abandoned batches are dropped.
void StreamingContext::PruneBatches() {
  while (batches_.size() > static_cast<size_t>(config_.retained_batches)) {
    const BatchInfo& oldest = batches_.begin()->second;
    if (!oldest.completed() && oldest.failure.empty()) break;
    ++pruned_batches_.batches;
    if (oldest.completed()) ++pruned_batches_.completed;
    if (!oldest.failure.empty()) ++pruned_batches_.failed;
    pruned_batches_.input_records += oldest.input_records;
    batches_.erase(batches_.begin());
  }
}

void StreamingContext::BeginStop() {
  if (finished_) return;
  if (!config_.graceful_stop) {
    return Finish(fmt::format("stopped immediately at {} ms", world_->Now().millis()));
  }
  stopping_ = true;
  world_->Record("driver", "graceful stop: stopping receivers");
  for (auto& receiver : receivers_) receiver->Stop("stopped by driver", /*flush=*/true);
  world_->ScheduleGlobal(config_.batch_interval * 10, [this]() {
    if (!finished_) Finish("graceful stop timed out after 10 batch intervals");
  });
  CheckGracefulStop();
}

void StreamingContext::CheckGracefulStop() {
  // Done once nothing received is unallocated and every generated batch has been processed.
  if (tracker_.HasUnallocatedBlocks() || running_ || !job_sets_.empty()) return;
  // A stopped receiver's last blocks may still be on their way to the tracker.
  for (const auto& receiver : receivers_) {
    if (receiver->blocks_in_flight() > 0) return;
  }
  if (world_->Now() < last_generated_) return;
  Finish("stopped gracefully after processing all received data");
}

void StreamingContext::Finish(const std::string& reason) {
  if (finished_) return;
  CheckBatchesAccountedFor();
  finished_ = true;
  stop_reason_ = reason;
  if (checkpoint_writer_) checkpoint_writer_->Flush();  // the stop waits for the writer
  for (auto& receiver : receivers_) receiver->Stop("", /*flush=*/false);
  world_->Record("driver", "stop: " + reason);
}

}  // namespace streamsim::engine
