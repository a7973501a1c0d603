// Failure carrying, expression calls and pair access shared by the oracle's operator families.
#include "checker/oracle_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "records/expression_shape.h"

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

ReduceFunction::ReduceFunction(const records::Expression& reduce)
    : reduce_(reduce), sum_(reduce.Shape().kind == records::ExpressionShape::Kind::kSumOfAAndB) {}

records::Value ReduceFunction::operator()(const records::Value& a, const records::Value& b) const {
  records::Value sum;
  if (sum_ && records::SumInts(a, b, &sum)) return sum;
  return CallReduce(reduce_, a, b);
}

const records::Value* Memo::Find(const records::Value& argument) {
  if (!on_) return nullptr;
  ++lookups_;
  const auto found = results_.find(argument);
  if (found != results_.end()) {
    ++hits_;
    return &found->second;
  }
  if (lookups_ == kMemoTrial && hits_ * 2 < lookups_) {
    on_ = false;
    results_.clear();
  }
  return nullptr;
}

const records::Value& Memo::Keep(const records::Value& argument, records::Value result) {
  if (!on_) return last_ = std::move(result);
  return results_.insert_or_assign(argument, std::move(result)).first->second;
}

void KeyedReduction::Add(const records::Value& key, const records::Value& value) {
  if (key.kind() == records::Value::Kind::kString) return AddText(key.AsString(), value);
  auto [it, inserted] = reduced_.try_emplace(key, value);
  if (!inserted) it->second = reduce_(it->second, value);
}

void KeyedReduction::AddText(std::string_view key, const records::Value& value) {
  const auto found = reduced_texts_.find(key);
  if (found == reduced_texts_.end()) {
    reduced_texts_.emplace(std::string(key), value);
  } else {
    found->second = reduce_(found->second, value);
  }
}

records::Values KeyedReduction::Pairs() const {
  std::vector<std::pair<records::Value, const records::Value*>> pairs;
  pairs.reserve(reduced_.size() + reduced_texts_.size());
  for (const auto& [key, value] : reduced_) pairs.emplace_back(key, &value);
  for (const auto& [key, value] : reduced_texts_) {
    pairs.emplace_back(records::Value::String(key), &value);
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  records::Values output;
  output.reserve(pairs.size());
  for (const auto& [key, value] : pairs) output.push_back(records::Value::Pair(key, *value));
  return output;
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

const records::Values& SequenceResult(const records::Value& result,
                                      const std::string& operator_name) {
  if (!result.is_sequence()) {
    throw records::EvalError(operator_name + " must return a list or tuple, got " +
                             KindName(result.kind()));
  }
  return result.Items();
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
