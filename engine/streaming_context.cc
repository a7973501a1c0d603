// The driver: cluster creation, receiver launch, the job generator's clock, the job scheduler's
// one-batch-at-a-time loop, batch metrics, clean-up and stopping.
#include "engine/streaming_context.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

namespace streamsim::engine {

std::optional<sim::Duration> BatchInfo::scheduling_delay() const {
  if (!processing_start) return std::nullopt;
  return *processing_start - submission_time;
}

std::optional<sim::Duration> BatchInfo::processing_time() const {
  if (!processing_start || !processing_end) return std::nullopt;
  return *processing_end - *processing_start;
}

std::optional<sim::Duration> BatchInfo::total_delay() const {
  if (!processing_end) return std::nullopt;
  return *processing_end - batch_time;
}

StreamingContext::StreamingContext(sim::World* world, StreamingConfig config, CostModel cost,
                                   OutputListener* listener)
    : world_(world),
      config_(config),
      cost_(cost),
      listener_(listener),
      scheduler_(world, &cluster_, &cost_, config.task_max_failures) {
  CreateCluster();
}

StreamingContext::~StreamingContext() = default;

void StreamingContext::CreateCluster() {
  cluster_.driver = world_->AddNode("driver");
  for (int i = 0; i < config_.workers; ++i) {
    Executor executor;
    executor.index = i;
    executor.name = fmt::format("worker/{}", i);
    executor.node = world_->AddNode(executor.name);
    executor.cores = config_.cores_per_worker;
    cluster_.executors.push_back(std::move(executor));
  }
  world_->OnStart(cluster_.driver, [this]() { StartDriver(); });
}

OperatorEnvironment StreamingContext::environment() const {
  return OperatorEnvironment{&cost_, cluster_.default_parallelism()};
}

DStream* StreamingContext::QueueStream(const std::string& name, std::vector<Values> batches,
                                       int partitions, bool one_at_a_time) {
  streams_.push_back(std::make_unique<QueueInputDStream>(name, config_.batch_interval,
                                                         std::move(batches), partitions,
                                                         one_at_a_time));
  input_streams_.push_back(streams_.back().get());
  return streams_.back().get();
}

DStream* StreamingContext::SocketTextStream(const SocketServerConfig& config) {
  sockets_.push_back(std::make_unique<SocketServer>(world_, config));
  const int stream_id = static_cast<int>(receivers_.size());
  ReceiverConfig receiver_config{config_.block_interval, config_.replication};
  receivers_.push_back(std::make_unique<Receiver>(world_, &cluster_, &tracker_, stream_id,
                                                  config.name, sockets_.back().get(),
                                                  receiver_config));
  tracker_.status(stream_id).name = config.name;
  tracker_.status(stream_id).stream_id = stream_id;
  streams_.push_back(std::make_unique<ReceiverInputDStream>(config.name, config_.batch_interval,
                                                            stream_id, &tracker_));
  input_streams_.push_back(streams_.back().get());
  return streams_.back().get();
}

DStream* StreamingContext::TextFileStream(const std::string& name, const std::string& directory) {
  streams_.push_back(
      std::make_unique<FileInputDStream>(name, config_.batch_interval, directory, world_));
  input_streams_.push_back(streams_.back().get());
  return streams_.back().get();
}

void StreamingContext::AddFileProducer(const FileProducerConfig& config) {
  producers_.push_back(std::make_unique<FileProducer>(world_, config));
}

DStream* StreamingContext::Transform(const std::string& name, std::vector<DStream*> parents,
                                     std::vector<Operator> chain) {
  streams_.push_back(std::make_unique<TransformedDStream>(name, std::move(parents),
                                                          std::move(chain), environment()));
  return streams_.back().get();
}

DStream* StreamingContext::AddStream(std::unique_ptr<DStream> stream) {
  streams_.push_back(std::move(stream));
  return streams_.back().get();
}

void StreamingContext::AddOutput(OutputOperation output) {
  outputs_.push_back(std::make_unique<OutputOperation>(std::move(output)));
}

Status StreamingContext::Start() {
  if (outputs_.empty()) {
    return Status::Error("No output operations registered, so nothing to execute");
  }
  const int receivers = static_cast<int>(receivers_.size());
  if (receivers > 0 && cluster_.total_cores() <= receivers) {
    // Spark's warning for local[1] with receivers, generalised to the cluster's cores.
    Warn(fmt::format(
        "{} receiver(s) need {} core(s) but the cluster has {}: jobs will not get resources to "
        "process the received data (spark.master should be set as local[n], n > 1 in local mode "
        "if you have receivers to get data)",
        receivers, receivers, cluster_.total_cores()));
  }
  zero_time_ = world_->Now();
  for (auto& stream : streams_) stream->Initialize(zero_time_);
  for (size_t node = 0; node < world_->node_count(); ++node) {
    world_->Start(sim::NodeId{static_cast<int32_t>(node)});
  }
  return Status::Ok();
}

void StreamingContext::StartDriver() {
  world_->Record("driver", fmt::format("start batch_interval={}",
                                       sim::FormatDuration(config_.batch_interval)));
  // Receivers are launched as a job once the executors are up (the workers start after the
  // driver): a receiver started on a node that is not up yet would have its block timer dropped.
  world_->Schedule(cluster_.driver, sim::Duration{}, [this]() { LaunchReceivers(); });
  ScheduleNextBatch(zero_time_ + config_.batch_interval);
  if (config_.stop_after_batches) {
    // A bound on the wait for the last batch: if it has not completed 10 batch intervals after its
    // time (no free cores, a stuck job), the run ends and says so.
    const sim::Duration last = config_.batch_interval * *config_.stop_after_batches;
    world_->Schedule(cluster_.driver, last + config_.batch_interval * 10, [this, last]() {
      Finish(fmt::format("batch {} ms did not complete within 10 batch intervals of its time",
                         (zero_time_ + last).millis()));
    });
  }
  if (config_.stop_at) {
    world_->Schedule(cluster_.driver, *config_.stop_at - (world_->Now() - zero_time_),
                     [this]() { BeginStop(); });
  }
}

void StreamingContext::LaunchReceivers() {
  // Round-robin over executors, as Spark's ReceiverSchedulingPolicy spreads receivers evenly.
  int next = 0;
  for (auto& receiver : receivers_) {
    const int count = static_cast<int>(cluster_.executors.size());
    int placed = -1;
    for (int step = 0; step < count && placed < 0; ++step) {
      const int candidate = (next + step) % count;
      if (cluster_.executors[candidate].free_cores() > 0) placed = candidate;
    }
    if (placed < 0) {
      tracker_.status(receiver->stream_id()).last_error = "no free core to run the receiver";
      Warn("receiver " + receiver->name() + " cannot start: no free core");
      continue;
    }
    receiver->Start(placed);
    next = placed + 1;
  }
}

void StreamingContext::ScheduleNextBatch(sim::Instant t) {
  world_->Schedule(cluster_.driver, t - world_->Now(), [this, t]() { GenerateBatch(t); });
}

void StreamingContext::GenerateBatch(sim::Instant t) {
  if (finished_) return;
  tracker_.AllocateBlocksToBatch(t);
  BatchInfo batch;
  batch.batch_time = t;
  batch.submission_time = t;
  JobSet job_set{batches_.size(), {}};
  for (const auto& output : outputs_) {
    if (RddPtr rdd = output->stream->GetOrCompute(t)) job_set.jobs.push_back({output.get(), rdd});
  }
  for (DStream* input : input_streams_) batch.input_records += input->InputRecords(t);
  world_->Record("batch", fmt::format("generated {} ms records={} jobs={}", t.millis(),
                                      batch.input_records, job_set.jobs.size()));
  batches_.push_back(batch);
  last_generated_ = t;
  job_sets_.push_back(std::move(job_set));
  if (!running_) RunNextJobSet();
  ScheduleNextBatch(t + config_.batch_interval);
}

void StreamingContext::RunNextJobSet() {
  if (running_ || job_sets_.empty() || finished_) return;
  running_ = std::move(job_sets_.front());
  job_sets_.pop_front();
  BatchInfo& batch = batches_[running_->batch_index];
  batch.processing_start = world_->Now() + cost_.job_generation;
  if (running_->jobs.empty()) {
    world_->Schedule(cluster_.driver, cost_.job_generation, [this]() { CompleteBatch(); });
    return;
  }
  world_->Schedule(cluster_.driver, cost_.job_generation, [this]() { RunJob(0); });
}

void StreamingContext::RunJob(size_t job_index) {
  const PendingJob& job = running_->jobs[job_index];
  const sim::Instant t = batches_[running_->batch_index].batch_time;
  const std::string name = fmt::format("{}@{}", job.output->name, t.millis());
  world_->Schedule(cluster_.driver, cost_.job_scheduling, [this, job_index, name, t]() {
    const PendingJob& pending = running_->jobs[job_index];
    scheduler_.RunJob(pending.rdd, name, MakeResultFunction(*pending.output, t),
                      [this, job_index](JobOutcome outcome) {
                        OnJobDone(job_index, std::move(outcome));
                      });
  });
}

void StreamingContext::OnJobDone(size_t job_index, JobOutcome outcome) {
  BatchInfo& batch = batches_[running_->batch_index];
  const OutputOperation& output = *running_->jobs[job_index].output;
  if (!outcome.ok) {
    batch.failure = outcome.failure;
    Warn(fmt::format("batch {} ms: {}", batch.batch_time.millis(), outcome.failure));
  } else {
    const int64_t records = FinishOutput(output, batch.batch_time,
                                         outcome.partition_results, world_, cluster_.driver,
                                         listener_);
    Values all;
    for (const Values& part : outcome.partition_results) all.insert(all.end(), part.begin(), part.end());
    world_->Record("output", fmt::format("{} {} ms records={} hash={:016x}", output.name,
                                         batch.batch_time.millis(), records,
                                         Value::List(std::move(all)).Hash()));
  }
  if (job_index + 1 < running_->jobs.size()) return RunJob(job_index + 1);
  CompleteBatch();
}

void StreamingContext::CompleteBatch() {
  BatchInfo& batch = batches_[running_->batch_index];
  batch.processing_end = world_->Now();
  world_->Record("batch", fmt::format("completed {} ms scheduling_delay={} processing={} total={}",
                                      batch.batch_time.millis(),
                                      batch.scheduling_delay()->us, batch.processing_time()->us,
                                      batch.total_delay()->us));
  const sim::Instant t = batch.batch_time;
  running_.reset();
  CleanupAfterBatch(t);
  const int64_t number = (t - zero_time_) / config_.batch_interval;
  if (config_.stop_after_batches && number >= *config_.stop_after_batches) {
    return Finish(fmt::format("stopped after {} batches", number));
  }
  if (stopping_) CheckGracefulStop();
  RunNextJobSet();
}

void StreamingContext::CleanupAfterBatch(sim::Instant t) {
  for (auto& stream : streams_) stream->ForgetOldRdds(t);
  // spark.streaming.unpersist: the blocks of a processed batch are removed from executors.
  for (const auto& block : tracker_.CleanupBatch(t)) {
    for (int executor : block.executors) cluster_.executors[executor].blocks.Remove(block.id);
  }
}

void StreamingContext::BeginStop() {
  if (finished_) return;
  if (!config_.graceful_stop) {
    return Finish(fmt::format("stopped immediately at {} ms", (world_->Now() - zero_time_).millis()));
  }
  stopping_ = true;
  stop_deadline_ = world_->Now() + config_.batch_interval * 10;
  world_->Record("driver", "graceful stop: stopping receivers");
  for (auto& receiver : receivers_) receiver->Stop("stopped by driver", /*flush=*/true);
  world_->Schedule(cluster_.driver, config_.batch_interval * 10, [this]() {
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
  finished_ = true;
  stop_reason_ = reason;
  for (auto& receiver : receivers_) receiver->Stop("", /*flush=*/false);
  world_->Record("driver", "stop: " + reason);
}

void StreamingContext::AwaitTermination() {
  while (!finished_ && world_->loop().RunNext()) {
  }
}

void StreamingContext::Warn(const std::string& message) {
  warnings_.push_back(message);
  world_->Record("warning", message);
  listener_->OnWarning(message);
}

}  // namespace streamsim::engine
