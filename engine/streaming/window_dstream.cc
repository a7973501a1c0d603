// window() and the incremental reduceByKeyAndWindow with an inverse function.
#include "engine/streaming/window_dstream.h"

#include <fmt/format.h>

#include "engine/core/operators.h"

namespace streamsim::engine {

WindowedDStream::WindowedDStream(std::string name, DStream* parent, sim::Duration window,
                                 sim::Duration slide)
    : DStream(std::move(name), slide, {parent}), window_(window) {
  parent->set_persist(true);
}

RddPtr WindowedDStream::Compute(sim::Instant t) {
  DStream* parent = parents()[0];
  std::vector<RddPtr> rdds = parent->Slice(t - window_ + parent->slide(), t);
  if (rdds.empty()) return std::make_shared<ParallelRdd>(name(), std::vector<Values>{});
  return std::make_shared<UnionRdd>(name(), std::move(rdds));
}

ReducedWindowedDStream::ReducedWindowedDStream(std::string name, DStream* reduced,
                                               Expression reduce, Expression inverse,
                                               std::optional<Expression> filter,
                                               sim::Duration window, sim::Duration slide,
                                               int partitions)
    : DStream(std::move(name), slide, {reduced}),
      reduce_(std::move(reduce)),
      inverse_(std::move(inverse)),
      filter_(std::move(filter)),
      window_(window),
      partitions_(partitions) {
  reduced->set_persist(true);
  set_persist(true);
}

namespace {

Value ReduceValues(const Expression& reduce, const Values& values) {
  Value accumulator = values.front();
  for (size_t i = 1; i < values.size(); ++i) {
    Bindings bindings;
    bindings.a = &accumulator;
    bindings.b = &values[i];
    accumulator = reduce.Evaluate(bindings);
  }
  return accumulator;
}

Value Apply(const Expression& function, const Value& a, const Value& b) {
  Bindings bindings;
  bindings.a = &a;
  bindings.b = &b;
  return function.Evaluate(bindings);
}

}  // namespace

// sides[0]: the previous window's value (at most one); then `old_count` sides of per-batch
// reductions leaving the window; then the sides entering it.
Values ReducedWindowedDStream::Merge(const Value& key, std::vector<Values>& sides, size_t old_count,
                                     TaskContext& context) const {
  context.AddRecordWork(context.cost().record_aggregate, sides.size());
  Values leaving, entering;
  for (size_t i = 1; i < sides.size(); ++i) {
    if (sides[i].empty()) continue;
    (i <= old_count ? leaving : entering).push_back(sides[i].front());
  }
  Value value;
  if (sides[0].empty()) {
    if (entering.empty()) return {};  // only leaving values of a key the window never had
    value = ReduceValues(reduce_, entering);
  } else {
    value = sides[0].front();
    if (!leaving.empty()) value = Apply(inverse_, value, ReduceValues(reduce_, leaving));
    if (!entering.empty()) value = Apply(reduce_, value, ReduceValues(reduce_, entering));
  }
  Value pair = Value::Pair(key, value);
  if (filter_) {
    Bindings bindings;
    bindings.x = &pair;
    bindings.k = &key;
    bindings.v = &value;
    const Value keep = filter_->Evaluate(bindings);
    if (keep.kind() != Value::Kind::kBool) {
      throw EvalError(std::string("filter must return a bool, got ") + KindName(keep.kind()));
    }
    if (!keep.AsBool()) return {};
  }
  return {pair};
}

RddPtr ReducedWindowedDStream::Compute(sim::Instant t) {
  DStream* reduced = parents()[0];
  const sim::Duration step = reduced->slide();
  // Current window (t - w, t]; previous window (t - s - w, t - s].
  std::vector<RddPtr> leaving = reduced->Slice(t - slide() - window_ + step, t - window_);
  std::vector<RddPtr> entering = reduced->Slice(t - slide() + step, t);
  RddPtr previous = GetOrCompute(t - slide());
  if (!previous) previous = std::make_shared<ParallelRdd>(name(), std::vector<Values>{});
  std::vector<RddPtr> all = {previous};
  all.insert(all.end(), leaving.begin(), leaving.end());
  all.insert(all.end(), entering.begin(), entering.end());
  const size_t old_count = leaving.size();
  return CoGroupRdds(name(), all, partitions_,
                     [this, old_count](const Value& key, std::vector<Values>& sides, Values* output,
                                       TaskContext& context) {
                       for (Value& pair : Merge(key, sides, old_count, context)) {
                         output->push_back(std::move(pair));
                       }
                     });
}

}  // namespace streamsim::engine
