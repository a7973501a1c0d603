// Window operators, built the way the engine (and Spark) compose them, so that results and
// failures land on the same batches:
//   window                          the union of the covered batches, oldest first
//   reduceByWindow(f)               reduce(f) per batch, window, reduce(f)
//   reduceByWindow(f, inv)          map((1, x)), reduceByKeyAndWindow(f, inv), map(x[1])
//   reduceByKeyAndWindow(f)         reduceByKey(f) per batch, window, reduceByKey(f), filter
//   reduceByKeyAndWindow(f, inv)    incremental: the previous window, inv of what left, f of what
//                                   entered; a key whose value went back to zero stays unless the
//                                   filter drops it
//   countByWindow                   map(1), reduceByWindow(a + b, a - b)
//   countByValueAndWindow           map((x, 1)), reduceByKeyAndWindow(a + b, a - b, v != 0)
//   groupByKeyAndWindow             groupByKey per batch, window, reduceByKey(list concatenation)
// The incremental form carries its previous window from slide to slide, so once a window fails
// every later one fails too. A filter sees the pair as x and its parts as k and v.
#include "checker/oracle_window.h"

#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "checker/oracle_batch.h"

namespace streamsim::checker::oracle {
namespace {

using records::Expression;
using records::Value;
using records::Values;

struct WindowShape {
  sim::Duration window;
  sim::Duration slide;
};

WindowShape ShapeOf(const OperatorModel& op, const Series& parent) {
  if (!op.window) Die("'" + op.name + "' has no window length");
  const WindowShape shape{*op.window, op.slide.value_or(parent.slide)};
  if (shape.window.us <= 0 || shape.slide.us <= 0 ||
      shape.window % parent.slide != sim::Duration{} ||
      shape.slide % parent.slide != sim::Duration{}) {
    Die("'" + op.name + "': window and slide must be positive multiples of the parent's slide");
  }
  return shape;
}

OperatorModel WithFunction(const char* name, const Expression& function) {
  OperatorModel op;
  op.name = name;
  op.func = function;
  return op;
}

Series Window(const Series& parent, const WindowShape& shape, const Timeline& timeline) {
  Series output{shape.slide, {}, nullptr};
  for (const sim::Instant t : timeline.TimesOf(shape.slide)) {
    const std::vector<const OracleBatch*> covered = BatchesIn(parent, t - shape.window, t);
    if (std::optional<std::string> failure = FirstFailure(covered)) {
      output.batches[t] = FailedBatch(*failure);
      continue;
    }
    OracleBatch& batch = output.batches[t];
    for (const OracleBatch* part : covered) {
      batch.records.insert(batch.records.end(), part->records.begin(), part->records.end());
    }
  }
  return output;
}

Value Fold(const Expression& reduce, const Values& values) {
  Value accumulator = values.front();
  for (size_t i = 1; i < values.size(); ++i) {
    accumulator = CallReduce(reduce, accumulator, values[i]);
  }
  return accumulator;
}

bool KeepPair(const Expression& filter, const Value& key, const Value& value) {
  const Value pair = Value::Pair(key, value);
  records::Bindings bindings;
  bindings.x = &pair;
  bindings.k = &key;
  bindings.v = &value;
  return BoolResult(filter.Evaluate(bindings), "filter");
}

Series FilterPairs(const Series& series, const Expression& filter) {
  Series output{series.slide, {}, nullptr};
  for (const auto& [t, batch] : series.batches) {
    if (batch.failed()) {
      output.batches[t] = batch;
      continue;
    }
    output.batches[t] = EvaluateBatch([&filter, &batch]() {
      Values kept;
      for (const Value& pair : batch.records) {
        if (KeepPair(filter, KeyOf(pair, "filter"), ValueOf(pair, "filter"))) kept.push_back(pair);
      }
      return kept;
    });
  }
  return output;
}

// The incremental reduceByKeyAndWindow's functions and shape.
struct Incremental {
  Expression reduce;
  Expression inverse;
  std::optional<Expression> filter;
  WindowShape shape;
};

// One key's previous window value and its per-batch reductions leaving and entering.
struct KeySides {
  std::optional<Value> previous;
  Values leaving;
  Values entering;
};

std::optional<Value> MergeKey(const Incremental& spec, const Value& key, const KeySides& sides) {
  Value value;
  if (!sides.previous) {
    if (sides.entering.empty()) return std::nullopt;  // only leaving: the window never had it
    value = Fold(spec.reduce, sides.entering);
  } else {
    value = *sides.previous;
    if (!sides.leaving.empty()) {
      value = CallReduce(spec.inverse, value, Fold(spec.reduce, sides.leaving));
    }
    if (!sides.entering.empty()) {
      value = CallReduce(spec.reduce, value, Fold(spec.reduce, sides.entering));
    }
  }
  if (spec.filter && !KeepPair(*spec.filter, key, value)) return std::nullopt;
  return value;
}

Values SlideWindow(const Incremental& spec, const Values& previous,
                   const std::vector<const OracleBatch*>& leaving,
                   const std::vector<const OracleBatch*>& entering) {
  const std::string name = "reduceByKeyAndWindow";
  std::map<Value, KeySides> keys;
  for (const Value& pair : previous) keys[KeyOf(pair, name)].previous = ValueOf(pair, name);
  for (const OracleBatch* batch : leaving) {
    for (const Value& pair : batch->records) {
      keys[KeyOf(pair, name)].leaving.push_back(ValueOf(pair, name));
    }
  }
  for (const OracleBatch* batch : entering) {
    for (const Value& pair : batch->records) {
      keys[KeyOf(pair, name)].entering.push_back(ValueOf(pair, name));
    }
  }
  Values window;
  for (const auto& [key, sides] : keys) {
    if (std::optional<Value> value = MergeKey(spec, key, sides)) {
      window.push_back(Value::Pair(key, *value));
    }
  }
  return window;
}

Series IncrementalReduce(const Series& parent, const Incremental& spec, const Timeline& timeline) {
  const Series reduced = MapBatches(parent, WithFunction("reduceByKey", spec.reduce));
  const sim::Duration w = spec.shape.window;
  const sim::Duration s = spec.shape.slide;
  Series output{s, {}, nullptr};
  std::optional<std::string> poisoned;
  Values window;  // the previous slide's window
  for (const sim::Instant t : timeline.TimesOf(s)) {
    const std::vector<const OracleBatch*> leaving = BatchesIn(reduced, t - s - w, t - w);
    const std::vector<const OracleBatch*> entering = BatchesIn(reduced, t - s, t);
    if (!poisoned) poisoned = FirstFailure(leaving);
    if (!poisoned) poisoned = FirstFailure(entering);
    if (!poisoned) {
      OracleBatch next =
          EvaluateBatch([&]() { return SlideWindow(spec, window, leaving, entering); });
      poisoned = next.failure;
      window = std::move(next.records);
    }
    output.batches[t] = poisoned ? FailedBatch(*poisoned) : OracleBatch{window, std::nullopt};
  }
  return output;
}

Series ReduceByKeyAndWindow(const OperatorModel& op, const Series& parent,
                            const Timeline& timeline) {
  const WindowShape shape = ShapeOf(op, parent);
  if (op.inverse) {
    return IncrementalReduce(parent, Incremental{*op.func, *op.inverse, op.filter, shape},
                             timeline);
  }
  const OperatorModel reduce_by_key = WithFunction("reduceByKey", *op.func);
  const Series windowed = Window(MapBatches(parent, reduce_by_key), shape, timeline);
  const Series result = MapBatches(windowed, reduce_by_key);
  return op.filter ? FilterPairs(result, *op.filter) : result;
}

Series ReduceByWindowOf(const Series& parent, const Expression& reduce,
                        const std::optional<Expression>& inverse, const WindowShape& shape,
                        const Timeline& timeline) {
  if (!inverse) {
    const OperatorModel reduce_all = WithFunction("reduce", reduce);
    return MapBatches(Window(MapBatches(parent, reduce_all), shape, timeline), reduce_all);
  }
  const Series keyed = MapBatches(parent, FixedOperator("map", "(1, x)"));
  const Series reduced =
      IncrementalReduce(keyed, Incremental{reduce, *inverse, std::nullopt, shape}, timeline);
  return MapBatches(reduced, FixedOperator("map", "x[1]"));
}

Series ReduceByWindow(const OperatorModel& op, const Series& parent, const Timeline& timeline) {
  return ReduceByWindowOf(parent, *op.func, op.inverse, ShapeOf(op, parent), timeline);
}

Series WindowOnly(const OperatorModel& op, const Series& parent, const Timeline& timeline) {
  return Window(parent, ShapeOf(op, parent), timeline);
}

Series CountByWindow(const OperatorModel& op, const Series& parent, const Timeline& timeline) {
  const Series ones = MapBatches(parent, FixedOperator("map", "1"));
  return ReduceByWindowOf(ones, FixedExpression("a + b"), FixedExpression("a - b"),
                          ShapeOf(op, parent), timeline);
}

Series CountByValueAndWindow(const OperatorModel& op, const Series& parent,
                             const Timeline& timeline) {
  const Series pairs = MapBatches(parent, FixedOperator("map", "(x, 1)"));
  const Incremental spec{FixedExpression("a + b"), FixedExpression("a - b"),
                         FixedExpression("v != 0"), ShapeOf(op, parent)};
  return IncrementalReduce(pairs, spec, timeline);
}

Series GroupByKeyAndWindow(const OperatorModel& op, const Series& parent,
                           const Timeline& timeline) {
  const Series grouped = MapBatches(parent, FixedOperator("groupByKey"));
  const Series windowed = Window(grouped, ShapeOf(op, parent), timeline);
  return MapBatches(windowed, FixedOperator("reduceByKey", "a + b"));
}

using WindowFunction = Series (*)(const OperatorModel&, const Series&, const Timeline&);

struct WindowOperator {
  std::string_view name;
  WindowFunction function;
  bool needs_func;
};

constexpr WindowOperator kWindowOperators[] = {
    {"window", WindowOnly, false},
    {"reduceByWindow", ReduceByWindow, true},
    {"reduceByKeyAndWindow", ReduceByKeyAndWindow, true},
    {"countByWindow", CountByWindow, false},
    {"countByValueAndWindow", CountByValueAndWindow, false},
    {"groupByKeyAndWindow", GroupByKeyAndWindow, false},
};

const WindowOperator* FindWindowOperator(const std::string& name) {
  for (const WindowOperator& candidate : kWindowOperators) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

}  // namespace

bool IsWindowOperator(const std::string& name) { return FindWindowOperator(name) != nullptr; }

Series ApplyWindowOperator(const OperatorModel& op, const Series& parent,
                           const Timeline& timeline) {
  const WindowOperator* found = FindWindowOperator(op.name);
  if (found == nullptr) Die("'" + op.name + "' is not a window operator");
  if (found->needs_func && !op.func) Die("'" + op.name + "' has no function");
  return found->function(op, parent, timeline);
}

}  // namespace streamsim::checker::oracle
