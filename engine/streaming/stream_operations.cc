// Compositions of the windowed and stateful operations out of the streams that implement them.
#include "engine/streaming/stream_operations.h"

#include "engine/core/operators.h"
#include "engine/streaming/state_dstream.h"
#include "engine/streaming/window_dstream.h"

namespace streamsim::engine {
namespace {

sim::Duration SlideOf(const WindowArguments& window, const DStream* parent) {
  return window.slide.us > 0 ? window.slide : parent->slide();
}

int PartitionsOf(const StreamingContext& context, int partitions) {
  return partitions > 0 ? partitions : context.environment().default_parallelism;
}

DStream* Apply(StreamingContext& context, const std::string& name, DStream* parent,
               OperatorKind kind, const char* function = nullptr, int partitions = 0) {
  Operator op(kind);
  if (function) op.func = FixedExpression(function);
  op.partitions = partitions;
  return context.Transform(name, {parent}, {op});
}

DStream* ApplyExpression(StreamingContext& context, const std::string& name, DStream* parent,
                         OperatorKind kind, const Expression& function, int partitions = 0) {
  Operator op(kind, function);
  op.partitions = partitions;
  return context.Transform(name, {parent}, {op});
}

}  // namespace

DStream* Window(StreamingContext& context, const std::string& name, DStream* parent,
                const WindowArguments& window) {
  return context.AddStream(
      std::make_unique<WindowedDStream>(name, parent, window.window, SlideOf(window, parent)));
}

DStream* ReduceByWindow(StreamingContext& context, const std::string& name, DStream* parent,
                        const Expression& reduce, const std::optional<Expression>& inverse,
                        const WindowArguments& window) {
  if (!inverse) {
    DStream* reduced =
        ApplyExpression(context, name + "/reduced", parent, OperatorKind::kReduce, reduce);
    DStream* windowed = Window(context, name + "/window", reduced, window);
    return ApplyExpression(context, name, windowed, OperatorKind::kReduce, reduce);
  }
  DStream* keyed = Apply(context, name + "/keyed", parent, OperatorKind::kMap, "(1, x)");
  WindowArguments one_partition = window;
  one_partition.partitions = 1;
  DStream* reduced = ReduceByKeyAndWindow(context, name + "/windowed", keyed, reduce, inverse,
                                          std::nullopt, one_partition);
  return Apply(context, name, reduced, OperatorKind::kMap, "x[1]");
}

DStream* ReduceByKeyAndWindow(StreamingContext& context, const std::string& name, DStream* parent,
                              const Expression& reduce, const std::optional<Expression>& inverse,
                              const std::optional<Expression>& filter,
                              const WindowArguments& window) {
  const int partitions = PartitionsOf(context, window.partitions);
  DStream* reduced = ApplyExpression(context, name + "/reduced", parent, OperatorKind::kReduceByKey,
                                     reduce, partitions);
  if (!inverse) {
    DStream* windowed = Window(context, name + "/window", reduced, window);
    DStream* result = ApplyExpression(context, filter ? name + "/unfiltered" : name, windowed,
                                      OperatorKind::kReduceByKey, reduce, partitions);
    if (!filter) return result;
    return context.Transform(name, {result}, {Operator(OperatorKind::kFilter, *filter)});
  }
  return context.AddStream(std::make_unique<ReducedWindowedDStream>(
      name, reduced, reduce, *inverse, filter, window.window, SlideOf(window, parent), partitions));
}

DStream* CountByWindow(StreamingContext& context, const std::string& name, DStream* parent,
                       const WindowArguments& window) {
  DStream* ones = Apply(context, name + "/ones", parent, OperatorKind::kMap, "1");
  return ReduceByWindow(context, name, ones, FixedExpression("a + b"), FixedExpression("a - b"),
                        window);
}

DStream* CountByValueAndWindow(StreamingContext& context, const std::string& name, DStream* parent,
                               const WindowArguments& window) {
  DStream* pairs = Apply(context, name + "/pairs", parent, OperatorKind::kMap, "(x, 1)");
  return ReduceByKeyAndWindow(context, name, pairs, FixedExpression("a + b"),
                              FixedExpression("a - b"), FixedExpression("v != 0"), window);
}

DStream* GroupByKeyAndWindow(StreamingContext& context, const std::string& name, DStream* parent,
                             const WindowArguments& window) {
  const int partitions = PartitionsOf(context, window.partitions);
  DStream* grouped =
      Apply(context, name + "/grouped", parent, OperatorKind::kGroupByKey, nullptr, partitions);
  DStream* windowed = Window(context, name + "/window", grouped, window);
  return Apply(context, name, windowed, OperatorKind::kReduceByKey, "a + b", partitions);
}

DStream* UpdateStateByKey(StreamingContext& context, const std::string& name, DStream* parent,
                          const Expression& update, int partitions, Values initial) {
  return context.AddStream(std::make_unique<StateDStream>(
      name, parent, update, PartitionsOf(context, partitions), std::move(initial)));
}

DStream* MapWithState(StreamingContext& context, const std::string& name, DStream* parent,
                      const Expression& function, std::optional<sim::Duration> timeout,
                      int partitions, Values initial) {
  DStream* state = context.AddStream(
      std::make_unique<MapWithStateDStream>(name + "/state", parent, function, timeout,
                                            PartitionsOf(context, partitions), std::move(initial)));
  return context.AddStream(std::make_unique<MapWithStateOutputDStream>(
      name, state, MapWithStateOutputDStream::Part::kEmitted));
}

DStream* StateSnapshots(StreamingContext& context, const std::string& name, DStream* mapped) {
  auto* output = dynamic_cast<MapWithStateOutputDStream*>(mapped);
  if (!output) return nullptr;
  return context.AddStream(std::make_unique<MapWithStateOutputDStream>(
      name, output->parents()[0], MapWithStateOutputDStream::Part::kSnapshots));
}

}  // namespace streamsim::engine
