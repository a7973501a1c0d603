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
#pragma once

#include <map>
#include <optional>
#include <string>

#include "checker/pipeline.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::checker {

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

struct OracleResult {
  sim::Instant zero_time;
  // Every source and every stream of the pipeline, by name.
  std::map<std::string, OracleSeries> streams;

  // The batch of `stream` at `t`; nullptr when there is no such stream or no RDD at `t`.
  const OracleBatch* Find(const std::string& stream, sim::Instant t) const;
};

// Runs the pipeline over `inputs`, which holds every batch time of the run, in order:
// zero_time + k * batch_interval for k = 1, 2, ... n. Returns each stream's RDDs at its batch
// times up to the last input time.
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
