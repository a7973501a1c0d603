// The StreamingContext's set-up: cluster creation, graph building, validation with Spark's
// messages, checkpoint intervals and remember durations, and the driver's life cycle (start,
// crash, restart). The job generator lives in job_generator.cc, checkpoints and recovery in
// driver_recovery.cc.
#include "engine/streaming/streaming_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

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
  scheduler_.set_idle_cores_listener([this]() { LaunchWaitingReceivers(); });
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
  if (config_.checkpoint_dir) {
    tracker_.EnableWriteAheadLog(world_, cluster_.driver,
                                 *config_.checkpoint_dir + "/receivedBlockMetadata");
  }
  world_->OnCrash(cluster_.driver, [this]() { OnDriverCrash(); });
  for (Executor& executor : cluster_.executors) {
    const int index = executor.index;
    world_->OnStart(executor.node, [this, index]() { OnExecutorStart(index); });
    world_->OnCrash(executor.node, [this, index]() { OnExecutorCrash(index); });
  }
}

OperatorEnvironment StreamingContext::environment() const {
  return OperatorEnvironment{&cost_, cluster_.default_parallelism()};
}

DStream* StreamingContext::QueueStream(const std::string& name, std::vector<Values> batches,
                                       int partitions, bool one_at_a_time) {
  auto stream = std::make_unique<QueueInputDStream>(name, config_.batch_interval,
                                                    std::move(batches), partitions, one_at_a_time);
  // The queue is filled before the context starts: its records are produced now.
  stream->AttachLedger(SourceLedger(&ledger_, ledger_.RegisterSource(name)), world_->Now());
  streams_.push_back(std::move(stream));
  input_streams_.push_back(streams_.back().get());
  return streams_.back().get();
}

DStream* StreamingContext::SocketTextStream(const std::string& name, protocols::LineSocket* socket,
                                            int32_t source_index) {
  return ReceiverStream(name, source_index, std::make_unique<SocketSource>(socket));
}

DStream* StreamingContext::ReceiverStream(const std::string& name,
                                          std::unique_ptr<ReceiverSource> source) {
  return ReceiverStream(name, ledger_.RegisterSource(name), std::move(source));
}

DStream* StreamingContext::ReceiverStream(const std::string& name, int32_t source_index,
                                          std::unique_ptr<ReceiverSource> source) {
  source->AttachLedger(&ledger_, source_index);
  receiver_sources_.push_back(std::move(source));
  return AddReceiverStream(name, receiver_sources_.back().get());
}

DStream* StreamingContext::AddReceiverStream(const std::string& name, ReceiverSource* source) {
  const int stream_id = static_cast<int>(receivers_.size());
  ReceiverConfig receiver_config;
  receiver_config.block_interval = config_.block_interval;
  receiver_config.replication = config_.replication;
  if (config_.receiver_wal && config_.checkpoint_dir) {
    receiver_config.replication = 1;
    receiver_config.wal_directory = ReceiverWalDirectory(stream_id);
    receiver_config.wal_write_time = cost_.storage_write;
  }
  receiver_config.relaunch = [this]() {
    if (world_->IsUp(cluster_.driver)) ScheduleReceiverRestart();
  };
  receiver_config.ledger = &ledger_;
  receiver_config.driver_life = [this]() { return driver_life_; };
  receivers_.push_back(std::make_unique<Receiver>(world_, &cluster_, &tracker_, stream_id, name,
                                                  source, receiver_config));
  tracker_.status(stream_id).name = name;
  tracker_.status(stream_id).stream_id = stream_id;
  // A block is available while a live executor holds it, or for ever once it is in the log.
  auto available = [this](const BlockRdd::BlockInfo& block) {
    if (!block.wal_path.empty()) return true;
    for (const Executor& executor : cluster_.executors) {
      if (executor.alive && executor.blocks.Get(block.id)) return true;
    }
    return false;
  };
  auto block_records = [this](const BlockRdd::BlockInfo& block) {
    return ledger_.RecordsOfAllocatedBlock(driver_life_, block.id, block.wal_path,
                                           block.wal_offset);
  };
  streams_.push_back(std::make_unique<ReceiverInputDStream>(
      name, config_.batch_interval, stream_id, &tracker_, available, block_records,
      [this](const std::string& message) { Warn(message); }));
  input_streams_.push_back(streams_.back().get());
  return streams_.back().get();
}

DStream* StreamingContext::TextFileStream(const std::string& name, const std::string& directory) {
  auto stream = std::make_unique<FileInputDStream>(name, config_.batch_interval, directory, world_);
  stream->AttachLedger(FileLedgerFor(directory, name));
  streams_.push_back(std::move(stream));
  input_streams_.push_back(streams_.back().get());
  return streams_.back().get();
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
  if (started_) return Status::Error("StreamingContext has already been started");
  if (outputs_.empty()) {
    return Status::Error("No output operations registered, so nothing to execute");
  }
  for (size_t i = 0; i < streams_.size(); ++i) streams_[i]->set_id(static_cast<int>(i));
  Status status = ValidateGraph();
  if (status.ok()) status = SetUpCheckpointIntervals();
  if (!status.ok()) return status;
  SetUpRemember();
  const int receivers = static_cast<int>(receivers_.size());
  if (receivers > 0 && cluster_.total_cores() <= receivers) {
    // Spark's warning for local[1] with receivers, generalised to the cluster's cores.
    Warn(fmt::format(
        "{} receiver(s) need {} core(s) but the cluster has {}: jobs will not get resources to "
        "process the received data (spark.master should be set as local[n], n > 1 in local mode "
        "if you have receivers to get data)",
        receivers, receivers, cluster_.total_cores()));
  }
  started_ = true;
  ListenForAllocations();
  initial_zero_time_ = world_->Now();
  ScheduleStopConditions();
  for (size_t node = 0; node < world_->node_count(); ++node) {
    world_->Start(sim::NodeId{static_cast<int32_t>(node)});
  }
  return Status::Ok();
}

std::string StreamingContext::ReceiverWalDirectory(int stream_id) const {
  return fmt::format("{}/receivedData/{}", *config_.checkpoint_dir, stream_id);
}

Status StreamingContext::ValidateGraph() {
  if (config_.receiver_wal && !config_.checkpoint_dir) {
    return Status::Error(
        "Cannot enable receiver write-ahead log without checkpoint directory set. Please use "
        "streamingContext.checkpoint() to set the checkpoint directory.");
  }
  if (config_.receiver_wal && config_.replication > 1) {
    for (size_t i = 0; i < receivers_.size(); ++i) {
      Warn(
          fmt::format("Storage level replication {} is unnecessary when write ahead log is "
                      "enabled, change to replication 1",
                      config_.replication));
    }
  }
  for (const auto& stream : streams_) {
    if (stream->must_checkpoint() && !config_.checkpoint_dir) {
      return Status::Error(
          "The checkpoint directory has not been set. Please set it by "
          "StreamingContext.checkpoint().");
    }
  }
  return Status::Ok();
}

Status StreamingContext::SetUpCheckpointIntervals() {
  for (const auto& stream : streams_) {
    if (!stream->must_checkpoint()) continue;
    const sim::Duration slide = stream->slide();
    const sim::Duration interval =
        config_.checkpoint_interval.value_or(stream->DefaultCheckpointInterval());
    if (interval < slide) {
      return Status::Error(fmt::format(
          "The checkpoint interval for {} has been set to {} ms which is lower than its slide "
          "time ({} ms). Please set it to at least {} ms.",
          stream->name(), interval.millis(), slide.millis(), slide.millis()));
    }
    if (interval % slide != sim::Duration{}) {
      return Status::Error(fmt::format(
          "The checkpoint interval for {} has been set to {} ms which not a multiple of its slide "
          "time ({} ms). Please set it to a multiple of {} ms.",
          stream->name(), interval.millis(), slide.millis(), slide.millis()));
    }
    stream->set_checkpoint_interval(interval);
  }
  return Status::Ok();
}

void StreamingContext::SetUpRemember() {
  for (const auto& output : outputs_) {
    output->stream->RememberAtLeast(config_.remember.value_or(output->stream->slide()));
  }
  // A checkpointed stream keeps twice its checkpoint interval of RDDs, as Spark does, so that the
  // checkpointed RDD is still remembered when the next checkpoint is written.
  for (const auto& stream : streams_) {
    if (stream->must_checkpoint()) stream->RememberAtLeast(stream->checkpoint_interval() * 2);
  }
  for (const auto& stream : streams_) {
    stream->set_forget_listener([this](const RddPtr& rdd) { OnForget(rdd); });
  }
}

// spark.streaming.unpersist: a forgotten RDD's cached partitions leave the executors' memory.
void StreamingContext::OnForget(const RddPtr& rdd) {
  if (!config_.unpersist || !rdd->persisted()) return;
  const std::string prefix = rdd->CacheBlockId(0).substr(0, rdd->CacheBlockId(0).rfind('_') + 1);
  for (Executor& executor : cluster_.executors) executor.blocks.RemoveWithPrefix(prefix);
}

void StreamingContext::ScheduleStopConditions() {
  if (config_.stop_after_batches) ArmLastBatchBound(initial_zero_time_ + LastBatchOffset());
  if (config_.stop_at) {
    world_->ScheduleGlobal(*config_.stop_at, [this]() {
      if (finished_) return;
      if (!world_->IsUp(cluster_.driver)) {
        return Finish(
            fmt::format("application down at the stop time {} ms: the driver is not "
                        "running",
                        world_->Now().millis()));
      }
      BeginStop();
    });
  }
}

sim::Duration StreamingContext::LastBatchOffset() const {
  return config_.batch_interval * *config_.stop_after_batches;
}

// If the last batch has not completed 10 batch intervals after `from` (its time, or a driver
// restart after it), the run ends and says so: no free cores, a stuck job, a driver that is down.
void StreamingContext::ArmLastBatchBound(sim::Instant from) {
  last_batch_bound_ = from + config_.batch_interval * 10;
  const sim::Instant bound = last_batch_bound_;
  world_->ScheduleGlobal(bound - world_->Now(), [this, bound]() {
    if (finished_ || bound != last_batch_bound_) return;
    Finish(fmt::format("batch {} ms did not complete within 10 batch intervals of its time",
                       (initial_zero_time_ + LastBatchOffset()).millis()));
  });
}

void StreamingContext::StartDriver() {
  ++driver_life_;
  ledger_.DriverStarted(driver_life_, world_->Now());
  world_->Record("driver", fmt::format("start life={} batch_interval={}", driver_life_,
                                       sim::FormatDuration(config_.batch_interval)));
  if (driver_life_ > 1) {
    // New executors come up with the new driver.
    for (const Executor& executor : cluster_.executors) world_->Start(executor.node);
    if (config_.stop_after_batches) {
      const sim::Instant last = initial_zero_time_ + LastBatchOffset();
      ArmLastBatchBound(std::max(last, world_->Now()));
    }
    if (config_.checkpoint_dir && RecoverFromCheckpoint()) return;
    ledger_.DriverStartedAfresh(driver_life_, world_->Now());
    Warn(fmt::format(
        "driver restarted at {} ms {}: starting from scratch, earlier state is lost",
        world_->Now().millis(),
        config_.checkpoint_dir ? "with no readable checkpoint" : "without a checkpoint directory"));
  }
  zero_time_ = world_->Now();
  recovery_end_ = zero_time_;  // nothing recovered
  for (auto& stream : streams_) stream->Initialize(zero_time_);
  // Receivers are launched once the executors are up (the workers start after the driver): a
  // receiver started on a node that is not up yet would have its block timer dropped.
  world_->Schedule(cluster_.driver, sim::Duration{}, [this]() { LaunchReceivers(); });
  ScheduleNextBatch(zero_time_ + config_.batch_interval);
  ScheduleCleaner();
}

void StreamingContext::CrashDriver(std::optional<sim::Duration> restart_after) {
  if (finished_ || !world_->IsUp(cluster_.driver)) return;
  world_->Crash(cluster_.driver);
  if (!config_.supervise) {
    return Finish(fmt::format(
        "application down: the driver crashed at {} ms and supervise is off, so nothing "
        "restarted it",
        world_->Now().millis()));
  }
  const sim::Duration delay = restart_after.value_or(config_.supervise_restart_delay);
  world_->ScheduleGlobal(delay, [this]() {
    if (!finished_) world_->Start(cluster_.driver);
  });
}

void StreamingContext::OnDriverCrash() {
  ResetDriverState();
  // The executors die with the driver, and their blocks with them.
  for (const Executor& executor : cluster_.executors) world_->Crash(executor.node);
}

void StreamingContext::ResetDriverState() {
  for (auto& receiver : receivers_) receiver->Kill("driver crashed");
  tracker_.Reset("driver crashed");
  scheduler_.Reset();
  for (auto& [key, info] : batches_) {
    if (key.first == driver_life_ && !info.completed() && info.failure.empty()) {
      info.failure = "lost: the driver crashed";
    }
  }
  job_sets_.clear();
  running_.reset();
  stopping_ = false;
  checkpointed_rdds_.clear();
  receivers_waiting_.clear();
  for (auto& stream : streams_) stream->ClearVolatileState();
}

void StreamingContext::OnExecutorStart(int index) {
  Executor& executor = cluster_.executors[index];
  // Back before the driver noticed the crash: the driver learns of the old executor's loss no
  // later than the new one registers, so that the dead executor's tasks and receiver are never
  // taken for the new executor's (whose core counts start from zero).
  if (executor.loss_unnoticed) OnExecutorLost(index);
  executor.alive = true;
  executor.busy_cores = 0;
  executor.receiver_cores = 0;
  // A new executor registers with a running driver: receivers waiting for a core and queued
  // tasks can use it. (With a restarting driver, the driver does this itself.)
  if (world_->IsUp(cluster_.driver) && !finished_) {
    world_->Schedule(cluster_.driver, config_.executor_loss_detection, [this]() {
      LaunchReceivers();
      scheduler_.LaunchTasks();
    });
  }
}

void StreamingContext::OnExecutorCrash(int index) {
  Executor& dead = cluster_.executors[index];
  dead.alive = false;
  dead.blocks.Clear();
  dead.busy_cores = 0;
  dead.receiver_cores = 0;
  // The driver notices when the connection to the executor drops.
  dead.loss_unnoticed = world_->IsUp(cluster_.driver);
  if (dead.loss_unnoticed) {
    world_->Schedule(cluster_.driver, config_.executor_loss_detection,
                     [this, index]() { OnExecutorLost(index); });
  }
}

void StreamingContext::OnExecutorLost(int index) {
  Executor& lost = cluster_.executors[index];
  if (!lost.loss_unnoticed) return;  // already handled when its successor registered
  lost.loss_unnoticed = false;
  scheduler_.OnExecutorLost(index);
  for (auto& receiver : receivers_) {
    if (receiver->executor() == index) {
      receiver->Kill("executor " + cluster_.executors[index].name + " lost");
      ScheduleReceiverRestart();
    }
  }
}

// Spark relaunches a receiver after spark.streaming.receiverRestartDelay (2 s), on an executor
// with a free core.
void StreamingContext::ScheduleReceiverRestart() {
  world_->Schedule(cluster_.driver, config_.receiver_restart_delay, [this]() {
    if (!finished_ && !stopping_) LaunchReceivers();
  });
}

void StreamingContext::CrashReceiver(const std::string& name) {
  for (auto& receiver : receivers_) {
    if (receiver->name() != name || !receiver->running()) continue;
    world_->Record("fault", "receiver " + name + " crashed");
    // Its executor lives on: blocks it already cut are still replicated and reported.
    receiver->Stop("receiver crashed", /*flush=*/false);
    if (world_->IsUp(cluster_.driver)) ScheduleReceiverRestart();
  }
}

void StreamingContext::CrashWorker(int index, std::optional<sim::Duration> restart_after) {
  if (index < 0 || index >= static_cast<int>(cluster_.executors.size())) return;
  const sim::NodeId node = cluster_.executors[index].node;
  world_->Crash(node);
  if (restart_after)
    world_->ScheduleGlobal(*restart_after, [this, node]() {
      if (!finished_ && world_->IsUp(cluster_.driver)) world_->Start(node);
    });
}

void StreamingContext::LaunchReceivers() {
  // Round-robin over executors, as Spark's ReceiverSchedulingPolicy spreads receivers evenly.
  int next = 0;
  for (auto& receiver : receivers_) {
    if (receiver->running()) continue;
    const int count = static_cast<int>(cluster_.executors.size());
    int placed = -1;
    for (int step = 0; step < count && placed < 0; ++step) {
      const int candidate = (next + step) % count;
      if (cluster_.executors[candidate].free_cores() > 0) placed = candidate;
    }
    if (placed < 0) {
      tracker_.status(receiver->stream_id()).last_error = "no free core to run the receiver";
      // It waits for a core (LaunchWaitingReceivers).
      if (receivers_waiting_.insert(receiver->stream_id()).second) {
        Warn("receiver " + receiver->name() + " cannot start: no free core");
      }
      continue;
    }
    receivers_waiting_.erase(receiver->stream_id());
    receiver->Start(placed);
    next = placed + 1;
  }
}

// A receiver that found no free core waits for one, as its task waits in Spark's task queue: it
// takes a core left free once the queued tasks are placed (the scheduler calls this then).
void StreamingContext::LaunchWaitingReceivers() {
  if (receivers_waiting_.empty() || finished_ || stopping_ || !world_->IsUp(cluster_.driver)) {
    return;
  }
  for (const Executor& executor : cluster_.executors) {
    if (executor.free_cores() > 0) return LaunchReceivers();
  }
}

DStream* StreamingContext::FindStream(const std::string& name) const {
  for (const auto& stream : streams_) {
    if (stream->name() == name) return stream.get();
  }
  return nullptr;
}

std::vector<BatchInfo> StreamingContext::batches() const {
  std::vector<BatchInfo> all;
  all.reserve(batches_.size());
  for (const auto& [key, info] : batches_) all.push_back(info);
  return all;
}

void StreamingContext::Warn(const std::string& message) {
  warnings_.push_back(message);
  world_->Record("warning", message);
  listener_->OnWarning(message);
}

}  // namespace streamsim::engine
