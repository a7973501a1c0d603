// Stateless operators on RDDs: the building blocks of every batch's computation. A stateless
// DStream operation applies one of these to the RDD of each batch; transform and transformWith
// apply a whole chain of them. Operators that name another stream (union, joins, cogroup) receive
// that stream's RDD for the same batch time through `others`, by index.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/cost_model.h"
#include "engine/core/rdd.h"
#include "engine/core/records_and_ledger.h"
#include "records/expression.h"

namespace streamsim::engine {

enum class OperatorKind {
  kMap,
  kFilter,
  kFlatMap,
  kMapPartitions,
  kMapValues,
  kFlatMapValues,
  kRepartition,
  kReduceByKey,
  kGroupByKey,
  kCountByValue,
  kCount,
  kReduce,
  kJoin,
  kLeftOuterJoin,
  kRightOuterJoin,
  kFullOuterJoin,
  kCogroup,
  kUnion,
  kTransform,
  kTransformWith,
};

// Parses Spark's operator name ("reduceByKey"); false when it is not a stateless operator.
bool OperatorKindFromName(const std::string& name, OperatorKind* kind);
const char* OperatorName(OperatorKind kind);

struct Operator {
  Operator() = default;
  explicit Operator(OperatorKind kind_in, std::optional<Expression> func_in = std::nullopt)
      : kind(kind_in), func(std::move(func_in)) {}

  OperatorKind kind = OperatorKind::kMap;
  std::optional<Expression> func;  // element or reduce function, when the operator has one
  int partitions = 0;              // 0: the cluster's default parallelism
  int other = -1;                  // index into `others` for binary operators
  std::vector<Operator> ops;       // transform / transformWith
};

struct OperatorEnvironment {
  const CostModel* cost = nullptr;
  int default_parallelism = 2;
};

// Builds the RDD of `op` applied to `input`. REQUIRES: `others` holds every index the operator
// (or its nested chain) refers to.
RddPtr ApplyOperator(const Operator& op, const RddPtr& input, const std::vector<RddPtr>& others,
                     const OperatorEnvironment& environment);
RddPtr ApplyChain(const std::vector<Operator>& chain, RddPtr input,
                  const std::vector<RddPtr>& others, const OperatorEnvironment& environment);

// Keyed helpers shared with stateful operators: the key and value of a pair record, or an
// EvalError naming the operator when the record is not a pair.
const Value& PairKey(const Value& record, const char* operator_name);
const Value& PairValue(const Value& record, const char* operator_name);
// Non-negative hash partition of a key.
int HashPartition(const Value& key, int partitions);

// Building blocks shared with the windowed and stateful streams.
RddPtr ReduceByKeyRdd(const RddPtr& input, const Expression& reduce, int partitions);
// Cogroups pair RDDs by key into `partitions` hash partitions. For each key, in key order, calls
// `merge(key, sides, output)`, where sides[i] holds rdds[i]'s values for the key in arrival order.
using CoGroupMerge = std::function<void(const Value& key, std::vector<Values>& sides,
                                        Values* output, TaskContext& context)>;
RddPtr CoGroupRdds(std::string name, const std::vector<RddPtr>& rdds, int partitions,
                   CoGroupMerge merge);
// Hash-partitions pair records by key into `partitions` partitions, keeping their arrival order
// within each partition (partitionBy).
RddPtr PartitionByKey(const RddPtr& input, int partitions, const char* operator_name);
// A narrow operator from a function over each partition.
RddPtr MapPartitionsOf(const RddPtr& input, std::string name, MapPartitionsRdd::Function function);
// An expression that must parse (the engine's own fixed expressions, like "a + b").
Expression FixedExpression(const char* text);

}  // namespace streamsim::engine
