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
// Each step above is a dataflow node: a window node, an incremental node, a filter node and batch
// nodes (oracle_batch.h). The incremental form carries its previous window from slide to slide, so
// once a window fails every later one fails too. A filter sees the pair as x and its parts as k
// and v.
#include "checker/oracle_window.h"

#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "checker/oracle_batch.h"
#include "checker/oracle_support.h"

namespace streamsim::checker::oracle {
namespace {

using records::Expression;
using records::Value;
using records::Values;

struct WindowShape {
  sim::Duration window;
  sim::Duration slide;
};

WindowShape ShapeOf(const OperatorModel& op, const Node& parent) {
  if (!op.window) Die("'" + op.name + "' has no window length");
  const WindowShape shape{*op.window, op.slide.value_or(parent.slide())};
  if (shape.window.us <= 0 || shape.slide.us <= 0 ||
      shape.window % parent.slide() != sim::Duration{} ||
      shape.slide % parent.slide() != sim::Duration{}) {
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

// The union of the parent's batches in (t - window, t], oldest first; failed while it covers a
// failed batch.
class WindowNode : public Node {
 public:
  WindowNode(Node* parent, const WindowShape& shape)
      : Node(shape.slide), parent_(parent), window_(shape.window) {
    parent->Retain(window_);
  }

 protected:
  OracleBatch Compute(sim::Instant t) override {
    const std::vector<const OracleBatch*> covered = parent_->In(t - window_, t);
    if (std::optional<std::string> failure = FirstFailure(covered)) return FailedBatch(*failure);
    OracleBatch batch;
    for (const OracleBatch* part : covered) {
      batch.records.insert(batch.records.end(), part->records.begin(), part->records.end());
    }
    return batch;
  }

 private:
  const Node* parent_;
  sim::Duration window_;
};

Value Fold(const Expression& expression, const Values& values) {
  const ReduceFunction reduce(expression);
  Value accumulator = values.front();
  for (size_t i = 1; i < values.size(); ++i) accumulator = reduce(accumulator, values[i]);
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

// The pairs of each input batch the filter keeps; a failed batch stays failed.
class FilterPairsNode : public UnaryNode {
 public:
  FilterPairsNode(const Node* input, Expression filter)
      : UnaryNode(input), filter_(std::move(filter)) {}

 protected:
  OracleBatch Compute(sim::Instant t) override {
    const OracleBatch& batch = InputAt(t);
    if (batch.failed()) return batch;
    return EvaluateBatch([this, &batch]() {
      Values kept;
      for (const Value& pair : batch.records) {
        if (KeepPair(filter_, KeyOf(pair, "filter"), ValueOf(pair, "filter"))) kept.push_back(pair);
      }
      return kept;
    });
  }

 private:
  Expression filter_;
};

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
      value = ReduceFunction(spec.reduce)(value, Fold(spec.reduce, sides.entering));
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

// The incremental window over per-batch reductions: at each slide, the previous window with what
// left taken out and what entered added. Once a window fails, every later one fails.
class IncrementalReduceNode : public Node {
 public:
  IncrementalReduceNode(Node* reduced, Incremental spec)
      : Node(spec.shape.slide), reduced_(reduced), spec_(std::move(spec)) {
    reduced->Retain(spec_.shape.slide + spec_.shape.window);
  }

 protected:
  OracleBatch Compute(sim::Instant t) override {
    const sim::Duration w = spec_.shape.window;
    const sim::Duration s = spec_.shape.slide;
    const std::vector<const OracleBatch*> leaving = reduced_->In(t - s - w, t - w);
    const std::vector<const OracleBatch*> entering = reduced_->In(t - s, t);
    if (!poisoned_) poisoned_ = FirstFailure(leaving);
    if (!poisoned_) poisoned_ = FirstFailure(entering);
    if (!poisoned_) {
      OracleBatch next =
          EvaluateBatch([&]() { return SlideWindow(spec_, window_, leaving, entering); });
      poisoned_ = next.failure;
      window_ = std::move(next.records);
    }
    return poisoned_ ? FailedBatch(*poisoned_) : OracleBatch{window_, std::nullopt};
  }

 private:
  const Node* reduced_;
  Incremental spec_;
  std::optional<std::string> poisoned_;
  Values window_;  // the previous slide's window
};

Node* IncrementalReduce(Node* parent, Incremental spec, Dataflow* dataflow) {
  Node* reduced = AddBatchNode(dataflow, parent, WithFunction("reduceByKey", spec.reduce));
  return dataflow->Add<IncrementalReduceNode>(reduced, std::move(spec));
}

Node* ReduceByKeyAndWindow(const OperatorModel& op, Node* parent, Dataflow* dataflow) {
  const WindowShape shape = ShapeOf(op, *parent);
  if (op.inverse) {
    return IncrementalReduce(parent, Incremental{*op.func, *op.inverse, op.filter, shape},
                             dataflow);
  }
  const OperatorModel reduce_by_key = WithFunction("reduceByKey", *op.func);
  Node* reduced = AddBatchNode(dataflow, parent, reduce_by_key);
  Node* windowed = dataflow->Add<WindowNode>(reduced, shape);
  Node* result = AddBatchNode(dataflow, windowed, reduce_by_key);
  return op.filter ? dataflow->Add<FilterPairsNode>(result, *op.filter) : result;
}

Node* ReduceByWindowOf(Node* parent, const Expression& reduce,
                       const std::optional<Expression>& inverse, const WindowShape& shape,
                       Dataflow* dataflow) {
  if (!inverse) {
    const OperatorModel reduce_all = WithFunction("reduce", reduce);
    Node* reduced = AddBatchNode(dataflow, parent, reduce_all);
    return AddBatchNode(dataflow, dataflow->Add<WindowNode>(reduced, shape), reduce_all);
  }
  Node* keyed = AddBatchNode(dataflow, parent, FixedOperator("map", "(1, x)"));
  Node* reduced =
      IncrementalReduce(keyed, Incremental{reduce, *inverse, std::nullopt, shape}, dataflow);
  return AddBatchNode(dataflow, reduced, FixedOperator("map", "x[1]"));
}

Node* ReduceByWindow(const OperatorModel& op, Node* parent, Dataflow* dataflow) {
  return ReduceByWindowOf(parent, *op.func, op.inverse, ShapeOf(op, *parent), dataflow);
}

Node* WindowOnly(const OperatorModel& op, Node* parent, Dataflow* dataflow) {
  return dataflow->Add<WindowNode>(parent, ShapeOf(op, *parent));
}

Node* CountByWindow(const OperatorModel& op, Node* parent, Dataflow* dataflow) {
  const WindowShape shape = ShapeOf(op, *parent);
  Node* ones = AddBatchNode(dataflow, parent, FixedOperator("map", "1"));
  return ReduceByWindowOf(ones, FixedExpression("a + b"), FixedExpression("a - b"), shape,
                          dataflow);
}

Node* CountByValueAndWindow(const OperatorModel& op, Node* parent, Dataflow* dataflow) {
  const WindowShape shape = ShapeOf(op, *parent);
  Node* pairs = AddBatchNode(dataflow, parent, FixedOperator("map", "(x, 1)"));
  const Incremental spec{FixedExpression("a + b"), FixedExpression("a - b"),
                         FixedExpression("v != 0"), shape};
  return IncrementalReduce(pairs, spec, dataflow);
}

Node* GroupByKeyAndWindow(const OperatorModel& op, Node* parent, Dataflow* dataflow) {
  const WindowShape shape = ShapeOf(op, *parent);
  Node* grouped = AddBatchNode(dataflow, parent, FixedOperator("groupByKey"));
  Node* windowed = dataflow->Add<WindowNode>(grouped, shape);
  return AddBatchNode(dataflow, windowed, FixedOperator("reduceByKey", "a + b"));
}

using WindowBuilder = Node* (*)(const OperatorModel&, Node*, Dataflow*);

struct WindowOperator {
  std::string_view name;
  WindowBuilder build;
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

Node* AddWindowOperator(const OperatorModel& op, Node* parent, Dataflow* dataflow) {
  const WindowOperator* found = FindWindowOperator(op.name);
  if (found == nullptr) Die("'" + op.name + "' is not a window operator");
  if (found->needs_func && !op.func) Die("'" + op.name + "' has no function");
  return found->build(op, parent, dataflow);
}

}  // namespace streamsim::checker::oracle
