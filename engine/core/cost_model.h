// The cost model: how much simulated time each piece of work takes. Operators compute real results
// on real records; only the time they take is modelled, here, in one swappable place. Defaults are
// rough figures for a JVM executor on commodity hardware (documented in docs/cost-model.md) and
// every one can be overridden by name in a scenario's `cost:` section.
#pragma once

#include <map>
#include <string>

#include "base/status.h"
#include "simulator/time.h"

namespace streamsim::engine {

struct CostModel {
  // Driver: generating a batch's jobs and submitting one job (DAG scheduling).
  sim::Duration job_generation = sim::Duration::Micros(500);
  sim::Duration job_scheduling = sim::Duration::Millis(2);
  // Executor: launching one task (deserialising the closure, starting the thread).
  sim::Duration task_launch = sim::Duration::Millis(1);
  // Per record, per operator that touches it.
  sim::Duration record_map = sim::Duration::Micros(1);        // map, filter, flatMap, ...
  sim::Duration record_aggregate = sim::Duration::Micros(2);  // combining by key
  sim::Duration record_output = sim::Duration::Micros(2);     // writing one record out
  // Serialisation: time per kilobyte, scaled by the serializer factor (java 1.0, kryo 0.3).
  sim::Duration serialize_per_kilobyte = sim::Duration::Micros(10);
  double serializer_factor = 1.0;
  // Storage: one durable write (a file create + sync) and per kilobyte written or read.
  sim::Duration storage_write = sim::Duration::Millis(5);
  sim::Duration storage_per_kilobyte = sim::Duration::Micros(20);

  // Applies an override by name ("task_launch", ...). Fails on an unknown name.
  Status SetDuration(const std::string& name, sim::Duration value);
  Status SetFactor(const std::string& name, double value);
  // Serialisation time for `bytes`.
  sim::Duration Serialization(int64_t bytes) const;
  // Time to write a whole durable file of `bytes` (one create + sync, plus per kilobyte).
  sim::Duration StorageWrite(int64_t bytes) const {
    return storage_write + storage_per_kilobyte * (bytes / 1024);
  }
  // The names SetDuration accepts, for messages and documentation.
  static std::map<std::string, sim::Duration CostModel::*> DurationFields();
};

}  // namespace streamsim::engine
