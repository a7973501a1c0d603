// Stateless operators: narrow element functions, key-based shuffles (reduceByKey, groupByKey,
// joins, cogroup), repartition, count, reduce and union.
#include "engine/core/operators.h"

#include <map>
#include <utility>

#include "base/assert.h"

namespace streamsim::engine {
namespace {

const std::pair<const char*, OperatorKind> kOperatorNames[] = {
    {"map", OperatorKind::kMap},
    {"filter", OperatorKind::kFilter},
    {"flatMap", OperatorKind::kFlatMap},
    {"mapPartitions", OperatorKind::kMapPartitions},
    {"mapValues", OperatorKind::kMapValues},
    {"flatMapValues", OperatorKind::kFlatMapValues},
    {"repartition", OperatorKind::kRepartition},
    {"reduceByKey", OperatorKind::kReduceByKey},
    {"groupByKey", OperatorKind::kGroupByKey},
    {"countByValue", OperatorKind::kCountByValue},
    {"count", OperatorKind::kCount},
    {"reduce", OperatorKind::kReduce},
    {"join", OperatorKind::kJoin},
    {"leftOuterJoin", OperatorKind::kLeftOuterJoin},
    {"rightOuterJoin", OperatorKind::kRightOuterJoin},
    {"fullOuterJoin", OperatorKind::kFullOuterJoin},
    {"cogroup", OperatorKind::kCogroup},
    {"union", OperatorKind::kUnion},
    {"transform", OperatorKind::kTransform},
    {"transformWith", OperatorKind::kTransformWith},
};

using Function = MapPartitionsRdd::Function;

RddPtr Narrow(const RddPtr& input, OperatorKind kind, Function function) {
  return std::make_shared<MapPartitionsRdd>(OperatorName(kind), input, std::move(function));
}

const Values& SequenceResult(const Value& result, const char* operator_name) {
  if (!result.is_sequence()) {
    throw EvalError(std::string(operator_name) + " must return a list or tuple, got " +
                    KindName(result.kind()));
  }
  return result.Items();
}

bool FilterResult(const Value& result) {
  if (result.kind() != Value::Kind::kBool) {
    throw EvalError(std::string("filter must return a bool, got ") + KindName(result.kind()));
  }
  return result.AsBool();
}

// Element-wise operators: map, filter, flatMap, mapValues, flatMapValues.
Function ElementFunction(OperatorKind kind, const Expression& expression) {
  return [kind, expression](Values input, TaskContext& context) {
    context.AddRecordWork(context.cost().record_map, input.size());
    Values output;
    output.reserve(kind == OperatorKind::kFlatMap ? input.size() * 2 : input.size());
    const char* name = OperatorName(kind);
    for (const Value& record : input) {
      Bindings bindings;
      bindings.x = &record;
      if (kind == OperatorKind::kMapValues || kind == OperatorKind::kFlatMapValues) {
        bindings.k = &PairKey(record, name);
        bindings.v = &PairValue(record, name);
      } else if (kind == OperatorKind::kFilter && record.kind() == Value::Kind::kTuple &&
                 record.Items().size() == 2) {
        // reduceByKeyAndWindow's filter (without an inverse, a filter after the reduce) sees the
        // pair's key and value as k and v; a plain filter's names are limited to x by the loader.
        bindings.k = &record.Items()[0];
        bindings.v = &record.Items()[1];
      }
      Value result = expression.Evaluate(bindings);
      switch (kind) {
        case OperatorKind::kMap:
          output.push_back(std::move(result));
          break;
        case OperatorKind::kFilter:
          if (FilterResult(result)) output.push_back(record);
          break;
        case OperatorKind::kFlatMap:
          for (const Value& item : SequenceResult(result, name)) output.push_back(item);
          break;
        case OperatorKind::kMapValues:
          output.push_back(Value::Pair(*bindings.k, std::move(result)));
          break;
        default:  // kFlatMapValues
          for (const Value& item : SequenceResult(result, name)) {
            output.push_back(Value::Pair(*bindings.k, item));
          }
      }
    }
    return output;
  };
}

Function MapPartitionsFunction(const Expression& expression) {
  return [expression](Values input, TaskContext& context) {
    context.AddRecordWork(context.cost().record_map, input.size());
    const Value partition = Value::List(std::move(input));
    Bindings bindings;
    bindings.xs = &partition;
    const Value result = expression.Evaluate(bindings);
    return SequenceResult(result, "mapPartitions");
  };
}

// Combines values by key with a reduce expression; keys come out in Value order.
Values CombineByKey(const Values& pairs, const Expression& reduce, const char* name,
                    TaskContext& context) {
  context.AddRecordWork(context.cost().record_aggregate, pairs.size());
  std::map<Value, Value> combined;
  for (const Value& pair : pairs) {
    const Value& key = PairKey(pair, name);
    auto [it, inserted] = combined.try_emplace(key, PairValue(pair, name));
    if (!inserted) {
      Bindings bindings;
      bindings.a = &it->second;
      bindings.b = &PairValue(pair, name);
      it->second = reduce.Evaluate(bindings);
    }
  }
  Values output;
  output.reserve(combined.size());
  for (auto& [key, value] : combined) output.push_back(Value::Pair(key, std::move(value)));
  return output;
}

ShuffleDependencyPtr HashShuffle(const RddPtr& parent, int partitions, const char* name,
                                 CombineFunction combine = nullptr) {
  auto dependency = std::make_shared<ShuffleDependency>();
  dependency->shuffle_id = NextShuffleId();
  dependency->parent = parent;
  dependency->reduce_partitions = partitions;
  dependency->partition_of = [partitions, name](const Value& record, int, int) {
    return HashPartition(PairKey(record, name), partitions);
  };
  dependency->map_side_combine = std::move(combine);
  return dependency;
}

int PartitionsFor(const Operator& op, const OperatorEnvironment& environment) {
  return op.partitions > 0 ? op.partitions : environment.default_parallelism;
}

RddPtr ReduceByKey(const RddPtr& input, const Expression& reduce, int partitions) {
  auto combine = [reduce](Values bucket, TaskContext& context) {
    return CombineByKey(bucket, reduce, "reduceByKey", context);
  };
  auto shuffle = HashShuffle(input, partitions, "reduceByKey", combine);
  return std::make_shared<ShuffledRdd>(
      "reduceByKey", partitions, std::vector<ShuffleDependencyPtr>{shuffle},
      [reduce](std::vector<Values> inputs, TaskContext& context) {
        return CombineByKey(inputs[0], reduce, "reduceByKey", context);
      });
}

// Groups pairs by key: key -> values in arrival order, for each input side.
std::map<Value, std::vector<Values>> GroupSides(const std::vector<Values>& sides, const char* name,
                                                TaskContext& context) {
  std::map<Value, std::vector<Values>> groups;
  for (size_t side = 0; side < sides.size(); ++side) {
    context.AddRecordWork(context.cost().record_aggregate, sides[side].size());
    for (const Value& pair : sides[side]) {
      auto& group = groups[PairKey(pair, name)];
      group.resize(sides.size());
      group[side].push_back(PairValue(pair, name));
    }
  }
  return groups;
}

RddPtr GroupByKey(const RddPtr& input, int partitions) {
  auto shuffle = HashShuffle(input, partitions, "groupByKey");
  return std::make_shared<ShuffledRdd>(
      "groupByKey", partitions, std::vector<ShuffleDependencyPtr>{shuffle},
      [](std::vector<Values> inputs, TaskContext& context) {
        Values output;
        for (auto& [key, sides] : GroupSides(inputs, "groupByKey", context)) {
          output.push_back(Value::Pair(key, Value::List(std::move(sides[0]))));
        }
        return output;
      });
}

// The (v, w) combinations of one key for a join flavour; a missing side is null for outer joins.
void EmitJoined(OperatorKind kind, const Value& key, const Values& left, const Values& right,
                Values* output) {
  const bool keep_left =
      kind == OperatorKind::kLeftOuterJoin || kind == OperatorKind::kFullOuterJoin;
  const bool keep_right =
      kind == OperatorKind::kRightOuterJoin || kind == OperatorKind::kFullOuterJoin;
  if (left.empty() && right.empty()) return;
  if (right.empty()) {
    if (keep_left) {
      for (const Value& v : left) output->push_back(Value::Pair(key, Value::Pair(v, Value())));
    }
    return;
  }
  if (left.empty()) {
    if (keep_right) {
      for (const Value& w : right) output->push_back(Value::Pair(key, Value::Pair(Value(), w)));
    }
    return;
  }
  for (const Value& v : left) {
    for (const Value& w : right) output->push_back(Value::Pair(key, Value::Pair(v, w)));
  }
}

RddPtr CoGroup(OperatorKind kind, const RddPtr& left, const RddPtr& right, int partitions) {
  return CoGroupRdds(
      OperatorName(kind), {left, right}, partitions,
      [kind](const Value& key, std::vector<Values>& sides, Values* output, TaskContext&) {
        if (kind == OperatorKind::kCogroup) {
          output->push_back(Value::Pair(key, Value::Pair(Value::List(std::move(sides[0])),
                                                         Value::List(std::move(sides[1])))));
        } else {
          EmitJoined(kind, key, sides[0], sides[1], output);
        }
      });
}

RddPtr Repartition(const RddPtr& input, int partitions) {
  auto dependency = std::make_shared<ShuffleDependency>();
  dependency->shuffle_id = NextShuffleId();
  dependency->parent = input;
  dependency->reduce_partitions = partitions;
  // Round-robin from a start that depends on the map partition, as Spark's repartition does (Spark
  // draws the start at random from the partition index; ours is the index itself).
  dependency->partition_of = [partitions](const Value&, int map_partition, int index) {
    return (map_partition + index) % partitions;
  };
  return std::make_shared<ShuffledRdd>(
      "repartition", partitions, std::vector<ShuffleDependencyPtr>{dependency},
      [](std::vector<Values> inputs, TaskContext&) { return std::move(inputs[0]); });
}

// Gathers every partition's single partial result into one partition and folds them.
RddPtr GatherToOne(const RddPtr& partials, const char* name, ShuffledRdd::Reducer fold) {
  auto dependency = std::make_shared<ShuffleDependency>();
  dependency->shuffle_id = NextShuffleId();
  dependency->parent = partials;
  dependency->reduce_partitions = 1;
  dependency->partition_of = [](const Value&, int, int) { return 0; };
  return std::make_shared<ShuffledRdd>(name, 1, std::vector<ShuffleDependencyPtr>{dependency},
                                       std::move(fold));
}

Values ReduceAll(const Values& values, const Expression& reduce, TaskContext& context) {
  context.AddRecordWork(context.cost().record_aggregate, values.size());
  if (values.empty()) return {};
  Value accumulator = values[0];
  for (size_t i = 1; i < values.size(); ++i) {
    Bindings bindings;
    bindings.a = &accumulator;
    bindings.b = &values[i];
    accumulator = reduce.Evaluate(bindings);
  }
  return {accumulator};
}

RddPtr Count(const RddPtr& input) {
  auto partials = Narrow(input, OperatorKind::kCount, [](Values records, TaskContext& context) {
    context.AddRecordWork(context.cost().record_map, records.size());
    return Values{Value::Int(static_cast<int64_t>(records.size()))};
  });
  return GatherToOne(partials, "count", [](std::vector<Values> inputs, TaskContext&) {
    int64_t total = 0;
    for (const Value& partial : inputs[0]) total += partial.AsInt();
    return Values{Value::Int(total)};  // an empty batch counts [0], as in Spark
  });
}

RddPtr Reduce(const RddPtr& input, const Expression& reduce) {
  auto partials =
      Narrow(input, OperatorKind::kReduce, [reduce](Values records, TaskContext& context) {
        return ReduceAll(records, reduce, context);
      });
  return GatherToOne(
      partials, "reduce", [reduce](std::vector<Values> inputs, TaskContext& context) {
        return ReduceAll(inputs[0], reduce, context);  // an empty batch emits nothing
      });
}

RddPtr CountByValue(const RddPtr& input, int partitions) {
  auto pairs = Narrow(input, OperatorKind::kCountByValue, [](Values records, TaskContext& context) {
    context.AddRecordWork(context.cost().record_map, records.size());
    Values output;
    output.reserve(records.size());
    for (Value& record : records) output.push_back(Value::Pair(std::move(record), Value::Int(1)));
    return output;
  });
  return ReduceByKey(pairs, FixedExpression("a + b"), partitions);
}

const RddPtr& Other(const Operator& op, const std::vector<RddPtr>& others) {
  return others.at(static_cast<size_t>(op.other));
}

}  // namespace

bool OperatorKindFromName(const std::string& name, OperatorKind* kind) {
  for (const auto& [candidate, value] : kOperatorNames) {
    if (name == candidate) {
      *kind = value;
      return true;
    }
  }
  return false;
}

const char* OperatorName(OperatorKind kind) {
  for (const auto& [name, value] : kOperatorNames) {
    if (value == kind) return name;
  }
  return "?";
}

const Value& PairKey(const Value& record, const char* operator_name) {
  if (record.kind() != Value::Kind::kTuple || record.Items().size() != 2) {
    throw EvalError(std::string(operator_name) + " needs (key, value) pairs, got " +
                    record.ToDisplayString());
  }
  return record.Items()[0];
}

const Value& PairValue(const Value& record, const char* operator_name) {
  PairKey(record, operator_name);
  return record.Items()[1];
}

int HashPartition(const Value& key, int partitions) {
  return static_cast<int>(key.Hash() % static_cast<uint64_t>(partitions));
}

RddPtr ApplyOperator(const Operator& op, const RddPtr& input, const std::vector<RddPtr>& others,
                     const OperatorEnvironment& environment) {
  switch (op.kind) {
    case OperatorKind::kMap:
    case OperatorKind::kFilter:
    case OperatorKind::kFlatMap:
    case OperatorKind::kMapValues:
    case OperatorKind::kFlatMapValues:
      return Narrow(input, op.kind, ElementFunction(op.kind, *op.func));
    case OperatorKind::kMapPartitions:
      return Narrow(input, op.kind, MapPartitionsFunction(*op.func));
    case OperatorKind::kRepartition:
      return Repartition(input, PartitionsFor(op, environment));
    case OperatorKind::kReduceByKey:
      return ReduceByKey(input, *op.func, PartitionsFor(op, environment));
    case OperatorKind::kGroupByKey:
      return GroupByKey(input, PartitionsFor(op, environment));
    case OperatorKind::kCountByValue:
      return CountByValue(input, PartitionsFor(op, environment));
    case OperatorKind::kCount:
      return Count(input);
    case OperatorKind::kReduce:
      return Reduce(input, *op.func);
    case OperatorKind::kJoin:
    case OperatorKind::kLeftOuterJoin:
    case OperatorKind::kRightOuterJoin:
    case OperatorKind::kFullOuterJoin:
    case OperatorKind::kCogroup:
      return CoGroup(op.kind, input, Other(op, others), PartitionsFor(op, environment));
    case OperatorKind::kUnion:
      return std::make_shared<UnionRdd>("union", std::vector<RddPtr>{input, Other(op, others)});
    case OperatorKind::kTransform:
    case OperatorKind::kTransformWith:
      return ApplyChain(op.ops, input, others, environment);
  }
  return input;
}

RddPtr ApplyChain(const std::vector<Operator>& chain, RddPtr input,
                  const std::vector<RddPtr>& others, const OperatorEnvironment& environment) {
  for (const Operator& op : chain) input = ApplyOperator(op, input, others, environment);
  return input;
}

RddPtr CoGroupRdds(std::string name, const std::vector<RddPtr>& rdds, int partitions,
                   CoGroupMerge merge) {
  auto shared_name = std::make_shared<const std::string>(name);
  std::vector<ShuffleDependencyPtr> shuffles;
  for (const RddPtr& rdd : rdds)
    shuffles.push_back(HashShuffle(rdd, partitions, shared_name->c_str()));
  const size_t sides_count = rdds.size();
  return std::make_shared<ShuffledRdd>(
      name, partitions, std::move(shuffles),
      [shared_name, sides_count, merge](std::vector<Values> inputs, TaskContext& context) {
        Values output;
        for (auto& [key, sides] : GroupSides(inputs, shared_name->c_str(), context)) {
          sides.resize(sides_count);
          merge(key, sides, &output, context);
        }
        return output;
      });
}

RddPtr PartitionByKey(const RddPtr& input, int partitions, const char* operator_name) {
  auto shuffle = HashShuffle(input, partitions, operator_name);
  return std::make_shared<ShuffledRdd>(
      "partitionBy", partitions, std::vector<ShuffleDependencyPtr>{shuffle},
      [](std::vector<Values> inputs, TaskContext&) { return std::move(inputs[0]); });
}

RddPtr MapPartitionsOf(const RddPtr& input, std::string name, MapPartitionsRdd::Function function) {
  return std::make_shared<MapPartitionsRdd>(std::move(name), input, std::move(function));
}

Expression FixedExpression(const char* text) {
  auto parsed = Expression::Parse(text);
  STREAMSIM_ASSERT(parsed.ok(), std::string("an engine expression does not parse: ") + text);
  return std::move(parsed.value());
}

RddPtr ReduceByKeyRdd(const RddPtr& input, const Expression& reduce, int partitions) {
  return ReduceByKey(input, reduce, partitions);
}

}  // namespace streamsim::engine
