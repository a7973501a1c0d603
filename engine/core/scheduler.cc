// DAG and task scheduling: stage construction at shuffle boundaries, task placement on cores,
// executor-side computation with simulated durations, retries and job completion.
#include "engine/core/scheduler.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/assert.h"
#include "engine/core/records_and_ledger.h"
#include "records/expression.h"

namespace streamsim::engine {

struct DagScheduler::Stage {
  int id = 0;
  RddPtr rdd;                    // the RDD whose partitions the tasks compute
  ShuffleDependencyPtr shuffle;  // set for a shuffle-map stage; null for the result stage
  std::vector<std::shared_ptr<Stage>> parents;
  std::set<int> remaining;  // partitions without a result yet
  bool submitted = false;
  int submissions = 0;  // times the stage was submitted
  int attempts = 0;     // resubmissions after lost map outputs
};

struct DagScheduler::Job {
  int id = 0;
  std::string name;
  ResultFunction result;
  JobCallback done;
  std::shared_ptr<Stage> final_stage;
  std::vector<std::shared_ptr<Stage>> stages;  // every stage, parents before children
  std::vector<Values> results;
  bool finished = false;
};

// What a task running on one executor can reach.
class DagScheduler::ExecutorContext : public TaskContext {
 public:
  ExecutorContext(DagScheduler* scheduler, int executor, int attempt_number)
      : scheduler_(scheduler), executor_(executor), attempt_number_(attempt_number) {}

  TaskResult<BlockPtr> FetchBlock(const std::string& block_id) override {
    if (BlockPtr block = FindCachedBlock(block_id)) return block;
    return TaskError{TaskError::Kind::kMissingBlock,
                     "Could not compute split, block " + block_id + " not found", -1};
  }

  BlockPtr FindCachedBlock(const std::string& block_id) override {
    Cluster& cluster = *scheduler_->cluster_;
    const Executor& local = cluster.executors[executor_];
    if (BlockPtr block = local.blocks.Get(block_id)) return block;
    for (const Executor& remote : cluster.executors) {
      if (!remote.alive || remote.index == executor_) continue;
      if (BlockPtr block = remote.blocks.Get(block_id)) {
        AddWork(
            scheduler_->world_->network().EstimateTransfer(remote.node, local.node, block->bytes));
        return block;
      }
    }
    return nullptr;
  }

  void CacheBlock(BlockPtr block) override {
    auto stamped = std::make_shared<Block>(*block);
    stamped->created_us = scheduler_->world_->Now().us;
    scheduler_->cluster_->executors[executor_].blocks.Put(std::move(stamped));
  }

  TaskResult<const Values*> FetchShuffleBucket(int shuffle_id, int map_partition,
                                               int reduce_partition) override {
    auto it = scheduler_->shuffles_.find(shuffle_id);
    const Cluster& cluster = *scheduler_->cluster_;
    if (it == scheduler_->shuffles_.end() || !it->second.maps.at(map_partition).has_value() ||
        !cluster.executors[it->second.maps[map_partition]->executor].alive) {
      return TaskError{
          TaskError::Kind::kFetchFailed,
          fmt::format("FetchFailed: the shuffle output of map partition {} is lost", map_partition),
          shuffle_id};
    }
    const MapOutput& output = *it->second.maps[map_partition];
    const Values& bucket = output.buckets.at(reduce_partition);
    if (output.executor != executor_) {
      AddWork(scheduler_->world_->network().EstimateTransfer(
          cluster.executors[output.executor].node, cluster.executors[executor_].node,
          EstimateBytes(bucket)));
    }
    return &bucket;
  }

  TaskResult<std::string> ReadFile(const std::string& path) override {
    Result<std::string> contents = scheduler_->world_->storage().Read(path);
    if (!contents.ok()) return TaskError::Storage(contents.status().message());
    return std::move(contents.value());
  }

  const CostModel& cost() const override { return *scheduler_->cost_; }
  sim::Storage& storage() override { return scheduler_->world_->storage(); }
  sim::NodeId node() const override { return scheduler_->cluster_->executors[executor_].node; }
  int attempt_number() const override { return attempt_number_; }

 private:
  DagScheduler* scheduler_;
  int executor_;
  int attempt_number_;
};

DagScheduler::DagScheduler(sim::World* world, Cluster* cluster, const CostModel* cost,
                           int task_max_failures)
    : world_(world), cluster_(cluster), cost_(cost), task_max_failures_(task_max_failures) {}

bool DagScheduler::ShuffleAvailable(int shuffle_id) const {
  auto it = shuffles_.find(shuffle_id);
  if (it == shuffles_.end()) return false;
  for (const auto& output : it->second.maps) {
    if (!output.has_value() || !cluster_->executors[output->executor].alive) return false;
  }
  return true;
}

void DagScheduler::CollectShuffleStages(const std::shared_ptr<Job>& job, const RddPtr& rdd,
                                        std::vector<std::shared_ptr<Stage>>* parents) {
  for (const RddPtr& parent : rdd->narrow_parents()) CollectShuffleStages(job, parent, parents);
  for (const ShuffleDependencyPtr& shuffle : rdd->shuffle_parents()) {
    if (ShuffleAvailable(shuffle->shuffle_id)) continue;  // a skipped stage, as in Spark's UI
    parents->push_back(BuildStage(job, shuffle->parent, shuffle));
  }
}

std::shared_ptr<DagScheduler::Stage> DagScheduler::BuildStage(const std::shared_ptr<Job>& job,
                                                              const RddPtr& rdd,
                                                              ShuffleDependencyPtr shuffle) {
  auto stage = std::make_shared<Stage>();
  stage->id = next_stage_id_++;
  stage->rdd = rdd;
  stage->shuffle = std::move(shuffle);
  CollectShuffleStages(job, rdd, &stage->parents);
  for (int p = 0; p < rdd->num_partitions(); ++p) stage->remaining.insert(p);
  if (stage->shuffle) {
    ShuffleOutputs& outputs = shuffles_[stage->shuffle->shuffle_id];
    outputs.owner = stage->shuffle;
    outputs.maps.assign(rdd->num_partitions(), std::nullopt);
  }
  job->stages.push_back(stage);
  return stage;
}

void DagScheduler::RunJob(const RddPtr& rdd, std::string name, ResultFunction result,
                          JobCallback done) {
  ForgetUnreferencedShuffles();
  auto job = std::make_shared<Job>();
  job->id = next_job_id_++;
  job->name = std::move(name);
  job->result = std::move(result);
  job->done = std::move(done);
  job->results.resize(rdd->num_partitions());
  job->final_stage = BuildStage(job, rdd, nullptr);
  world_->Record("job", fmt::format("start {} {} stages={} partitions={}", job->id, job->name,
                                    job->stages.size(), rdd->num_partitions()));
  SubmitReadyStages(job);
}

void DagScheduler::SubmitReadyStages(const std::shared_ptr<Job>& job) {
  for (const auto& stage : job->stages) {
    if (stage->submitted) continue;
    const bool ready = std::all_of(stage->parents.begin(), stage->parents.end(),
                                   [](const auto& parent) { return parent->remaining.empty(); });
    if (!ready) continue;
    stage->submitted = true;
    ++stage->submissions;
    ++counters_.stages_run;
    for (int partition : stage->remaining) {
      pending_.push_back(Task{job, stage, partition, 0, stage->submissions});
    }
  }
  if (job->final_stage->remaining.empty()) return FinishJob(job);  // zero partitions
  LaunchTasks();
}

int DagScheduler::ChooseExecutor(const Task& task) const {
  const std::optional<int> preferred = task.stage->rdd->PreferredExecutor(task.partition);
  if (preferred && cluster_->executors[*preferred].free_cores() > 0) return *preferred;
  int best = -1;
  for (const Executor& executor : cluster_->executors) {
    if (executor.free_cores() <= 0) continue;
    if (best < 0 || executor.free_cores() > cluster_->executors[best].free_cores()) {
      best = executor.index;
    }
  }
  return best;
}

void DagScheduler::LaunchTasks() {
  while (!pending_.empty()) {
    const int executor = ChooseExecutor(pending_.front());
    if (executor < 0) return;  // no free core: wait for a task to finish
    Task task = std::move(pending_.front());
    pending_.pop_front();
    Launch(std::move(task), executor);
  }
  if (idle_cores_listener_) idle_cores_listener_();
}

void DagScheduler::Launch(Task task, int executor) {
  Executor& target = cluster_->executors[executor];
  // Written: a task takes a free core of a live executor (read where its result frees it).
  STREAMSIM_ASSERT(target.free_cores() > 0,
                   "a task launched on " + target.name + " without a free core");
  STREAMSIM_ASSERT(task.partition >= 0 && task.partition < task.stage->rdd->num_partitions());
  ++target.busy_cores;
  ++counters_.tasks_launched;
  const uint64_t task_id = ++next_task_id_;
  ++task.launches;  // before the copy kept for a resubmission, which is then a later attempt
  running_tasks_[task_id] = RunningTask{task, executor};
  world_->network().Send(sim::Message{cluster_->driver, target.node, 4096, "launch-task",
                                      [this, task = std::move(task), executor, task_id]() mutable {
                                        RunOnExecutor(std::move(task), executor, task_id);
                                      }});
}

void DagScheduler::RunOnExecutor(Task task, int executor, uint64_t task_id) {
  STREAMSIM_ASSERT(task.launches >= 1);
  ExecutorContext context(this, executor, task.launches - 1);
  TaskResult<std::vector<Values>> computed = ComputeTask(task, context);
  std::vector<Values> output;
  std::optional<TaskError> error;
  if (computed.ok()) {
    output = std::move(computed.value());
  } else {
    error = computed.error();
  }
  int64_t bytes = 256;
  for (const Values& part : output) bytes += task.stage->shuffle ? 64 : EstimateBytes(part);
  const sim::NodeId node = cluster_->executors[executor].node;
  const sim::Duration duration = cost_->task_launch + context.work();
  world_->Schedule(node, duration, [=, this, output = std::move(output)]() mutable {
    world_->network().Send(sim::Message{node, cluster_->driver, bytes, "task-result",
                                        [=, this, output = std::move(output)]() mutable {
                                          // A result from a task the driver no longer tracks (its
                                          // executor was declared lost, or the driver restarted) is
                                          // ignored.
                                          if (running_tasks_.erase(task_id) == 0) return;
                                          ReleaseCore(executor);
                                          if (error.has_value()) {
                                            OnTaskFailed(task, *error);
                                          } else {
                                            OnTaskSucceeded(task, executor, std::move(output));
                                          }
                                          LaunchTasks();
                                        }});
  });
}

// The task's work on the executor: a shuffle map task's buckets, or a result task's one result.
// A user function failing inside an expression throws EvalError, which fails the task as Spark
// fails a task whose closure threw.
TaskResult<std::vector<Values>> DagScheduler::ComputeTask(const Task& task, TaskContext& context) {
  try {
    if (task.stage->shuffle) {
      return ComputeShuffleMapOutput(*task.stage->shuffle, task.partition, context);
    }
    TaskResult<Values> records = task.stage->rdd->Iterator(task.partition, context);
    if (!records.ok()) return records.error();
    TaskResult<Values> result =
        task.job->result(std::move(records.value()), task.partition, context);
    if (!result.ok()) return result.error();
    return std::vector<Values>{std::move(result.value())};
  } catch (const EvalError& failure) {
    return TaskError{TaskError::Kind::kUser, std::string("user function failed: ") + failure.what(),
                     -1};
  }
}

void DagScheduler::OnExecutorLost(int executor) {
  world_->Record("scheduler", fmt::format("executor lost: {}", cluster_->executors[executor].name));
  // Tasks that were running there are resubmitted (not counted as task failures, as Spark does
  // for an executor lost outside the application's control).
  for (auto it = running_tasks_.begin(); it != running_tasks_.end();) {
    if (it->second.executor != executor) {
      ++it;
      continue;
    }
    if (!it->second.task.job->finished) pending_.push_back(it->second.task);
    it = running_tasks_.erase(it);
  }
  // Its map outputs are gone: later fetches fail and resubmit the map stages.
  for (auto& [shuffle_id, outputs] : shuffles_) {
    for (auto& output : outputs.maps) {
      if (output && output->executor == executor) output.reset();
    }
  }
  LaunchTasks();
}

// Read: the core a launched task took (Launch) is given back once, while the driver tracks the
// task; an executor that crashed or restarted meanwhile started again from zero busy cores, and its
// tasks are no longer tracked.
void DagScheduler::ReleaseCore(int executor) {
  Executor& host = cluster_->executors[executor];
  STREAMSIM_ASSERT(host.busy_cores > 0,
                   "a task result frees a core " + host.name + " does not hold");
  --host.busy_cores;
}

void DagScheduler::OnTaskSucceeded(const Task& task, int executor, std::vector<Values> output) {
  Stage& stage = *task.stage;
  if (task.job->finished || stage.remaining.erase(task.partition) == 0) return;
  // A shuffle map task hands one bucket per reduce partition; a result task one result.
  STREAMSIM_ASSERT(stage.shuffle
                       ? output.size() == static_cast<size_t>(stage.shuffle->reduce_partitions)
                       : output.size() == 1);
  if (stage.shuffle) {
    shuffles_[stage.shuffle->shuffle_id].maps.at(task.partition) =
        MapOutput{executor, std::move(output)};
  } else {
    task.job->results[task.partition] = std::move(output.at(0));
  }
  if (!stage.remaining.empty()) return;
  if (&stage == task.job->final_stage.get()) return FinishJob(task.job);
  SubmitReadyStages(task.job);
}

void DagScheduler::OnTaskFailed(Task task, const TaskError& error) {
  const std::string& reason = error.message;
  ++counters_.tasks_failed;
  world_->Record("task",
                 fmt::format("failed job={} stage={} partition={} attempt={}: {}", task.job->id,
                             task.stage->id, task.partition, task.attempt, reason));
  if (task.job->finished) return;
  if (error.kind == TaskError::Kind::kFetchFailed) return ResubmitMapStage(task, error);
  if (++task.attempt >= task_max_failures_) {
    return FailJob(task.job,
                   fmt::format("Job aborted due to stage failure: Task {} in stage {}.0 failed {} "
                               "times, most recent failure: {}",
                               task.partition, task.stage->id, task_max_failures_, reason));
  }
  pending_.push_back(std::move(task));
}

// A reduce task could not fetch a map output (its executor was lost): the map stage runs again
// for its missing partitions, then the reduce stage resumes. A stage that keeps losing its
// outputs fails the job after 4 attempts (spark.stage.maxConsecutiveAttempts). Tasks of one
// submission of the reduce stage that ran at the same time all fail on the same lost outputs: only
// the first failure resubmits the map stage and counts as an attempt; the others, and late ones
// from an older submission, are ignored (Spark ignores fetch failures of a stage attempt it already
// handled). Their partitions run again when the reduce stage is resubmitted. A map stage skipped
// when the job was built (its outputs were available then) is added to the job.
void DagScheduler::ResubmitMapStage(const Task& task, const TaskError& error) {
  if (!task.stage->submitted || task.stage_submission != task.stage->submissions) return;
  const std::shared_ptr<Job>& job = task.job;
  std::shared_ptr<Stage> map_stage;
  for (const auto& stage : job->stages) {
    if (stage->shuffle && stage->shuffle->shuffle_id == error.shuffle_id) map_stage = stage;
  }
  auto known = shuffles_.find(error.shuffle_id);
  ShuffleDependencyPtr skipped =
      map_stage || known == shuffles_.end() ? nullptr : known->second.owner.lock();
  if (skipped) {
    // The map stage was skipped when the job was built (its outputs were all there, as for the
    // lineage of a persisted RDD): it joins the job now, as a parent of the failed stage.
    map_stage = std::make_shared<Stage>();
    map_stage->id = next_stage_id_++;
    map_stage->rdd = skipped->parent;
    map_stage->shuffle = skipped;
    CollectShuffleStages(job, skipped->parent, &map_stage->parents);
    job->stages.push_back(map_stage);
    task.stage->parents.push_back(map_stage);
  }
  if (!map_stage || ++map_stage->attempts >= kStageMaxAttempts) {
    return FailJob(job, fmt::format("Job aborted due to stage failure: stage {} has failed the "
                                    "maximum allowable number of times: {}. Most recent failure "
                                    "reason: {}",
                                    task.stage->id, kStageMaxAttempts, error.message));
  }
  ShuffleOutputs& outputs = shuffles_[error.shuffle_id];
  outputs.owner = map_stage->shuffle;
  outputs.maps.resize(map_stage->rdd->num_partitions());
  for (size_t p = 0; p < outputs.maps.size(); ++p) {
    const auto& output = outputs.maps[p];
    if (!output || !cluster_->executors[output->executor].alive) {
      outputs.maps[p].reset();
      map_stage->remaining.insert(static_cast<int>(p));
    }
  }
  map_stage->submitted = false;
  task.stage->submitted = false;
  // Queued tasks of the reduce stage would fail the same way; they run again after the map stage.
  std::erase_if(pending_, [&](const Task& queued) { return queued.stage == task.stage; });
  SubmitReadyStages(job);
}

void DagScheduler::FinishJob(const std::shared_ptr<Job>& job) {
  if (job->finished) return;
  // Every partition of the result stage has its result: a job never ends with one missing.
  STREAMSIM_ASSERT(job->final_stage->remaining.empty(),
                   "job " + job->name + " ended with partitions left");
  job->finished = true;
  world_->Record("job", fmt::format("end {} {}", job->id, job->name));
  JobOutcome outcome;
  outcome.partition_results = std::move(job->results);
  job->done(std::move(outcome));
}

void DagScheduler::FailJob(const std::shared_ptr<Job>& job, const std::string& reason) {
  STREAMSIM_ASSERT(!job->finished, "job " + job->name + " failed after it ended");
  job->finished = true;
  ++counters_.jobs_failed;
  world_->Record("job", fmt::format("failed {} {}: {}", job->id, job->name, reason));
  // Drop the job's queued tasks; running ones finish and are ignored.
  std::erase_if(pending_, [&](const Task& task) { return task.job == job; });
  JobOutcome outcome;
  outcome.ok = false;
  outcome.failure = reason;
  job->done(std::move(outcome));
}

void DagScheduler::Reset() {
  pending_.clear();
  shuffles_.clear();
  running_tasks_.clear();
  for (Executor& executor : cluster_->executors) executor.busy_cores = 0;
}

void DagScheduler::ForgetUnreferencedShuffles() {
  std::erase_if(shuffles_, [](const auto& entry) { return entry.second.owner.expired(); });
}

}  // namespace streamsim::engine
