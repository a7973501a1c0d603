// The small helpers every family of the oracle's operators uses: making a failed batch, evaluating
// a batch so that an EvalError fails it, calling user and fixed expressions, reading pairs, and
// aborting on a broken precondition. Internal to the oracle.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checker/oracle.h"
#include "records/expression.h"
#include "records/value.h"

namespace streamsim::checker::oracle {

// The failure message of the oldest failed batch among `batches`, if any.
std::optional<std::string> FirstFailure(const std::vector<const OracleBatch*>& batches);

OracleBatch FailedBatch(std::string message);
// Runs `compute`; a thrown records::EvalError becomes a failed batch with its message.
OracleBatch EvaluateBatch(const std::function<records::Values()>& compute);

// a and b of a reduce function.
records::Value CallReduce(const records::Expression& reduce, const records::Value& a,
                          const records::Value& b);
// The key and value of a pair record; throws EvalError naming `operator_name` otherwise.
const records::Value& KeyOf(const records::Value& record, const std::string& operator_name);
const records::Value& ValueOf(const records::Value& record, const std::string& operator_name);
// A bool result of a filter-like function; throws EvalError naming `what` otherwise.
bool BoolResult(const records::Value& result, const std::string& what);

// An expression the oracle itself uses ("a + b"). Aborts when it does not parse.
records::Expression FixedExpression(const char* text);

// A broken precondition of the oracle (an invalid pipeline or inputs): prints and aborts.
[[noreturn]] void Die(const std::string& message);

}  // namespace streamsim::checker::oracle
