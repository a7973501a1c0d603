// The windowed and stateful DStream operations, built the way Spark's DStream and
// PairDStreamFunctions build them out of simpler streams:
//   window(w, s)                         -> WindowedDStream
//   reduceByWindow(f, w, s)              -> reduce(f).window(w, s).reduce(f)
//   reduceByWindow(f, inv, w, s)         -> map((1, x)).reduceByKeyAndWindow(f, inv, w, s,
//   1).map(v) reduceByKeyAndWindow(f, w, s, p)     -> reduceByKey(f, p).window(w, s).reduceByKey(f,
//   p) reduceByKeyAndWindow(f, inv, ...)    -> ReducedWindowedDStream over reduceByKey(f, p)
//   countByWindow(w, s)                  -> map(1).reduceByWindow(a + b, a - b, w, s)
//   countByValueAndWindow(w, s, p)       -> map((x, 1)).reduceByKeyAndWindow(+, -, w, s, p, v != 0)
//   groupByKeyAndWindow(w, s, p)         -> groupByKey(p).window(w, s).reduceByKey(list concat, p)
//   updateStateByKey(f, p, initial)      -> StateDStream
//   mapWithState(f, timeout, p, initial) -> MapWithStateDStream, read by its emitted values
//   stateSnapshots                       -> the (key, state) pairs of the mapWithState before it
// A slide of zero means the parent's slide; partitions 0 mean the default parallelism. Internal
// streams are named after the result ("<name>/reduced", ...), so that names stay unique and stable
// across driver restarts (checkpoint data is keyed by stream name).
#pragma once

#include <optional>
#include <string>

#include "engine/core/records_and_ledger.h"
#include "engine/streaming/dstream.h"
#include "engine/streaming/streaming_context.h"
#include "records/expression.h"

namespace streamsim::engine {

struct WindowArguments {
  sim::Duration window;
  sim::Duration slide;  // zero: the parent's slide
  int partitions = 0;   // zero: the default parallelism
};

DStream* Window(StreamingContext& context, const std::string& name, DStream* parent,
                const WindowArguments& window);
DStream* ReduceByWindow(StreamingContext& context, const std::string& name, DStream* parent,
                        const Expression& reduce, const std::optional<Expression>& inverse,
                        const WindowArguments& window);
DStream* ReduceByKeyAndWindow(StreamingContext& context, const std::string& name, DStream* parent,
                              const Expression& reduce, const std::optional<Expression>& inverse,
                              const std::optional<Expression>& filter,
                              const WindowArguments& window);
DStream* CountByWindow(StreamingContext& context, const std::string& name, DStream* parent,
                       const WindowArguments& window);
DStream* CountByValueAndWindow(StreamingContext& context, const std::string& name, DStream* parent,
                               const WindowArguments& window);
DStream* GroupByKeyAndWindow(StreamingContext& context, const std::string& name, DStream* parent,
                             const WindowArguments& window);
DStream* UpdateStateByKey(StreamingContext& context, const std::string& name, DStream* parent,
                          const Expression& update, int partitions, Values initial);
DStream* MapWithState(StreamingContext& context, const std::string& name, DStream* parent,
                      const Expression& function, std::optional<sim::Duration> timeout,
                      int partitions, Values initial);
// REQUIRES: `mapped` was returned by MapWithState. Returns nullptr otherwise.
DStream* StateSnapshots(StreamingContext& context, const std::string& name, DStream* mapped);

}  // namespace streamsim::engine
