// The StreamingContext and the driver it runs on. It owns the cluster (a driver node and worker
// nodes with executors), the DStream graph, the receivers and the outputs. Once started, the job
// generator makes one job set per batch interval (allocating received blocks to the batch and
// generating one job per output), and the job scheduler runs the job sets one at a time
// (spark.streaming.concurrentJobs = 1). Each batch's timings are kept as in Spark's Streaming tab.
// The run ends at the stop condition: after a number of batches, or at a time, gracefully
// (receivers stop, what was received is processed, bounded by 10 batch intervals) or not.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/cluster.h"
#include "engine/cost_model.h"
#include "engine/dstream.h"
#include "engine/file_source.h"
#include "engine/output.h"
#include "engine/receiver.h"
#include "engine/receiver_tracker.h"
#include "engine/scheduler.h"
#include "engine/socket_source.h"
#include "simulator/world.h"

namespace streamsim::engine {

struct StreamingConfig {
  sim::Duration batch_interval = sim::Duration::Seconds(1);
  sim::Duration block_interval = sim::Duration::Millis(200);
  int replication = 2;  // from the storage level (MEMORY_AND_DISK_SER_2 -> 2)
  int task_max_failures = 4;
  int workers = 2;
  int cores_per_worker = 2;
  std::optional<int64_t> stop_after_batches;
  std::optional<sim::Duration> stop_at;
  bool graceful_stop = true;
};

struct BatchInfo {
  sim::Instant batch_time;
  int64_t input_records = 0;
  sim::Instant submission_time;
  std::optional<sim::Instant> processing_start;
  std::optional<sim::Instant> processing_end;
  std::string failure;  // the failed job's message, when a job of the batch failed

  bool completed() const { return processing_end.has_value(); }
  std::optional<sim::Duration> scheduling_delay() const;
  std::optional<sim::Duration> processing_time() const;
  std::optional<sim::Duration> total_delay() const;
};

class StreamingContext {
 public:
  StreamingContext(sim::World* world, StreamingConfig config, CostModel cost,
                   OutputListener* listener);
  ~StreamingContext();

  // Building the graph (before Start).
  DStream* QueueStream(const std::string& name, std::vector<Values> batches, int partitions,
                       bool one_at_a_time);
  DStream* SocketTextStream(const SocketServerConfig& config);
  DStream* TextFileStream(const std::string& name, const std::string& directory);
  void AddFileProducer(const FileProducerConfig& config);
  DStream* Transform(const std::string& name, std::vector<DStream*> parents,
                     std::vector<Operator> chain);
  void AddOutput(OutputOperation output);
  // Adds a stream built elsewhere (windowed and stateful streams, engine/stream_operations.h).
  DStream* AddStream(std::unique_ptr<DStream> stream);

  // Validates the graph and starts every node. Fails with Spark's message when no output is
  // registered.
  Status Start();
  // Runs the world until the stop condition is reached (or the event queue is empty).
  void AwaitTermination();

  const std::vector<BatchInfo>& batches() const { return batches_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::string& stop_reason() const { return stop_reason_; }
  const Cluster& cluster() const { return cluster_; }
  const ReceiverTracker& receiver_tracker() const { return tracker_; }
  const DagScheduler& scheduler() const { return scheduler_; }
  OperatorEnvironment environment() const;
  const std::vector<std::unique_ptr<SocketServer>>& socket_servers() const { return sockets_; }
  const std::vector<std::unique_ptr<FileProducer>>& file_producers() const { return producers_; }
  const StreamingConfig& config() const { return config_; }

 private:
  struct PendingJob {
    const OutputOperation* output;
    RddPtr rdd;
  };
  struct JobSet {
    size_t batch_index;
    std::vector<PendingJob> jobs;
  };

  void CreateCluster();
  void StartDriver();
  void LaunchReceivers();
  void ScheduleNextBatch(sim::Instant t);
  void GenerateBatch(sim::Instant t);
  void RunNextJobSet();
  void RunJob(size_t job_index);
  void OnJobDone(size_t job_index, JobOutcome outcome);
  void CompleteBatch();
  void CleanupAfterBatch(sim::Instant t);
  void BeginStop();
  void CheckGracefulStop();
  void Finish(const std::string& reason);
  void Warn(const std::string& message);

  sim::World* world_;
  StreamingConfig config_;
  CostModel cost_;
  OutputListener* listener_;
  Cluster cluster_;
  ReceiverTracker tracker_;
  DagScheduler scheduler_;
  std::vector<std::unique_ptr<DStream>> streams_;
  std::vector<DStream*> input_streams_;
  std::vector<std::unique_ptr<SocketServer>> sockets_;
  std::vector<std::unique_ptr<FileProducer>> producers_;
  std::vector<std::unique_ptr<Receiver>> receivers_;
  std::vector<std::unique_ptr<OutputOperation>> outputs_;

  sim::Instant zero_time_;
  std::vector<BatchInfo> batches_;
  std::deque<JobSet> job_sets_;
  std::optional<JobSet> running_;
  bool stopping_ = false;
  bool finished_ = false;
  std::optional<sim::Instant> stop_deadline_;
  sim::Instant last_generated_;
  std::string stop_reason_;
  std::vector<std::string> warnings_;
};

}  // namespace streamsim::engine
