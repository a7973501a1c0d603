// RDDs: a batch's data as partitions with lineage. Every RDD knows its parents (narrow or shuffle
// dependencies) and how to compute any one of its partitions from them, so a lost partition can be
// recomputed. Computation is real; the time it takes is charged to the TaskContext through the
// cost model. Narrow operators keep partition order; shuffles hash-partition by key and sort keys
// within a partition by Value's total order, so results are deterministic.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/cluster.h"
#include "engine/core/cost_model.h"
#include "engine/core/records_and_ledger.h"
#include "engine/core/task_result.h"
#include "records/value.h"
#include "simulator/storage.h"
#include "simulator/time.h"

namespace streamsim::engine {

class Rdd;
using RddPtr = std::shared_ptr<const Rdd>;

// What a running task can reach: blocks, shuffle outputs, durable files; and the meter that adds
// up the simulated time of the work it does.
class TaskContext {
 public:
  virtual ~TaskContext() = default;
  // The block, read locally or fetched from another live executor; kMissingBlock when no live
  // executor holds it.
  virtual TaskResult<BlockPtr> FetchBlock(const std::string& block_id) = 0;
  // Bucket `reduce_partition` of the output of map task `map_partition` of shuffle `shuffle_id`
  // (owned by the scheduler, valid while the task runs); kFetchFailed when that output is lost.
  virtual TaskResult<const Values*> FetchShuffleBucket(int shuffle_id, int map_partition,
                                                       int reduce_partition) = 0;
  // Reads a whole file from durable storage; kStorage when unreadable.
  virtual TaskResult<std::string> ReadFile(const std::string& path) = 0;
  // A cached block (a persisted RDD partition), local or on another live executor; nullptr when no
  // live executor has it. Caches `block` in this executor's block manager.
  virtual BlockPtr FindCachedBlock(const std::string& block_id) = 0;
  virtual void CacheBlock(BlockPtr block) = 0;
  virtual const CostModel& cost() const = 0;
  // The durable store and the node the task runs on, for output operations that write files.
  virtual sim::Storage& storage() = 0;
  virtual sim::NodeId node() const = 0;
  // How many times this task was launched before this launch (Spark's TaskContext.attemptNumber):
  // 0 the first time; every relaunch counts, after a failure or after its executor was lost. As in
  // Spark, a stage submitted again (after a fetch failure) starts its tasks from 0 again.
  virtual int attempt_number() const = 0;

  void AddWork(sim::Duration duration) { work_ += duration; }
  void AddRecordWork(sim::Duration per_record, size_t records) {
    work_ += per_record * static_cast<int64_t>(records);
  }
  // One durable write of `bytes`: the cost model's figure plus the store's own delay (a slow
  // store).
  void AddStorageWriteWork(int64_t bytes) {
    work_ += cost().StorageWrite(bytes) + storage().WriteDelay(bytes);
  }
  sim::Duration work() const { return work_; }

 private:
  sim::Duration work_;
};

// Assigns a record to a reduce partition.
using PartitionFunction = std::function<int(const Value& record, int map_partition, int index)>;
// Map-side combine of one bucket before it is written (reduceByKey), or nullptr.
using CombineFunction = std::function<Values(Values bucket, TaskContext& context)>;

struct ShuffleDependency {
  int shuffle_id = 0;
  RddPtr parent;
  int reduce_partitions = 1;
  PartitionFunction partition_of;
  CombineFunction map_side_combine;
};
using ShuffleDependencyPtr = std::shared_ptr<const ShuffleDependency>;

class Rdd {
 public:
  Rdd(std::string name, int partitions, std::vector<RddPtr> narrow_parents,
      std::vector<ShuffleDependencyPtr> shuffle_parents = {});
  virtual ~Rdd() = default;

  int id() const { return id_; }
  const std::string& name() const { return name_; }
  int num_partitions() const { return partitions_; }
  const std::vector<RddPtr>& narrow_parents() const { return narrow_parents_; }
  const std::vector<ShuffleDependencyPtr>& shuffle_parents() const { return shuffle_parents_; }

  // Computes one partition from the parents, or says why it cannot. A user function failing
  // inside an expression throws EvalError, which the scheduler turns into a kUser failure.
  virtual TaskResult<Values> Compute(int partition, TaskContext& context) const = 0;
  // The partition's records: from the cache when the RDD is persisted and a live executor holds
  // the partition, else computed (and cached when persisted). Parents are always read this way.
  TaskResult<Values> Iterator(int partition, TaskContext& context) const;
  // Marks the RDD to be kept in executors' memory once computed (rdd.persist()). Persisting is a
  // flag on an existing RDD in Spark too, hence const.
  void Persist() const { persisted_ = true; }
  bool persisted() const { return persisted_; }
  // The name of the block holding a persisted partition: "rdd_<id>_<partition>".
  std::string CacheBlockId(int partition) const;
  // After a data checkpoint: partitions are read from these files from now on and the lineage is
  // cut (parents forgotten), for every RDD that refers to this one — as rdd.checkpoint() does.
  // REQUIRES: one file per partition.
  void MarkCheckpointed(std::vector<std::string> partition_files) const;
  bool checkpointed() const { return !checkpoint_files_.empty(); }
  const std::vector<std::string>& checkpoint_files() const { return checkpoint_files_; }
  // The executor that holds this partition's input, when there is one (locality preference).
  virtual std::optional<int> PreferredExecutor(int partition) const;
  // Length of the longest chain of dependencies down to a source (lineage depth).
  int LineageDepth() const;

 private:
  int id_;
  std::string name_;
  int partitions_;
  mutable std::vector<RddPtr> narrow_parents_;
  mutable std::vector<ShuffleDependencyPtr> shuffle_parents_;
  mutable bool persisted_ = false;
  mutable std::vector<std::string> checkpoint_files_;
};

// An RDD read back from a data checkpoint: one file of encoded values per partition.
class CheckpointRdd : public Rdd {
 public:
  CheckpointRdd(std::string name, std::vector<std::string> partition_files);
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;
};

// Reads one checkpoint partition file; kStorage when missing or corrupt.
TaskResult<Values> ReadCheckpointPartition(const std::string& path, TaskContext& context);

// Records held by the driver, sliced into partitions (queueStream, parallelize).
class ParallelRdd : public Rdd {
 public:
  ParallelRdd(std::string name, std::vector<Values> slices);
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;
  // Splits records into n contiguous slices in order, as sc.parallelize does.
  static std::vector<Values> Slice(const Values& records, int n);

 private:
  std::vector<Values> slices_;
};

// One partition per received block.
class BlockRdd : public Rdd {
 public:
  struct BlockInfo {
    std::string id;
    int64_t records = 0;
    std::vector<int> executors;  // where the block (and its replicas) were stored
    // With the receiver write-ahead log: where the block's record is, to read it back when no
    // executor holds it any more (WriteAheadLogBackedBlockRDD). Empty path: no log.
    std::string wal_path = "";
    int64_t wal_offset = 0;
    int64_t wal_length = 0;
    // The record's hash as the receiver wrote it (0: unknown, e.g. a block recovered from a
    // checkpoint): what it reads back must hash the same.
    uint64_t wal_hash = 0;
  };
  BlockRdd(std::string name, std::vector<BlockInfo> blocks);
  // The hash a block's write-ahead log record is written with (BlockInfo::wal_hash) and checked
  // against when read back (XXH3, 64 bits).
  static uint64_t WalRecordHash(std::string_view record);
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;
  std::optional<int> PreferredExecutor(int partition) const override;
  const std::vector<BlockInfo>& blocks() const { return blocks_; }

 private:
  std::vector<BlockInfo> blocks_;
};

// One partition per file in durable storage; each line is a record (a string).
class FileRdd : public Rdd {
 public:
  FileRdd(std::string name, std::vector<std::string> paths);
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;

 private:
  std::vector<std::string> paths_;
};

// A narrow, partition-wise transformation (map, filter, flatMap, mapValues, mapPartitions...).
class MapPartitionsRdd : public Rdd {
 public:
  using Function = std::function<Values(Values input, TaskContext& context)>;
  MapPartitionsRdd(std::string name, RddPtr parent, Function function);
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;

 private:
  Function function_;
};

// Partition p of two RDDs with the same partitioning, combined (zipPartitions).
class ZipPartitionsRdd : public Rdd {
 public:
  using Function = std::function<Values(Values left, Values right, TaskContext& context)>;
  ZipPartitionsRdd(std::string name, RddPtr left, RddPtr right, Function function);
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;

 private:
  Function function_;
};

// The partitions of every parent, one after the other.
class UnionRdd : public Rdd {
 public:
  UnionRdd(std::string name, std::vector<RddPtr> parents);
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;
  std::optional<int> PreferredExecutor(int partition) const override;

 private:
  // (parent index, partition in that parent) for each of our partitions.
  std::vector<std::pair<int, int>> sources_;
};

// The reduce side of one or more shuffles: partition p gathers bucket p of every map output of
// every shuffle parent and passes them, one Values per parent in parent order, to the reducer.
class ShuffledRdd : public Rdd {
 public:
  using Reducer = std::function<Values(std::vector<Values> inputs, TaskContext& context)>;
  ShuffledRdd(std::string name, int partitions, std::vector<ShuffleDependencyPtr> shuffles,
              Reducer reducer);
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;

 private:
  Reducer reducer_;
};

// Computes one map-side partition of a shuffle: the parent partition split into buckets (and
// combined when the dependency says so). Used by the scheduler's shuffle-map tasks.
TaskResult<std::vector<Values>> ComputeShuffleMapOutput(const ShuffleDependency& dependency,
                                                        int map_partition, TaskContext& context);

// A fresh id for a shuffle (ids only need to be unique within a run).
int NextShuffleId();

}  // namespace streamsim::engine
