// The oracle's stateless operators: what map, filter, reduceByKey, the joins, transform and the
// rest make of one batch's records, and the dataflow node that applies one to each batch of its
// input. Each is a plain loop over a vector; keyed results come out in key order. User expressions
// throw records::EvalError, which fails the batch.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "checker/oracle_node.h"
#include "checker/pipeline.h"
#include "records/value.h"

namespace streamsim::checker::oracle {

// Another stream's records at the batch time being computed (empty when that stream has no RDD
// then). Throws records::EvalError with that batch's failure message when it failed, so that the
// failure reaches the batch that uses it.
using OtherRecords = std::function<records::Values(const std::string& name)>;
// The nodes of the other streams an operator reads, by stream name.
using OtherStreams = std::map<std::string, const Node*>;

// Whether `name` works on one batch (map ... transformWith), as opposed to a window or state.
bool IsBatchOperator(const std::string& name);

// `op` applied to one batch. `others` serves union, the joins, cogroup and nested chains.
// REQUIRES: IsBatchOperator(op.name). Throws records::EvalError.
records::Values ApplyBatchOperator(const OperatorModel& op, const records::Values& input,
                                   const OtherRecords& others);
records::Values ApplyBatchChain(const std::vector<OperatorModel>& chain, records::Values input,
                                const OtherRecords& others);

// The names of the streams `op` reads besides its input: op.other and those of its nested ops.
void AddOtherStreams(const OperatorModel& op, std::set<std::string>* names);

// A node applying `op` to each batch of `input` (same slide); a failed batch stays failed.
// `others` holds every stream AddOtherStreams names, created before this node.
// REQUIRES: IsBatchOperator(op.name) and of its nested ops, with the functions they need; aborts
// otherwise.
Node* AddBatchNode(Dataflow* dataflow, const Node* input, OperatorModel op,
                   OtherStreams others = {});
// An operator the oracle builds itself: `name` with the function `func_text` (or none).
OperatorModel FixedOperator(const char* name, const char* func_text = nullptr);

}  // namespace streamsim::checker::oracle
