// Output operations: what makes a DStream graph run. Each output generates one job per batch
// (when its stream has an RDD at that time): print(n) shows the first n elements under a
// "Time: <ms> ms" header, collect hands every record to the listener (the CLI writes JSON lines),
// saveAsTextFiles writes one directory per batch "prefix-<ms>.suffix" with a part file per
// partition, and foreachRDD into a file sink appends every record to a file in durable storage.
#pragma once

#include <cstdint>
#include <string>

#include "engine/dstream.h"
#include "engine/scheduler.h"

namespace streamsim::engine {

// Receives what output operations produce on the driver, and the run's warnings.
class OutputListener {
 public:
  virtual ~OutputListener() = default;
  virtual void OnPrint(const std::string& text) { (void)text; }
  virtual void OnCollect(const std::string& output, int64_t batch_time_ms, const Values& records) {
    (void)output, (void)batch_time_ms, (void)records;
  }
  virtual void OnWarning(const std::string& message) { (void)message; }
};

struct OutputOperation {
  enum class Kind { kPrint, kCollect, kSaveAsTextFiles, kFileSink };
  Kind kind = Kind::kPrint;
  DStream* stream = nullptr;
  std::string name;  // collect name, or a description for the trace
  int print_count = 10;
  std::string prefix;  // saveAsTextFiles
  std::string suffix;
  std::string sink_path;  // file sink
};

// What each partition's task does on the executor for this output.
ResultFunction MakeResultFunction(const OutputOperation& output, sim::Instant batch_time);
// What the driver does with the partition results once the job is done. Returns the number of
// records the output saw, for the trace.
int64_t FinishOutput(const OutputOperation& output, sim::Instant batch_time,
                     const std::vector<Values>& partition_results, sim::World* world,
                     sim::NodeId driver, OutputListener* listener);
// Spark's print() text for one batch.
std::string FormatPrint(sim::Instant batch_time, const Values& first_records, int count);

}  // namespace streamsim::engine
