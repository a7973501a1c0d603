// updateStateByKey and mapWithState.
#include "engine/streaming/state_dstream.h"

#include <map>

#include "engine/core/operators.h"

namespace streamsim::engine {

StateDStream::StateDStream(std::string name, DStream* parent, Expression update, int partitions,
                           Values initial)
    : DStream(std::move(name), parent->slide(), {parent}),
      update_(std::move(update)),
      partitions_(partitions),
      initial_(std::move(initial)) {
  set_persist(true);
}

RddPtr StateDStream::Compute(sim::Instant t) {
  RddPtr data = parents()[0]->GetOrCompute(t);
  RddPtr previous = GetOrCompute(t - slide());
  if (!previous && !initial_.empty()) {
    previous = std::make_shared<ParallelRdd>(name() + "-initial", std::vector<Values>{initial_});
  }
  if (!data) return previous;
  if (!previous) previous = std::make_shared<ParallelRdd>(name(), std::vector<Values>{});
  return CoGroupRdds(
      name(), {data, previous}, partitions_,
      [this](const Value& key, std::vector<Values>& sides, Values* output, TaskContext& context) {
        context.AddRecordWork(context.cost().record_aggregate, 1);
        const Value values = Value::List(std::move(sides[0]));
        const Value state = sides[1].empty() ? Value() : sides[1].front();
        Bindings bindings;
        bindings.values = &values;
        bindings.state = &state;
        bindings.k = &key;
        Value updated = update_.Evaluate(bindings);
        if (!updated.is_null()) output->push_back(Value::Pair(key, std::move(updated)));
      });
}

MapWithStateDStream::MapWithStateDStream(std::string name, DStream* parent, Expression function,
                                         std::optional<sim::Duration> timeout, int partitions,
                                         Values initial)
    : DStream(std::move(name), parent->slide(), {parent}),
      function_(std::move(function)),
      timeout_(timeout),
      partitions_(partitions),
      initial_(std::move(initial)) {
  set_persist(true);
}

namespace {

struct KeyState {
  Value state;
  int64_t updated_ms = 0;
};

// One partition's state map from its (entries, emitted) record, or empty.
std::map<Value, KeyState> ReadStateMap(const Values& partition_records) {
  std::map<Value, KeyState> states;
  if (partition_records.empty()) return states;
  for (const Value& entry : partition_records.front().Items()[0].Items()) {
    const Values& fields = entry.Items();
    states[fields[0]] = KeyState{fields[1], fields[2].AsInt()};
  }
  return states;
}

Value WriteRecord(const std::map<Value, KeyState>& states, Values emitted) {
  Values entries;
  for (const auto& [key, state] : states) {
    entries.push_back(Value::Tuple({key, state.state, Value::Int(state.updated_ms)}));
  }
  return Value::Pair(Value::List(std::move(entries)), Value::List(std::move(emitted)));
}

struct MappingCall {
  const Expression* function;
  const Value* key;
  const Value* value;  // null Value when timing out
  const Value* state;
  bool timing_out;
};

// Calls the mapping function; returns (emitted, new_state).
std::pair<Value, Value> CallMapping(const MappingCall& call) {
  const Value timing_out = Value::Bool(call.timing_out);
  Bindings bindings;
  bindings.k = call.key;
  bindings.v = call.value;
  bindings.state = call.state;
  bindings.timing_out = &timing_out;
  const Value result = call.function->Evaluate(bindings);
  if (result.kind() != Value::Kind::kTuple || result.Items().size() != 2) {
    throw EvalError("mapWithState must return (emitted, new_state), got " +
                    result.ToDisplayString());
  }
  return {result.Items()[0], result.Items()[1]};
}

}  // namespace

RddPtr MapWithStateDStream::InitialStateRdd() const {
  Values entries;
  for (const Value& pair : initial_) {
    entries.push_back(Value::Tuple(
        {PairKey(pair, "mapWithState"), PairValue(pair, "mapWithState"), Value::Int(0)}));
  }
  // Partition the initial entries by key so that each state partition starts with its own keys.
  std::vector<Values> partitions(static_cast<size_t>(partitions_));
  std::vector<Values> by_partition(static_cast<size_t>(partitions_));
  for (const Value& entry : entries) {
    by_partition[HashPartition(entry.Items()[0], partitions_)].push_back(entry);
  }
  for (int p = 0; p < partitions_; ++p) {
    partitions[p] = {Value::Pair(Value::List(by_partition[p]), Value::List({}))};
  }
  return std::make_shared<ParallelRdd>(name() + "-initial", std::move(partitions));
}

RddPtr MapWithStateDStream::Compute(sim::Instant t) {
  RddPtr data = parents()[0]->GetOrCompute(t);
  if (!data) return nullptr;
  RddPtr previous = GetOrCompute(t - slide());
  if (!previous) previous = InitialStateRdd();
  // Shuffle the new records by key into the state's partitioning, in arrival order (the mapping
  // function is called in the order records arrive, as in Spark).
  RddPtr shuffled = PartitionByKey(data, partitions_, "mapWithState");
  const bool full_scan = timeout_.has_value() && IsCheckpointTime(t);
  const int64_t now_ms = t.millis();
  const int64_t threshold_ms = timeout_ ? (t - *timeout_).millis() : 0;
  auto step = [this, full_scan, now_ms, threshold_ms](Values previous_records, Values new_records,
                                                      TaskContext& context) {
    context.AddRecordWork(context.cost().record_aggregate, new_records.size());
    std::map<Value, KeyState> states = ReadStateMap(previous_records);
    Values emitted;
    for (const Value& record : new_records) {
      const Value& key = PairKey(record, "mapWithState");
      auto it = states.find(key);
      const Value state = it == states.end() ? Value() : it->second.state;
      auto [out, next] =
          CallMapping({&function_, &key, &PairValue(record, "mapWithState"), &state, false});
      if (!out.is_null()) emitted.push_back(std::move(out));
      if (next.is_null()) {
        states.erase(key);
      } else {
        states[key] = KeyState{std::move(next), now_ms};
      }
    }
    if (full_scan) {
      for (auto it = states.begin(); it != states.end();) {
        if (it->second.updated_ms >= threshold_ms) {
          ++it;
          continue;
        }
        const Value none;
        auto [out, next] = CallMapping({&function_, &it->first, &none, &it->second.state, true});
        if (!out.is_null()) emitted.push_back(std::move(out));
        it = states.erase(it);
      }
    }
    return Values{WriteRecord(states, std::move(emitted))};
  };
  return std::make_shared<ZipPartitionsRdd>(name(), previous, shuffled, std::move(step));
}

MapWithStateOutputDStream::MapWithStateOutputDStream(std::string name, DStream* state, Part part)
    : DStream(std::move(name), state->slide(), {state}), part_(part) {}

RddPtr MapWithStateOutputDStream::Compute(sim::Instant t) {
  RddPtr state = parents()[0]->GetOrCompute(t);
  if (!state) return nullptr;
  const Part part = part_;
  return MapPartitionsOf(state, name(), [part](Values records, TaskContext&) {
    Values output;
    for (const Value& record : records) {
      if (part == Part::kEmitted) {
        for (const Value& value : record.Items()[1].Items()) output.push_back(value);
      } else {
        for (const Value& entry : record.Items()[0].Items()) {
          output.push_back(Value::Pair(entry.Items()[0], entry.Items()[1]));
        }
      }
    }
    return output;
  });
}

}  // namespace streamsim::engine
