// What one run of a scenario produced, as data: everything `streamsim run` prints (text or JSON)
// and what the explorer, the run store and the reports will read, without a live simulation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/faultless_comparison.h"
#include "engine/streaming/streaming_context.h"
#include "faults/fault.h"
#include "harness/run_check.h"

namespace streamsim::harness {

// One row of the receivers' table (Spark's Streaming tab: name, status, executor, last error).
struct ReceiverRow {
  std::string name;
  std::string state;
  std::string executor;  // "-" when not running
  int64_t records = 0;
  int64_t blocks = 0;
  std::string last_error;  // empty when none
};

// Records a source's outside system dropped before the receiver could take them (a full Flume
// channel, a custom device's full outbox); the checker counts them lost.
struct SourceDrops {
  std::string source;
  int64_t records = 0;
  std::string reason;  // "its Flume channel (capacity 1) was full"
};

struct RunResult {
  std::string scenario_name;
  std::string scenario_file;
  uint64_t seed = 0;
  std::string fingerprint;  // 16 hex digits: the hash of the run's trace
  // Batches of every driver life, oldest first (at most spark.streaming.ui.retainedBatches).
  std::vector<engine::BatchInfo> batches;
  // The older batches left out of `batches`, added up (zero batches when none was left out).
  engine::BatchTotals batches_left_out;
  std::vector<ReceiverRow> receivers;           // by stream id
  std::vector<SourceDrops> dropped_by_sources;  // sources that dropped anything, in source order
  // The faults as the scenario names them: its list, or its random schedule expanded.
  std::vector<faults::Fault> faults;
  std::vector<std::string> warnings;
  std::string stop_reason;
  RunCheck check;  // the verdict and findings (none when not checked), prediction, expectation
  // With --compare-faultless: where the faults-off twin's sinks differ.
  std::optional<std::vector<checker::SinkDifference>> faultless_differences;
  // The sink database file when it outlives the run (--output-dir), else empty.
  std::string kept_sink_database;
};

}  // namespace streamsim::harness
