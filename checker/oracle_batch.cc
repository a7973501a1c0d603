// Stateless operators on one batch: element functions, key-based aggregations, joins, union,
// count and reduce, and transform chains. Output shapes follow the engine's operators: count
// gives [n] even for an empty batch, reduce gives nothing for one, countByValue gives (value, n)
// pairs, joins give (k, (v, w)) with null for a missing outer side, cogroup gives
// (k, ([v...], [w...])), groupByKey gives (k, [v...]).
#include "checker/oracle_batch.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "checker/oracle_chain.h"
#include "checker/oracle_support.h"

namespace streamsim::checker::oracle {
namespace {

using records::Value;
using records::Values;

// map, filter and flatMap (checker/oracle_chain.h).
Values ElementRecords(const OperatorModel& op, const Values& input, const OtherRecords&) {
  return ChainRecords({op}, input);
}

// mapValues and flatMapValues: the function sees the pair as x and its parts as k and v.
Values ValueRecords(const OperatorModel& op, const Values& input, const OtherRecords&) {
  Values output;
  for (const Value& record : input) {
    records::Bindings bindings;
    bindings.x = &record;
    bindings.k = &KeyOf(record, op.name);
    bindings.v = &ValueOf(record, op.name);
    const Value result = op.func->Evaluate(bindings);
    if (op.name == "mapValues") {
      output.push_back(Value::Pair(*bindings.k, result));
    } else {
      for (const Value& item : SequenceResult(result, op.name)) {
        output.push_back(Value::Pair(*bindings.k, item));
      }
    }
  }
  return output;
}

// The whole batch is one partition.
Values MapPartitionsRecords(const OperatorModel& op, const Values& input, const OtherRecords&) {
  const Value partition = Value::List(input);
  records::Bindings bindings;
  bindings.xs = &partition;
  return SequenceResult(op.func->Evaluate(bindings), op.name);
}

Values ReduceRecords(const OperatorModel& op, const Values& input, const OtherRecords&) {
  if (input.empty()) return {};
  const ReduceFunction reduce(*op.func);
  Value accumulator = input.front();
  for (size_t i = 1; i < input.size(); ++i) accumulator = reduce(accumulator, input[i]);
  return {accumulator};
}

// Each key's values reduced in arrival order; the pairs in key order. Keys found by hash (a
// word count's thousands of words), ordered once at the end.
Values ReduceByKeyRecords(const OperatorModel& op, const Values& input, const OtherRecords&) {
  KeyedReduction reduced(*op.func);
  for (const Value& record : input) reduced.Add(KeyOf(record, op.name), ValueOf(record, op.name));
  return reduced.Pairs();
}

// Each key's values in arrival order.
std::map<Value, Values> GroupValues(const Values& pairs, const std::string& operator_name) {
  std::map<Value, Values> groups;
  for (const Value& record : pairs) {
    groups[KeyOf(record, operator_name)].push_back(ValueOf(record, operator_name));
  }
  return groups;
}

Values GroupByKeyRecords(const OperatorModel& op, const Values& input, const OtherRecords&) {
  Values output;
  for (auto& [key, values] : GroupValues(input, op.name)) {
    output.push_back(Value::Pair(key, Value::List(std::move(values))));
  }
  return output;
}

Values CountByValueRecords(const OperatorModel&, const Values& input, const OtherRecords&) {
  std::map<Value, int64_t> counts;
  for (const Value& record : input) ++counts[record];
  Values output;
  for (const auto& [value, count] : counts) output.push_back(Value::Pair(value, Value::Int(count)));
  return output;
}

Values CountRecords(const OperatorModel&, const Values& input, const OtherRecords&) {
  return {Value::Int(static_cast<int64_t>(input.size()))};
}

Values RepartitionRecords(const OperatorModel&, const Values& input, const OtherRecords&) {
  return input;
}

Values UnionRecords(const OperatorModel& op, const Values& input, const OtherRecords& others) {
  Values output = input;
  const Values other = others(op.other);
  output.insert(output.end(), other.begin(), other.end());
  return output;
}

// One key of a join flavour: every (v, w) combination; an outer side missing is null.
void EmitJoined(const std::string& flavour, const Value& key, const Values& left,
                const Values& right, Values* output) {
  const bool keep_left = flavour == "leftOuterJoin" || flavour == "fullOuterJoin";
  const bool keep_right = flavour == "rightOuterJoin" || flavour == "fullOuterJoin";
  if (right.empty() && keep_left) {
    for (const Value& v : left) output->push_back(Value::Pair(key, Value::Pair(v, Value())));
  }
  if (left.empty() && keep_right) {
    for (const Value& w : right) output->push_back(Value::Pair(key, Value::Pair(Value(), w)));
  }
  for (const Value& v : left) {
    for (const Value& w : right) output->push_back(Value::Pair(key, Value::Pair(v, w)));
  }
}

// The joins and cogroup: both sides grouped by key, keys in order.
Values CoGroupRecords(const OperatorModel& op, const Values& input, const OtherRecords& others) {
  std::map<Value, Values> left = GroupValues(input, op.name);
  std::map<Value, Values> right = GroupValues(others(op.other), op.name);
  std::map<Value, std::pair<Values, Values>> sides;
  for (auto& [key, values] : left) sides[key].first = std::move(values);
  for (auto& [key, values] : right) sides[key].second = std::move(values);
  Values output;
  for (const auto& [key, both] : sides) {
    if (op.name == "cogroup") {
      output.push_back(
          Value::Pair(key, Value::Pair(Value::List(both.first), Value::List(both.second))));
    } else {
      EmitJoined(op.name, key, both.first, both.second, &output);
    }
  }
  return output;
}

// transform and transformWith: the nested chain names the streams it uses itself.
Values TransformRecords(const OperatorModel& op, const Values& input, const OtherRecords& others) {
  return ApplyBatchChain(op.ops, input, others);
}

using BatchFunction = Values (*)(const OperatorModel&, const Values&, const OtherRecords&);

struct BatchOperator {
  std::string_view name;
  BatchFunction function;
  bool needs_func;  // whether the operator calls op.func
};

// clang-format off
constexpr BatchOperator kBatchOperators[] = {
    {"map",            ElementRecords,       true},
    {"filter",         ElementRecords,       true},
    {"flatMap",        ElementRecords,       true},
    {"mapPartitions",  MapPartitionsRecords, true},
    {"mapValues",      ValueRecords,         true},
    {"flatMapValues",  ValueRecords,         true},
    {"reduce",         ReduceRecords,        true},
    {"reduceByKey",    ReduceByKeyRecords,   true},
    {"groupByKey",     GroupByKeyRecords,    false},
    {"countByValue",   CountByValueRecords,  false},
    {"count",          CountRecords,         false},
    {"repartition",    RepartitionRecords,   false},
    {"union",          UnionRecords,         false},
    {"join",           CoGroupRecords,       false},
    {"leftOuterJoin",  CoGroupRecords,       false},
    {"rightOuterJoin", CoGroupRecords,       false},
    {"fullOuterJoin",  CoGroupRecords,       false},
    {"cogroup",        CoGroupRecords,       false},
    {"transform",      TransformRecords,     false},
    {"transformWith",  TransformRecords,     false},
};
// clang-format on

const BatchOperator* FindBatchOperator(const std::string& name) {
  for (const BatchOperator& candidate : kBatchOperators) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

// `op` and its nested ops are operators on one batch with the functions they need.
void CheckBatchOperator(const OperatorModel& op) {
  const BatchOperator* found = FindBatchOperator(op.name);
  if (found == nullptr) Die("'" + op.name + "' is not an operator on one batch");
  if (found->needs_func && !op.func) Die("'" + op.name + "' has no function");
  for (const OperatorModel& nested : op.ops) CheckBatchOperator(nested);
}

class BatchNode : public UnaryNode {
 public:
  BatchNode(const Node* input, OperatorModel op, OtherStreams others)
      : UnaryNode(input), op_(std::move(op)), others_(std::move(others)) {}

 protected:
  OracleBatch Compute(sim::Instant t) override {
    const OracleBatch& input = InputAt(t);
    if (input.failed()) return input;
    const OtherRecords others = [this, t](const std::string& name) { return OtherAt(name, t); };
    return EvaluateBatch([&]() { return ApplyBatchOperator(op_, input.records, others); });
  }

 private:
  // Another stream's records at `t`: none when it has no RDD then; its failure when it failed.
  Values OtherAt(const std::string& name, sim::Instant t) const {
    const auto other = others_.find(name);
    if (other == others_.end()) Die("'" + op_.name + "' reads '" + name + "', not given");
    const OracleBatch* batch = other->second->At(t);
    if (batch == nullptr) return {};
    if (batch->failed()) throw records::EvalError(*batch->failure);
    return batch->records;
  }

  OperatorModel op_;
  OtherStreams others_;
};

}  // namespace

bool IsBatchOperator(const std::string& name) { return FindBatchOperator(name) != nullptr; }

records::Values ApplyBatchOperator(const OperatorModel& op, const records::Values& input,
                                   const OtherRecords& others) {
  const BatchOperator* found = FindBatchOperator(op.name);
  if (found == nullptr) Die("'" + op.name + "' is not an operator on one batch");
  if (found->needs_func && !op.func) Die("'" + op.name + "' has no function");
  return found->function(op, input, others);
}

records::Values ApplyBatchChain(const std::vector<OperatorModel>& chain, records::Values input,
                                const OtherRecords& others) {
  for (const OperatorModel& op : chain) input = ApplyBatchOperator(op, input, others);
  return input;
}

void AddOtherStreams(const OperatorModel& op, std::set<std::string>* names) {
  if (!op.other.empty()) names->insert(op.other);
  for (const OperatorModel& nested : op.ops) AddOtherStreams(nested, names);
}

Node* AddBatchNode(Dataflow* dataflow, const Node* input, OperatorModel op, OtherStreams others) {
  CheckBatchOperator(op);
  std::set<std::string> names;
  AddOtherStreams(op, &names);
  for (const std::string& name : names) {
    if (others.count(name) == 0) Die("'" + op.name + "' reads '" + name + "', not given");
  }
  return dataflow->Add<BatchNode>(input, std::move(op), std::move(others));
}

OperatorModel FixedOperator(const char* name, const char* func_text) {
  OperatorModel op;
  op.name = name;
  if (func_text != nullptr) op.func = FixedExpression(func_text);
  return op;
}

}  // namespace streamsim::checker::oracle
