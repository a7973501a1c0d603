// The small helpers every family of the oracle's operators uses: making a failed batch, evaluating
// a batch so that an EvalError fails it, calling user and fixed expressions, reading pairs, and
// aborting on a broken precondition. Internal to the oracle.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
// A reduce function whose shape is looked at once: "a + b" on two ints is summed without the
// evaluator (records/expression_shape.h), anything else is evaluated.
class ReduceFunction {
 public:
  explicit ReduceFunction(const records::Expression& reduce);
  records::Value operator()(const records::Value& a, const records::Value& b) const;

 private:
  const records::Expression& reduce_;
  bool sum_;
};

struct ValueHash {
  size_t operator()(const records::Value& value) const { return static_cast<size_t>(value.Hash()); }
};

// A pure function's results by argument, for one batch: a word count maps the same few thousand
// words again and again. It gives up after kMemoTrial lookups that found less than half of their
// arguments (lines of a log, all different), so that it costs little where it does not help.
class Memo {
 public:
  static constexpr int64_t kMemoTrial = 32;
  // The result kept for `argument`; null when there is none.
  const records::Value* Find(const records::Value& argument);
  // Keeps `result` for `argument` and returns it (valid until the next Keep or Find).
  const records::Value& Keep(const records::Value& argument, records::Value result);

 private:
  bool on_ = true;
  int64_t lookups_ = 0;
  int64_t hits_ = 0;
  std::unordered_map<records::Value, records::Value, ValueHash> results_;
  records::Value last_;
};

// reduceByKey's result: each key's values reduced in arrival order, found by hash (a word count's
// thousands of words), given as (key, value) pairs in key order. Text keys are kept as text, so
// that a word from a split line is found without making a Value of it.
class KeyedReduction {
 public:
  explicit KeyedReduction(const records::Expression& reduce) : reduce_(reduce) {}
  void Add(const records::Value& key, const records::Value& value);
  // Add(Value::String(key), value).
  void AddText(std::string_view key, const records::Value& value);
  records::Values Pairs() const;

 private:
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  ReduceFunction reduce_;
  std::unordered_map<records::Value, records::Value, ValueHash> reduced_;  // keys not text
  std::unordered_map<std::string, records::Value, TextHash, std::equal_to<>> reduced_texts_;
};

// The key and value of a pair record; throws EvalError naming `operator_name` otherwise.
const records::Value& KeyOf(const records::Value& record, const std::string& operator_name);
const records::Value& ValueOf(const records::Value& record, const std::string& operator_name);
// The items of a flatMap-like function's result; throws EvalError naming `operator_name` when it
// is not a list or tuple.
const records::Values& SequenceResult(const records::Value& result,
                                      const std::string& operator_name);
// A bool result of a filter-like function; throws EvalError naming `what` otherwise.
bool BoolResult(const records::Value& result, const std::string& what);

// An expression the oracle itself uses ("a + b"). Aborts when it does not parse.
records::Expression FixedExpression(const char* text);

// A broken precondition of the oracle (an invalid pipeline or inputs): prints and aborts.
[[noreturn]] void Die(const std::string& message);

}  // namespace streamsim::checker::oracle
