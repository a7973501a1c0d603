// updateStateByKey, mapWithState and stateSnapshots over ordered maps, as dataflow nodes that
// carry their state from step to step.
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
// stateSnapshots reads mapWithState's node: its state after each batch, or that batch's failure.
#include "checker/oracle_state.h"

#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "checker/oracle_support.h"

namespace streamsim::checker::oracle {
namespace {

using records::Expression;
using records::Value;
using records::Values;

// A node carrying state from one batch of its input to the next; from the input's or its own
// first failure on, every batch fails.
class StatefulNode : public UnaryNode {
 public:
  using UnaryNode::UnaryNode;

 protected:
  // The output at `t` from the state and the input's records; moves the state on. Throws
  // records::EvalError.
  virtual Values Update(sim::Instant t, const Values& records) = 0;

  OracleBatch Compute(sim::Instant t) final {
    const OracleBatch& batch = InputAt(t);
    if (!poisoned_ && batch.failed()) poisoned_ = batch.failure;
    if (!poisoned_) {
      OracleBatch next = EvaluateBatch([&]() { return Update(t, batch.records); });
      poisoned_ = next.failure;
      if (!poisoned_) return next;
    }
    return FailedBatch(*poisoned_);
  }

 private:
  std::optional<std::string> poisoned_;
};

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

class UpdateStateByKeyNode : public StatefulNode {
 public:
  UpdateStateByKeyNode(const Node* input, OperatorModel op)
      : StatefulNode(input), op_(std::move(op)) {}

 protected:
  Values Update(sim::Instant, const Values& records) override {
    if (!state_) state_ = InitialState(op_.initial);
    *state_ = UpdateState(*op_.func, *state_, records);
    Values pairs;
    for (const auto& [key, value] : *state_) pairs.push_back(Value::Pair(key, value));
    return pairs;
  }

 private:
  OperatorModel op_;
  std::optional<StateMap> state_;  // empty until the first batch starts from the initial pairs
};

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

sim::Duration ScanInterval(const Node& parent, const std::optional<sim::Duration>& checkpoint) {
  const sim::Duration interval = checkpoint.value_or(parent.slide() * 10);
  if (interval.us <= 0 || interval % parent.slide() != sim::Duration{}) {
    Die("mapWithState's checkpoint interval must be a positive multiple of its slide");
  }
  return interval;
}

class MapWithStateNode : public StatefulNode {
 public:
  MapWithStateNode(const Node* input, OperatorModel op, sim::Instant zero_time,
                   sim::Duration scan_interval)
      : StatefulNode(input),
        op_(std::move(op)),
        zero_time_(zero_time),
        scan_interval_(scan_interval) {}

  // The (key, state) pairs after the batch at `t`, or that batch when it failed; nullptr when
  // there is no batch at `t`. REQUIRES: as Node::At.
  const OracleBatch* SnapshotAt(sim::Instant t) const {
    const OracleBatch* batch = At(t);
    if (batch == nullptr || batch->failed()) return batch;
    if (snapshot_time_ != t) Die("mapWithState's snapshot is not of the batch read");
    return &snapshot_;
  }

 protected:
  Values Update(sim::Instant t, const Values& records) override {
    if (!states_) states_ = InitialTimedState(op_.initial);
    Values emitted;
    MapRecords(*op_.func, records, t.millis(), &*states_, &emitted);
    if (op_.timeout && (t - zero_time_) % scan_interval_ == sim::Duration{}) {
      TimeOutIdleKeys(*op_.func, (t - *op_.timeout).millis(), &*states_, &emitted);
    }
    snapshot_ = OracleBatch{};
    for (const auto& [key, state] : *states_) {
      snapshot_.records.push_back(Value::Pair(key, state.state));
    }
    snapshot_time_ = t;
    return emitted;
  }

 private:
  OperatorModel op_;
  sim::Instant zero_time_;
  sim::Duration scan_interval_;
  std::optional<TimedStateMap> states_;  // empty until the first batch starts from the initial
  OracleBatch snapshot_;                 // the state after the batch at snapshot_time_
  std::optional<sim::Instant> snapshot_time_;
};

// stateSnapshots: mapWithState's state after each of its batches.
class StateSnapshotsNode : public Node {
 public:
  explicit StateSnapshotsNode(const MapWithStateNode* source)
      : Node(source->slide()), source_(source) {}

 protected:
  OracleBatch Compute(sim::Instant t) override {
    const OracleBatch* snapshot = source_->SnapshotAt(t);
    if (snapshot == nullptr) Die("mapWithState has no snapshot at one of its times");
    return *snapshot;
  }

 private:
  const MapWithStateNode* source_;
};

// The settings of a state node that do not come from its operator.
struct StateContext {
  std::optional<sim::Duration> checkpoint_interval;
  Dataflow* dataflow;
};

Node* UpdateStateByKey(const OperatorModel& op, Node* parent, const StateContext& context) {
  return context.dataflow->Add<UpdateStateByKeyNode>(parent, op);
}

Node* MapWithState(const OperatorModel& op, Node* parent, const StateContext& context) {
  const sim::Duration scan_interval = ScanInterval(*parent, context.checkpoint_interval);
  return context.dataflow->Add<MapWithStateNode>(parent, op, context.dataflow->zero_time(),
                                                 scan_interval);
}

Node* StateSnapshots(const OperatorModel&, Node* parent, const StateContext& context) {
  const auto* source = dynamic_cast<const MapWithStateNode*>(parent);
  if (source == nullptr) Die("stateSnapshots must follow mapWithState");
  return context.dataflow->Add<StateSnapshotsNode>(source);
}

using StateBuilder = Node* (*)(const OperatorModel&, Node*, const StateContext&);

struct StateOperator {
  std::string_view name;
  StateBuilder build;
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

Node* AddStateOperator(const OperatorModel& op, Node* parent,
                       const std::optional<sim::Duration>& checkpoint_interval,
                       Dataflow* dataflow) {
  const StateOperator* found = FindStateOperator(op.name);
  if (found == nullptr) Die("'" + op.name + "' is not a state operator");
  if (found->needs_func && !op.func) Die("'" + op.name + "' has no function");
  return found->build(op, parent, StateContext{checkpoint_interval, dataflow});
}

}  // namespace streamsim::checker::oracle
