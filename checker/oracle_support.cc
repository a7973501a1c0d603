// Failure carrying, expression calls and pair access shared by the oracle's operator families.
#include "checker/oracle_support.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace streamsim::checker::oracle {

std::optional<std::string> FirstFailure(const std::vector<const OracleBatch*>& batches) {
  for (const OracleBatch* batch : batches) {
    if (batch->failed()) return batch->failure;
  }
  return std::nullopt;
}

OracleBatch FailedBatch(std::string message) {
  OracleBatch batch;
  batch.failure = std::move(message);
  return batch;
}

OracleBatch EvaluateBatch(const std::function<records::Values()>& compute) {
  try {
    return OracleBatch{compute(), std::nullopt};
  } catch (const records::EvalError& error) {
    return FailedBatch(error.what());
  }
}

records::Value CallReduce(const records::Expression& reduce, const records::Value& a,
                          const records::Value& b) {
  records::Bindings bindings;
  bindings.a = &a;
  bindings.b = &b;
  return reduce.Evaluate(bindings);
}

const records::Value& KeyOf(const records::Value& record, const std::string& operator_name) {
  if (record.kind() != records::Value::Kind::kTuple || record.Items().size() != 2) {
    throw records::EvalError(operator_name + " needs (key, value) pairs, got " +
                             record.ToDisplayString());
  }
  return record.Items()[0];
}

const records::Value& ValueOf(const records::Value& record, const std::string& operator_name) {
  KeyOf(record, operator_name);
  return record.Items()[1];
}

bool BoolResult(const records::Value& result, const std::string& what) {
  if (result.kind() != records::Value::Kind::kBool) {
    throw records::EvalError(what + " must return a bool, got " + KindName(result.kind()));
  }
  return result.AsBool();
}

records::Expression FixedExpression(const char* text) {
  auto parsed = records::Expression::Parse(text);
  if (!parsed.ok()) Die(std::string("the oracle's own expression does not parse: ") + text);
  return std::move(parsed.value());
}

void Die(const std::string& message) {
  std::fprintf(stderr, "streamsim: oracle: %s\n", message.c_str());
  std::abort();
}

}  // namespace streamsim::checker::oracle
