// Stateful streams: state carried from batch to batch by key.
//  - StateDStream, updateStateByKey(update): each batch cogroups the previous state with the new
//    values by key and calls the update for every key that has state or new values (`values` the
//    key's new values, possibly none; `state` the previous state or null; `k` the key). A null
//    result removes the key. Without a previous state (the first batch) only keys with new values
//    are updated, unless an initial state is given.
//  - MapWithStateDStream, mapWithState(func, timeout): once per new record, func sees `k`, `v`,
//    `state` (null when none) and `timing_out` (false) and returns (emitted, new_state); a null
//    new_state removes the key, a null emitted value emits nothing. Records are processed in
//    arrival order within each partition. With a timeout, on the batches
//    where the state is checkpointed (a full scan, as in Spark) every key idle for longer than the
//    timeout is called once more with v = null and timing_out = true, then removed. Its RDD holds,
//    per partition, one record: (state entries [(k, state, last update ms)], emitted values).
//    MapWithStateOutputDStream reads the emitted values or the (k, state) pairs from it.
// Both must be checkpointed: their lineage grows with every batch.
#pragma once

#include <optional>
#include <string>

#include "engine/core/records_and_ledger.h"
#include "engine/streaming/dstream.h"
#include "records/expression.h"

namespace streamsim::engine {

class StateDStream : public DStream {
 public:
  StateDStream(std::string name, DStream* parent, Expression update, int partitions,
               Values initial);
  bool must_checkpoint() const override { return true; }

 protected:
  RddPtr Compute(sim::Instant t) override;

 private:
  Expression update_;
  int partitions_;
  Values initial_;
};

class MapWithStateDStream : public DStream {
 public:
  MapWithStateDStream(std::string name, DStream* parent, Expression function,
                      std::optional<sim::Duration> timeout, int partitions, Values initial);
  bool must_checkpoint() const override { return true; }
  // mapWithState checkpoints every 10 batches by default (Spark's multiplier of 10).
  sim::Duration DefaultCheckpointInterval() const override { return slide() * 10; }

 protected:
  RddPtr Compute(sim::Instant t) override;

 private:
  RddPtr InitialStateRdd() const;

  Expression function_;
  std::optional<sim::Duration> timeout_;
  int partitions_;
  Values initial_;
};

// Reads the mapWithState records: either the emitted values or the (key, state) snapshots.
class MapWithStateOutputDStream : public DStream {
 public:
  enum class Part { kEmitted, kSnapshots };
  MapWithStateOutputDStream(std::string name, DStream* state, Part part);

 protected:
  RddPtr Compute(sim::Instant t) override;

 private:
  Part part_;
};

}  // namespace streamsim::engine
