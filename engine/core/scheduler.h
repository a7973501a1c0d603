// The DAG scheduler and task scheduler of the driver. A job computes every partition of an RDD and
// runs a result function on each partition's records on the executor (collect, take, save). The
// job is cut into stages at shuffle boundaries; each stage runs one task per partition, placed on a
// free executor core (the executor holding the partition's input first). Tasks really compute
// their partition when they start on the executor; their simulated duration is the launch cost
// plus the work the cost model charges. A failed task is retried up to spark.task.maxFailures
// attempts, then the job fails with Spark's message. Map outputs of shuffles live on the executor
// that computed them and are forgotten once no RDD refers to the shuffle any more (as Spark's
// ContextCleaner does).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/core/cluster.h"
#include "engine/core/cost_model.h"
#include "engine/core/rdd.h"
#include "simulator/world.h"

namespace streamsim::engine {

struct JobOutcome {
  bool ok = true;
  std::string failure;                    // Spark-style message when !ok
  std::vector<Values> partition_results;  // what each partition's result function returned
};

// Runs on the executor with the partition's records; what it returns is sent to the driver. An
// error (a sink refusing the write) fails the task, which is retried.
using ResultFunction =
    std::function<TaskResult<Values>(Values records, int partition, TaskContext& context)>;
using JobCallback = std::function<void(JobOutcome outcome)>;

struct SchedulerCounters {
  int64_t tasks_launched = 0;
  int64_t tasks_failed = 0;
  int64_t stages_run = 0;
  int64_t jobs_failed = 0;
};

class DagScheduler {
 public:
  DagScheduler(sim::World* world, Cluster* cluster, const CostModel* cost, int task_max_failures);

  // Submits a job; `done` is called on the driver once every partition has a result or the job
  // failed. The job name appears in the trace.
  void RunJob(const RddPtr& rdd, std::string name, ResultFunction result, JobCallback done);

  // The driver crashed: forget every job, task and map output (executors die with the driver).
  void Reset();
  // Tries to place pending tasks on free cores (after cores were freed elsewhere, e.g. receivers).
  void LaunchTasks();

  const SchedulerCounters& counters() const { return counters_; }
  // The driver learned that an executor died: its running tasks are resubmitted and its map
  // outputs forgotten (reduce tasks that need them fail to fetch and resubmit the map stage).
  void OnExecutorLost(int executor);

  // Called when every queued task has been placed: a long-running task waiting for a core (a
  // receiver to relaunch) takes one of the cores still free then, as a job submitted after the
  // running one would in Spark's FIFO task queue.
  void set_idle_cores_listener(std::function<void()> listener) {
    idle_cores_listener_ = std::move(listener);
  }

  size_t pending_tasks() const { return pending_.size(); }
  int running_tasks() const { return static_cast<int>(running_tasks_.size()); }

 private:
  struct Stage;
  struct Job;
  struct Task {
    std::shared_ptr<Job> job;
    std::shared_ptr<Stage> stage;
    int partition = 0;
    int attempt = 0;           // failures so far (spark.task.maxFailures counts these)
    int stage_submission = 0;  // which submission of its stage made the task
    int launches = 0;          // launches so far, failed or lost (TaskContext::attempt_number)
  };
  struct MapOutput {
    int executor = 0;
    std::vector<Values> buckets;
  };
  struct ShuffleOutputs {
    std::weak_ptr<const ShuffleDependency> owner;
    std::vector<std::optional<MapOutput>> maps;
  };
  class ExecutorContext;
  struct RunningTask {
    Task task;
    int executor = 0;
  };
  static constexpr int kStageMaxAttempts = 4;

  std::shared_ptr<Stage> BuildStage(const std::shared_ptr<Job>& job, const RddPtr& rdd,
                                    ShuffleDependencyPtr shuffle);
  void CollectShuffleStages(const std::shared_ptr<Job>& job, const RddPtr& rdd,
                            std::vector<std::shared_ptr<Stage>>* parents);
  bool ShuffleAvailable(int shuffle_id) const;
  void SubmitReadyStages(const std::shared_ptr<Job>& job);
  int ChooseExecutor(const Task& task) const;
  void Launch(Task task, int executor);
  void RunOnExecutor(Task task, int executor, uint64_t task_id);
  static TaskResult<std::vector<Values>> ComputeTask(const Task& task, TaskContext& context);
  void ReleaseCore(int executor);
  void OnTaskSucceeded(const Task& task, int executor, std::vector<Values> output);
  void OnTaskFailed(Task task, const TaskError& error);
  void ResubmitMapStage(const Task& task, const TaskError& error);
  void FinishJob(const std::shared_ptr<Job>& job);
  void FailJob(const std::shared_ptr<Job>& job, const std::string& reason);
  void ForgetUnreferencedShuffles();

  sim::World* world_;
  Cluster* cluster_;
  const CostModel* cost_;
  int task_max_failures_;
  int next_job_id_ = 0;
  int next_stage_id_ = 0;
  uint64_t next_task_id_ = 0;
  std::deque<Task> pending_;
  // Tasks launched and not yet reported, by task id; a result for an id not here is stale.
  std::map<uint64_t, RunningTask> running_tasks_;
  std::map<int, ShuffleOutputs> shuffles_;
  SchedulerCounters counters_;
  std::function<void()> idle_cores_listener_;
};

}  // namespace streamsim::engine
