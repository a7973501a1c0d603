// Helpers of the expression tests (expression*_test.cc): parse or fail the test, evaluate, show a
// result as its display string, and the exact text of an evaluation or parse error.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "records/expression.h"
#include "records/value.h"

namespace streamsim::records::testing {

inline constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

inline Expression MustParse(std::string_view text) {
  auto parsed = Expression::Parse(text);
  if (parsed.ok()) return std::move(parsed.value());
  const ExpressionError& error = parsed.error();
  ADD_FAILURE() << text << ": " << error.message << " at " << error.line << ":" << error.column;
  return std::move(Expression::Parse("fail('did not parse')").value());
}

inline Value Eval(std::string_view text, const Bindings& bindings = {}) {
  return MustParse(text).Evaluate(bindings);
}

// The display string keeps assertions on nested results short; kinds are checked separately.
inline std::string Show(std::string_view text, const Bindings& bindings = {}) {
  return Eval(text, bindings).ToDisplayString();
}

inline std::string EvalErrorOf(std::string_view text, const Bindings& bindings = {}) {
  const Expression expression = MustParse(text);
  try {
    const Value value = expression.Evaluate(bindings);
    return "no error, got " + value.ToDisplayString();
  } catch (const EvalError& error) {
    return error.what();
  }
}

// "line:column: message", or "parsed" when the text parses.
inline std::string ParseErrorOf(std::string_view text) {
  const auto parsed = Expression::Parse(text);
  if (parsed.ok()) return "parsed";
  const ExpressionError& error = parsed.error();
  return std::to_string(error.line) + ":" + std::to_string(error.column) + ": " + error.message;
}

inline Value Ints(std::initializer_list<int64_t> numbers) {
  Values items;
  for (int64_t number : numbers) items.push_back(Value::Int(number));
  return Value::List(std::move(items));
}

}  // namespace streamsim::records::testing
