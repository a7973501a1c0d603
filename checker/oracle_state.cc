// updateStateByKey, mapWithState and stateSnapshots over ordered maps.
//  - updateStateByKey: each batch calls the update once for every key with state or new values
//    (`values` the key's new values in arrival order, `state` the previous state or null, `k`);
//    a null result removes the key. The stream is every (key, state) pair. The initial pairs are
//    the state before the first batch (for a key given twice, the first pair counts, as the
//    engine's cogroup takes the first value).
//  - mapWithState: once per record in arrival order, the function sees k, v, state (null when
//    none) and timing_out = false and returns (emitted, new_state); a null new_state removes the
//    key, a null emitted value emits nothing. A key's last update time is the batch time in ms.
//    With a timeout, on the stream's data-checkpoint times only (as the engine's full scan), every
//    key last updated before t - timeout is called with v = null and timing_out = true, emits, and
//    is removed. Initial pairs start with update time 0 ms — the engine's choice, not Spark's
//    (which stamps them with the first batch's time) — and a key given twice keeps the last pair.
// Once a batch of a state stream fails, every later batch fails: its state is lost.
#include "checker/oracle_state.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace streamsim::checker::oracle {
namespace {

using records::Expression;
using records::Value;
using records::Values;

using StateStep = std::function<Values(sim::Instant t, const Values& records)>;

// The step's result at each of the parent's times; from the first failure on, failed batches.
OracleSeries RunStateful(const Series& parent, const StateStep& step) {
  OracleSeries output;
  std::optional<std::string> poisoned;
  for (const auto& [t, batch] : parent.batches) {
    if (!poisoned && batch.failed()) poisoned = batch.failure;
    if (!poisoned) {
      const sim::Instant time = t;
      const Values& records = batch.records;
      OracleBatch next = EvaluateBatch([&]() { return step(time, records); });
      poisoned = next.failure;
      output[t] = std::move(next);
    }
    if (poisoned) output[t] = FailedBatch(*poisoned);
  }
  return output;
}

// updateStateByKey.

using StateMap = std::map<Value, Value>;

StateMap InitialState(const Values& initial) {
  StateMap state;
  for (const Value& pair : initial) {
    state.try_emplace(KeyOf(pair, "updateStateByKey"), ValueOf(pair, "updateStateByKey"));
  }
  return state;
}

StateMap UpdateState(const Expression& update, const StateMap& previous, const Values& records) {
  std::map<Value, Values> new_values;
  for (const Value& record : records) {
    new_values[KeyOf(record, "updateStateByKey")].push_back(ValueOf(record, "updateStateByKey"));
  }
  for (const auto& [key, state] : previous) new_values.try_emplace(key);
  StateMap next;
  for (const auto& [key, values] : new_values) {
    const Value list = Value::List(values);
    const auto it = previous.find(key);
    const Value state = it == previous.end() ? Value() : it->second;
    records::Bindings bindings;
    bindings.values = &list;
    bindings.state = &state;
    bindings.k = &key;
    Value updated = update.Evaluate(bindings);
    if (!updated.is_null()) next.emplace(key, std::move(updated));
  }
  return next;
}

Series UpdateStateByKey(const OperatorModel& op, const Series& parent, const Timeline&) {
  std::optional<StateMap> state;  // empty until the first batch starts from the initial pairs
  const StateStep step = [&op, &state](sim::Instant, const Values& records) {
    if (!state) state = InitialState(op.initial);
    *state = UpdateState(*op.func, *state, records);
    Values pairs;
    for (const auto& [key, value] : *state) pairs.push_back(Value::Pair(key, value));
    return pairs;
  };
  return Series{parent.slide, RunStateful(parent, step), nullptr};
}

// mapWithState.

struct KeyState {
  Value state;
  int64_t updated_ms = 0;
};
using TimedStateMap = std::map<Value, KeyState>;

TimedStateMap InitialTimedState(const Values& initial) {
  TimedStateMap states;
  for (const Value& pair : initial) {
    states[KeyOf(pair, "mapWithState")] = KeyState{ValueOf(pair, "mapWithState"), 0};
  }
  return states;
}

// Calls the mapping function; returns (emitted, new_state).
std::pair<Value, Value> CallMapping(const Expression& function, const Value& key,
                                    const Value& value, const Value& state, bool timing_out) {
  const Value timing_out_value = Value::Bool(timing_out);
  records::Bindings bindings;
  bindings.k = &key;
  bindings.v = &value;
  bindings.state = &state;
  bindings.timing_out = &timing_out_value;
  const Value result = function.Evaluate(bindings);
  if (result.kind() != Value::Kind::kTuple || result.Items().size() != 2) {
    throw records::EvalError("mapWithState must return (emitted, new_state), got " +
                             result.ToDisplayString());
  }
  return {result.Items()[0], result.Items()[1]};
}

void MapRecords(const Expression& function, const Values& records, int64_t now_ms,
                TimedStateMap* states, Values* emitted) {
  for (const Value& record : records) {
    const Value& key = KeyOf(record, "mapWithState");
    const auto it = states->find(key);
    const Value state = it == states->end() ? Value() : it->second.state;
    auto [out, next] = CallMapping(function, key, ValueOf(record, "mapWithState"), state, false);
    if (!out.is_null()) emitted->push_back(std::move(out));
    if (next.is_null()) {
      states->erase(key);
    } else {
      (*states)[key] = KeyState{std::move(next), now_ms};
    }
  }
}

void TimeOutIdleKeys(const Expression& function, int64_t threshold_ms, TimedStateMap* states,
                     Values* emitted) {
  for (auto it = states->begin(); it != states->end();) {
    if (it->second.updated_ms >= threshold_ms) {
      ++it;
      continue;
    }
    auto [out, next] = CallMapping(function, it->first, Value(), it->second.state, true);
    if (!out.is_null()) emitted->push_back(std::move(out));
    it = states->erase(it);
  }
}

sim::Duration ScanInterval(const Series& parent, const Timeline& timeline) {
  const sim::Duration interval = timeline.checkpoint_interval.value_or(parent.slide * 10);
  if (interval.us <= 0 || interval % parent.slide != sim::Duration{}) {
    Die("mapWithState's checkpoint interval must be a positive multiple of its slide");
  }
  return interval;
}

Series MapWithState(const OperatorModel& op, const Series& parent, const Timeline& timeline) {
  const sim::Duration scan_interval = ScanInterval(parent, timeline);
  auto snapshots = std::make_shared<OracleSeries>();
  std::optional<TimedStateMap> states;  // empty until the first batch starts from the initial
  const StateStep step = [&](sim::Instant t, const Values& records) {
    if (!states) states = InitialTimedState(op.initial);
    Values emitted;
    MapRecords(*op.func, records, t.millis(), &*states, &emitted);
    if (op.timeout && (t - timeline.zero_time) % scan_interval == sim::Duration{}) {
      TimeOutIdleKeys(*op.func, (t - *op.timeout).millis(), &*states, &emitted);
    }
    OracleBatch& snapshot = (*snapshots)[t];
    for (const auto& [key, state] : *states) {
      snapshot.records.push_back(Value::Pair(key, state.state));
    }
    return emitted;
  };
  Series output{parent.slide, RunStateful(parent, step), nullptr};
  for (const auto& [t, batch] : output.batches) {
    if (batch.failed()) (*snapshots)[t] = batch;
  }
  output.snapshots = std::move(snapshots);
  return output;
}

Series StateSnapshots(const OperatorModel&, const Series& parent, const Timeline&) {
  if (!parent.snapshots) Die("stateSnapshots must follow mapWithState");
  return Series{parent.slide, *parent.snapshots, nullptr};
}

using StateFunction = Series (*)(const OperatorModel&, const Series&, const Timeline&);

struct StateOperator {
  std::string_view name;
  StateFunction function;
  bool needs_func;
};

constexpr StateOperator kStateOperators[] = {
    {"updateStateByKey", UpdateStateByKey, true},
    {"mapWithState", MapWithState, true},
    {"stateSnapshots", StateSnapshots, false},
};

const StateOperator* FindStateOperator(const std::string& name) {
  for (const StateOperator& candidate : kStateOperators) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

}  // namespace

bool IsStateOperator(const std::string& name) { return FindStateOperator(name) != nullptr; }

Series ApplyStateOperator(const OperatorModel& op, const Series& parent, const Timeline& timeline) {
  const StateOperator* found = FindStateOperator(op.name);
  if (found == nullptr) Die("'" + op.name + "' is not a state operator");
  if (found->needs_func && !op.func) Die("'" + op.name + "' has no function");
  return found->function(op, parent, timeline);
}

}  // namespace streamsim::checker::oracle
