// The pipeline as the checker sees it: the scenario's streams and their operators as plain data,
// without positions. The scenarios module fills it from a loaded scenario
// (harness/oracle_pipeline.h); the oracle (oracle.h) interprets it. It shares the value and
// expression types with the engine, never the engine's operators.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "records/expression.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::checker {

// One operator of a stream's `ops:` list, named as Spark names it ("map", "reduceByKey",
// "updateStateByKey", "transformWith", ...). Fields an operator does not take stay empty.
struct OperatorModel {
  std::string name;
  std::optional<records::Expression> func;     // the element / reduce / update function
  std::optional<records::Expression> inverse;  // reduceByKeyAndWindow / reduceByWindow
  std::optional<records::Expression> filter;   // reduceByKeyAndWindow: keys kept
  std::optional<int> partitions;               // shuffles and repartition (no effect on contents)
  std::string other;                           // union / join / cogroup / transformWith
  std::vector<OperatorModel> ops;              // transform / transformWith: applied to each batch
  std::optional<sim::Duration> window;
  std::optional<sim::Duration> slide;    // absent: the parent's slide
  std::optional<sim::Duration> timeout;  // mapWithState
  std::vector<records::Value> initial;   // updateStateByKey / mapWithState initial pairs
};

// A named stream: `from` is a source or an earlier stream; `ops` apply in order.
struct StreamModel {
  std::string name;
  std::string from;
  std::vector<OperatorModel> ops;
};

struct PipelineModel {
  sim::Duration batch_interval = sim::Duration::Seconds(1);
  // streaming.checkpoint.interval; absent: each stateful stream's default. The oracle needs it
  // because mapWithState scans for timed-out keys only at its data-checkpoint times.
  std::optional<sim::Duration> checkpoint_interval;
  std::vector<std::string> sources;  // the source names, in file order
  std::vector<StreamModel> streams;  // in file order; a stream only refers to earlier ones
};

}  // namespace streamsim::checker
