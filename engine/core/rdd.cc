// RDD implementations: sources (driver data, blocks, files), narrow transformations, unions and
// the reduce side of shuffles.
#include "engine/core/rdd.h"

#include <xxhash.h>

#include <algorithm>

#include "base/assert.h"
#include "engine/core/records_and_ledger.h"
#include "records/value_codec.h"

namespace streamsim::engine {
namespace {

// RDD and shuffle ids only need to be unique within a process; they never reach the trace or any
// output, so a plain counter does not threaten determinism.
int next_rdd_id = 0;
int next_shuffle_id = 0;

}  // namespace

int NextShuffleId() { return ++next_shuffle_id; }

Rdd::Rdd(std::string name, int partitions, std::vector<RddPtr> narrow_parents,
         std::vector<ShuffleDependencyPtr> shuffle_parents)
    : id_(++next_rdd_id),
      name_(std::move(name)),
      partitions_(partitions),
      narrow_parents_(std::move(narrow_parents)),
      shuffle_parents_(std::move(shuffle_parents)) {
  STREAMSIM_ASSERT(partitions_ >= 0);
}

std::optional<int> Rdd::PreferredExecutor(int partition) const {
  if (narrow_parents_.size() == 1 && narrow_parents_[0]->num_partitions() == num_partitions()) {
    return narrow_parents_[0]->PreferredExecutor(partition);
  }
  return std::nullopt;
}

std::string Rdd::CacheBlockId(int partition) const {
  return "rdd_" + std::to_string(id_) + "_" + std::to_string(partition);
}

void Rdd::MarkCheckpointed(std::vector<std::string> partition_files) const {
  STREAMSIM_ASSERT(static_cast<int>(partition_files.size()) == partitions_);
  checkpoint_files_ = std::move(partition_files);
  narrow_parents_.clear();
  shuffle_parents_.clear();
}

TaskResult<Values> ReadCheckpointPartition(const std::string& path, TaskContext& context) {
  TaskResult<std::string> read = context.ReadFile(path);
  if (!read.ok()) return read.error();
  const std::string& text = read.value();
  Values records;
  if (!DecodeValueLines(text, &records))
    return TaskError::Storage("corrupt checkpoint file " + path);
  context.AddWork(context.cost().storage_per_kilobyte *
                  (static_cast<int64_t>(text.size()) / 1024 + 1));
  return records;
}

CheckpointRdd::CheckpointRdd(std::string name, std::vector<std::string> partition_files)
    : Rdd(std::move(name), static_cast<int>(partition_files.size()), {}) {
  MarkCheckpointed(std::move(partition_files));
}

TaskResult<Values> CheckpointRdd::Compute(int partition, TaskContext& context) const {
  return ReadCheckpointPartition(checkpoint_files().at(partition), context);
}

TaskResult<Values> Rdd::Iterator(int partition, TaskContext& context) const {
  if (!persisted_) {
    if (checkpointed()) return ReadCheckpointPartition(checkpoint_files_.at(partition), context);
    return Compute(partition, context);
  }
  const std::string block_id = CacheBlockId(partition);
  if (BlockPtr cached = context.FindCachedBlock(block_id)) return cached->records;
  TaskResult<Values> computed =
      checkpointed() ? ReadCheckpointPartition(checkpoint_files_.at(partition), context)
                     : Compute(partition, context);
  if (!computed.ok()) return computed;
  auto block = std::make_shared<Block>();
  block->id = block_id;
  block->records = std::move(computed.value());
  block->bytes = EstimateBytes(block->records);
  context.AddWork(context.cost().Serialization(block->bytes));  // MEMORY_ONLY_SER
  context.CacheBlock(block);
  return block->records;
}

int Rdd::LineageDepth() const {
  int depth = 0;
  for (const RddPtr& parent : narrow_parents_) depth = std::max(depth, parent->LineageDepth());
  for (const auto& shuffle : shuffle_parents_) {
    depth = std::max(depth, shuffle->parent->LineageDepth());
  }
  return depth + 1;
}

ParallelRdd::ParallelRdd(std::string name, std::vector<Values> slices)
    : Rdd(std::move(name), static_cast<int>(slices.size()), {}), slices_(std::move(slices)) {}

TaskResult<Values> ParallelRdd::Compute(int partition, TaskContext&) const {
  return slices_.at(partition);
}

std::vector<Values> ParallelRdd::Slice(const Values& records, int n) {
  STREAMSIM_ASSERT(n >= 1);
  std::vector<Values> slices(n);
  const size_t total = records.size();
  for (int i = 0; i < n; ++i) {
    // Spark's ParallelCollectionRDD.slice: [i * total / n, (i + 1) * total / n).
    const size_t begin = i * total / n;
    const size_t end = (i + 1) * total / n;
    slices[i].assign(records.begin() + begin, records.begin() + end);
  }
  return slices;
}

BlockRdd::BlockRdd(std::string name, std::vector<BlockInfo> blocks)
    : Rdd(std::move(name), static_cast<int>(blocks.size()), {}), blocks_(std::move(blocks)) {}

uint64_t BlockRdd::WalRecordHash(std::string_view record) {
  return XXH3_64bits(record.data(), record.size());
}

TaskResult<Values> BlockRdd::Compute(int partition, TaskContext& context) const {
  const BlockInfo& info = blocks_.at(partition);
  if (info.wal_path.empty()) {
    TaskResult<BlockPtr> block = context.FetchBlock(info.id);
    if (!block.ok()) return block.error();
    return block.value()->records;
  }
  if (BlockPtr block = context.FindCachedBlock(info.id)) return block->records;
  // Not in memory any more: read it back from the write-ahead log.
  TaskResult<std::string> read = context.ReadFile(info.wal_path);
  if (!read.ok()) return read.error();
  const std::string& file = read.value();
  const size_t end = static_cast<size_t>(info.wal_offset + info.wal_length);
  Values records;
  const bool whole = end < file.size() && file[end] == '\n';
  const std::string record = whole ? file.substr(static_cast<size_t>(info.wal_offset),
                                                 static_cast<size_t>(info.wal_length))
                                   : "";
  // Read: a whole record is the one the receiver wrote there (WalRecordHash in receiver.cc).
  STREAMSIM_ASSERT(!whole || info.wal_hash == 0 || WalRecordHash(record) == info.wal_hash,
                   "the write-ahead log record of " + info.id + " differs from what was written");
  nlohmann::json json = whole ? nlohmann::json::parse(record, nullptr, false) : nlohmann::json();
  Value decoded;
  if (json.is_discarded() || !json.contains("records") || !DecodeValue(json["records"], &decoded)) {
    return TaskError::Storage("Could not read block " + info.id + " from the write-ahead log");
  }
  context.AddWork(context.cost().storage_per_kilobyte * (info.wal_length / 1024 + 1));
  return decoded.Items();
}

std::optional<int> BlockRdd::PreferredExecutor(int partition) const {
  const auto& executors = blocks_.at(partition).executors;
  if (executors.empty()) return std::nullopt;
  return executors.front();
}

FileRdd::FileRdd(std::string name, std::vector<std::string> paths)
    : Rdd(std::move(name), static_cast<int>(paths.size()), {}), paths_(std::move(paths)) {}

TaskResult<Values> FileRdd::Compute(int partition, TaskContext& context) const {
  TaskResult<std::string> read = context.ReadFile(paths_.at(partition));
  if (!read.ok()) return read.error();
  const std::string& contents = read.value();
  Values lines;
  size_t start = 0;
  while (start < contents.size()) {
    size_t end = contents.find('\n', start);
    if (end == std::string::npos) end = contents.size();
    lines.push_back(Value::String(contents.substr(start, end - start)));
    start = end + 1;
  }
  context.AddWork(context.cost().storage_per_kilobyte *
                  (static_cast<int64_t>(contents.size()) / 1024 + 1));
  return lines;
}

MapPartitionsRdd::MapPartitionsRdd(std::string name, RddPtr parent, Function function)
    : Rdd(std::move(name), parent->num_partitions(), {parent}), function_(std::move(function)) {}

TaskResult<Values> MapPartitionsRdd::Compute(int partition, TaskContext& context) const {
  TaskResult<Values> input = narrow_parents()[0]->Iterator(partition, context);
  if (!input.ok()) return input;
  return function_(std::move(input.value()), context);
}

ZipPartitionsRdd::ZipPartitionsRdd(std::string name, RddPtr left, RddPtr right, Function function)
    : Rdd(std::move(name), left->num_partitions(), {left, right}), function_(std::move(function)) {
  STREAMSIM_ASSERT(left->num_partitions() == right->num_partitions());
}

TaskResult<Values> ZipPartitionsRdd::Compute(int partition, TaskContext& context) const {
  TaskResult<Values> left = narrow_parents()[0]->Iterator(partition, context);
  if (!left.ok()) return left;
  TaskResult<Values> right = narrow_parents()[1]->Iterator(partition, context);
  if (!right.ok()) return right;
  return function_(std::move(left.value()), std::move(right.value()), context);
}

namespace {

int TotalPartitions(const std::vector<RddPtr>& rdds) {
  int total = 0;
  for (const RddPtr& rdd : rdds) total += rdd->num_partitions();
  return total;
}

}  // namespace

UnionRdd::UnionRdd(std::string name, std::vector<RddPtr> parents)
    : Rdd(std::move(name), TotalPartitions(parents), parents) {
  for (size_t p = 0; p < parents.size(); ++p) {
    for (int i = 0; i < parents[p]->num_partitions(); ++i) {
      sources_.emplace_back(static_cast<int>(p), i);
    }
  }
}

TaskResult<Values> UnionRdd::Compute(int partition, TaskContext& context) const {
  const auto [parent, index] = sources_.at(partition);
  return narrow_parents()[parent]->Iterator(index, context);
}

std::optional<int> UnionRdd::PreferredExecutor(int partition) const {
  const auto [parent, index] = sources_.at(partition);
  return narrow_parents()[parent]->PreferredExecutor(index);
}

ShuffledRdd::ShuffledRdd(std::string name, int partitions,
                         std::vector<ShuffleDependencyPtr> shuffles, Reducer reducer)
    : Rdd(std::move(name), partitions, {}, std::move(shuffles)), reducer_(std::move(reducer)) {}

TaskResult<Values> ShuffledRdd::Compute(int partition, TaskContext& context) const {
  std::vector<Values> inputs;
  for (const ShuffleDependencyPtr& shuffle : shuffle_parents()) {
    Values gathered;
    for (int m = 0; m < shuffle->parent->num_partitions(); ++m) {
      TaskResult<const Values*> bucket =
          context.FetchShuffleBucket(shuffle->shuffle_id, m, partition);
      if (!bucket.ok()) return bucket.error();
      gathered.insert(gathered.end(), bucket.value()->begin(), bucket.value()->end());
    }
    context.AddWork(context.cost().Serialization(EstimateBytes(gathered)));
    inputs.push_back(std::move(gathered));
  }
  return reducer_(std::move(inputs), context);
}

TaskResult<std::vector<Values>> ComputeShuffleMapOutput(const ShuffleDependency& dependency,
                                                        int map_partition, TaskContext& context) {
  TaskResult<Values> computed = dependency.parent->Iterator(map_partition, context);
  if (!computed.ok()) return computed.error();
  Values& records = computed.value();
  std::vector<Values> buckets(dependency.reduce_partitions);
  for (size_t i = 0; i < records.size(); ++i) {
    const int target = dependency.partition_of(records[i], map_partition, static_cast<int>(i));
    buckets.at(target).push_back(std::move(records[i]));
  }
  if (dependency.map_side_combine) {
    for (Values& bucket : buckets) bucket = dependency.map_side_combine(std::move(bucket), context);
  }
  int64_t bytes = 0;
  for (const Values& bucket : buckets) bytes += EstimateBytes(bucket);
  context.AddWork(context.cost().Serialization(bytes));
  return buckets;
}

}  // namespace streamsim::engine
