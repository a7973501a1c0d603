// A chain of element operators (map, filter, flatMap) of one stream, with the reduceByKey right
// after them if there is one, computed record by record: each record goes through the whole chain
// before the next one, so that no batch between two operators is made, and a map to (x, literal)
// that feeds the reduceByKey makes no pair. Functions of the shapes records/expression_shape.h
// names are computed without the evaluator. The result is that of the operators applied one after
// the other (element operators compose record by record); when a function fails on the batch, it
// is computed again operator by operator, so that the failure is the one the first operator to
// fail on the batch gives. Internal to the oracle.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "checker/oracle_node.h"
#include "checker/pipeline.h"
#include "records/value.h"

namespace streamsim::checker::oracle {

// Whether `name` is map, filter or flatMap.
bool IsElementOperator(const std::string& name);

// The end of the chain that starts at ops[begin]: past its element operators and the reduceByKey
// right after them. `begin` itself when ops[begin] is not an element operator.
size_t ChainEnd(const std::vector<OperatorModel>& ops, size_t begin);

// `chain` applied to `input`. REQUIRES: a chain as ChainEnd delimits, each operator with its
// function. Throws records::EvalError.
records::Values ChainRecords(const std::vector<OperatorModel>& chain, const records::Values& input);

// A node applying `chain` to each batch of `input` (same slide); a failed batch stays failed.
// REQUIRES: as ChainRecords; aborts otherwise.
Node* AddChainNode(Dataflow* dataflow, const Node* input, std::vector<OperatorModel> chain);

}  // namespace streamsim::checker::oracle
