// DAG and task scheduling: stage construction at shuffle boundaries, task placement on cores,
// executor-side computation with simulated durations, retries and job completion.
#include "engine/scheduler.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "engine/expression.h"

namespace streamsim::engine {

struct DagScheduler::Stage {
  int id = 0;
  RddPtr rdd;                    // the RDD whose partitions the tasks compute
  ShuffleDependencyPtr shuffle;  // set for a shuffle-map stage; null for the result stage
  std::vector<std::shared_ptr<Stage>> parents;
  std::set<int> remaining;  // partitions without a result yet
  bool submitted = false;
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
  ExecutorContext(DagScheduler* scheduler, int executor)
      : scheduler_(scheduler), executor_(executor) {}

  BlockPtr FetchBlock(const std::string& block_id) override {
    if (BlockPtr block = FindCachedBlock(block_id)) return block;
    throw TaskFailure(TaskFailure::Kind::kMissingBlock,
                      "Could not compute split, block " + block_id + " not found");
  }

  BlockPtr FindCachedBlock(const std::string& block_id) override {
    Cluster& cluster = *scheduler_->cluster_;
    const Executor& local = cluster.executors[executor_];
    if (BlockPtr block = local.blocks.Get(block_id)) return block;
    for (const Executor& remote : cluster.executors) {
      if (!remote.alive || remote.index == executor_) continue;
      if (BlockPtr block = remote.blocks.Get(block_id)) {
        AddWork(scheduler_->world_->network().EstimateTransfer(remote.node, local.node,
                                                                block->bytes));
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

  const Values& FetchShuffleBucket(int shuffle_id, int map_partition,
                                   int reduce_partition) override {
    auto it = scheduler_->shuffles_.find(shuffle_id);
    const Cluster& cluster = *scheduler_->cluster_;
    if (it == scheduler_->shuffles_.end() || !it->second.maps.at(map_partition).has_value() ||
        !cluster.executors[it->second.maps[map_partition]->executor].alive) {
      throw TaskFailure(TaskFailure::Kind::kFetchFailed,
                        fmt::format("FetchFailed: the shuffle output of map partition {} is lost", map_partition),
                        shuffle_id);
    }
    const MapOutput& output = *it->second.maps[map_partition];
    const Values& bucket = output.buckets.at(reduce_partition);
    if (output.executor != executor_) {
      AddWork(scheduler_->world_->network().EstimateTransfer(
          cluster.executors[output.executor].node, cluster.executors[executor_].node,
          EstimateBytes(bucket)));
    }
    return bucket;
  }

  std::string ReadFile(const std::string& path) override {
    Result<std::string> contents = scheduler_->world_->storage().Read(path);
    if (!contents.ok()) {
      throw TaskFailure(TaskFailure::Kind::kStorage, contents.status().message());
    }
    return contents.value();
  }

  const CostModel& cost() const override { return *scheduler_->cost_; }
  sim::Storage& storage() override { return scheduler_->world_->storage(); }
  sim::NodeId node() const override { return scheduler_->cluster_->executors[executor_].node; }

 private:
  DagScheduler* scheduler_;
  int executor_;
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
    ++counters_.stages_run;
    for (int partition : stage->remaining) pending_.push_back(Task{job, stage, partition, 0});
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
}

void DagScheduler::Launch(Task task, int executor) {
  Executor& target = cluster_->executors[executor];
  ++target.busy_cores;
  ++running_;
  ++counters_.tasks_launched;
  const uint64_t generation = generation_;
  world_->network().Send(sim::Message{
      cluster_->driver, target.node, 4096, "launch-task",
      [this, task = std::move(task), executor, generation]() mutable {
        RunOnExecutor(std::move(task), executor, generation);
      }});
}

void DagScheduler::RunOnExecutor(Task task, int executor, uint64_t generation) {
  ExecutorContext context(this, executor);
  std::vector<Values> output;
  std::string failure;
  try {
    if (task.stage->shuffle) {
      output = ComputeShuffleMapOutput(*task.stage->shuffle, task.partition, context);
    } else {
      Values records = task.stage->rdd->Iterator(task.partition, context);
      output.push_back(task.job->result(std::move(records), task.partition, context));
    }
  } catch (const TaskFailure& error) {
    failure = error.what();
  } catch (const EvalError& error) {
    failure = std::string("user function failed: ") + error.what();
  }
  int64_t bytes = 256;
  for (const Values& part : output) bytes += task.stage->shuffle ? 64 : EstimateBytes(part);
  const Executor& source = cluster_->executors[executor];
  const sim::Duration duration = cost_->task_launch + context.work();
  world_->Schedule(source.node, duration, [=, this, output = std::move(output)]() mutable {
    world_->network().Send(sim::Message{
        source.node, cluster_->driver, bytes, "task-result",
        [=, this, output = std::move(output)]() mutable {
          if (generation != generation_) return;
          --cluster_->executors[executor].busy_cores;
          --running_;
          if (failure.empty()) {
            OnTaskSucceeded(task, executor, std::move(output));
          } else {
            OnTaskFailed(task, failure);
          }
          LaunchTasks();
        }});
  });
}

void DagScheduler::OnTaskSucceeded(const Task& task, int executor, std::vector<Values> output) {
  Stage& stage = *task.stage;
  if (task.job->finished || stage.remaining.erase(task.partition) == 0) return;
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

void DagScheduler::OnTaskFailed(Task task, const std::string& reason) {
  ++counters_.tasks_failed;
  world_->Record("task", fmt::format("failed job={} stage={} partition={} attempt={}: {}",
                                     task.job->id, task.stage->id, task.partition, task.attempt,
                                     reason));
  if (task.job->finished) return;
  if (++task.attempt >= task_max_failures_) {
    return FailJob(task.job,
                   fmt::format("Job aborted due to stage failure: Task {} in stage {}.0 failed {} "
                               "times, most recent failure: {}",
                               task.partition, task.stage->id, task_max_failures_, reason));
  }
  pending_.push_back(std::move(task));
}

void DagScheduler::FinishJob(const std::shared_ptr<Job>& job) {
  if (job->finished) return;
  job->finished = true;
  world_->Record("job", fmt::format("end {} {}", job->id, job->name));
  JobOutcome outcome;
  outcome.partition_results = std::move(job->results);
  job->done(std::move(outcome));
}

void DagScheduler::FailJob(const std::shared_ptr<Job>& job, const std::string& reason) {
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
  ++generation_;
  pending_.clear();
  shuffles_.clear();
  running_ = 0;
  for (Executor& executor : cluster_->executors) executor.busy_cores = 0;
}

void DagScheduler::ForgetUnreferencedShuffles() {
  std::erase_if(shuffles_, [](const auto& entry) { return entry.second.owner.expired(); });
}

}  // namespace streamsim::engine
