// The oracle: the checker's own reference interpreter of a scenario's pipeline. Given the records
// each source gave each batch, it computes what every stream should hold at every batch time, the
// way the engine's operators define it, but with none of the engine's machinery: no partitions,
// shuffles or lineage; a batch is a vector of records and keys are ordered by Value's total order.
//
// Time. The engine counts batches from its zero time, the instant the driver started (a driver
// recovered from a checkpoint keeps the checkpointed zero time). Batch k (k >= 1) is at
// zero + k * batch_interval. A stream of slide s has an RDD at every t > zero with (t - zero) a
// multiple of s; a window of length w at t covers its parent's RDDs in (t - w, t]. Windows and
// slides are therefore aligned to the zero time, not to absolute time. mapWithState's timeout scan
// runs on its data-checkpoint times: (t - zero) a multiple of the checkpoint interval (the
// pipeline's, or 10 slides by default).
//
// Failures. When a user expression throws records::EvalError, the batch's job fails in the engine;
// here the stream's batch is marked failed (with the error's message) and every stream computed
// from it fails at that time too. A window fails while it covers a failed batch. State (
// updateStateByKey, mapWithState, reduceByKeyAndWindow with an inverse, and what is built on
// them) never recovers: every later RDD is computed from the failed one, so it fails as well.
//
// Where the engine's partitioning shows in results, the oracle takes a batch as one partition in
// arrival order: mapPartitions sees the whole batch once; group and cogroup lists, the `values` of
// updateStateByKey and the fold order of reduce follow arrival order. Results agree with the
// engine whenever the user's functions do not depend on how a batch is split (element-wise
// mapPartitions, commutative and associative reductions).
//
// Memory. Oracle computes one batch time per Step and keeps only what later times read back, for
// long runs; RunOracle steps one through a whole input and keeps every batch, for short ones.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/pipeline.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::checker {

namespace oracle {
class Dataflow;
class Node;
class SourceNode;
}  // namespace oracle

// The records each source gave one batch, in order, by source name. A missing source gave none.
using BatchInput = std::map<std::string, records::Values>;

// One stream's RDD at one batch time.
struct OracleBatch {
  records::Values records;             // in a deterministic order; empty when the batch failed
  std::optional<std::string> failure;  // the EvalError message when the batch's job fails

  bool failed() const { return failure.has_value(); }
};

// A stream's RDDs by batch time: only the times at which the stream has an RDD.
using OracleSeries = std::map<sim::Instant, OracleBatch>;

// The oracle run one batch time at a time. It keeps of each stream only the batches a later time
// can still read (a window's length, an incremental window's length plus its slide) and the state
// of the state operators, so its memory does not grow with the run's length. Each step's batches
// are those RunOracle gives at that time, bit for bit.
class Oracle {
 public:
  // Builds the pipeline's dataflow. REQUIRES: `pipeline` valid (as RunOracle); a violation aborts
  // here, with a message.
  Oracle(const PipelineModel& pipeline, sim::Instant zero_time);
  ~Oracle();
  Oracle(const Oracle&) = delete;
  Oracle& operator=(const Oracle&) = delete;

  // Computes every stream at `t` from what each source gave then (`input`; a missing source gave
  // none). REQUIRES: `t` is the next batch time: zero_time + k * batch_interval for k = 1, 2, ...
  // in turn (aborts otherwise).
  void Step(sim::Instant t, BatchInput input);
  // The batch of the source or stream `stream` at the latest step's time; nullptr when it has no
  // RDD then, there is no such stream, or no step yet. Valid until the next Step.
  const OracleBatch* Find(const std::string& stream) const;
  // Whether the pipeline has a source or stream called `name`.
  bool HasStream(const std::string& name) const;
  // The latest step's time; the zero time before the first step.
  sim::Instant latest_time() const { return latest_time_; }
  sim::Instant zero_time() const { return zero_time_; }

  // The batches each dataflow node holds now, in the order the nodes step.
  std::vector<size_t> TEST_RetainedBatches() const;

 private:
  sim::Duration batch_interval_;
  sim::Instant zero_time_;
  sim::Instant latest_time_;
  std::unique_ptr<oracle::Dataflow> dataflow_;
  std::map<std::string, oracle::SourceNode*> sources_;
  std::map<std::string, const oracle::Node*> streams_;  // sources and streams, by name
};

struct OracleResult {
  sim::Instant zero_time;
  // Every source and every stream of the pipeline, by name.
  std::map<std::string, OracleSeries> streams;

  // The batch of `stream` at `t`; nullptr when there is no such stream or no RDD at `t`.
  const OracleBatch* Find(const std::string& stream, sim::Instant t) const;
};

// Runs the pipeline over `inputs`, which holds every batch time of the run, in order:
// zero_time + k * batch_interval for k = 1, 2, ... n. Returns each stream's RDDs at its batch
// times up to the last input time: an Oracle stepped through `inputs`, every batch kept.
// REQUIRES: `pipeline` is valid (names resolve, no cycles, window and slide multiples of the
// parent's slide, stateSnapshots right after mapWithState) and `inputs` keys are as above; a
// violation is a programmer error and aborts with a message.
OracleResult RunOracle(const PipelineModel& pipeline,
                       const std::map<sim::Instant, BatchInput>& inputs, sim::Instant zero_time);
// The same, with the zero time one batch interval before the first input (the engine's zero time
// when `inputs` starts at the run's first batch). Empty `inputs` give streams without batches.
OracleResult RunOracle(const PipelineModel& pipeline,
                       const std::map<sim::Instant, BatchInput>& inputs);

}  // namespace streamsim::checker
