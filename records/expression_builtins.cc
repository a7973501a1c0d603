// The built-in functions of the expression language (expression_builtins.h). Each checks the kinds
// of its arguments and fails with EvalError naming the function; each result sequence is checked
// against the size limit before it is built. Case mapping and number parsing are
// locale-independent, so every build agrees.
#include "records/expression_builtins.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "records/expression_evaluator.h"

namespace streamsim::records::expression_internal {
namespace {

[[noreturn]] void FailArgument(Function function, std::string_view expected, const Value& got) {
  Fail(fmt::format("{}() needs {}, got {}", InfoOf(function).name, expected, KindName(got.kind())));
}

const std::string& StringArgument(Function function, const Value& argument) {
  if (argument.kind() != Value::Kind::kString) FailArgument(function, "a string", argument);
  return argument.AsString();
}

const Values& SequenceArgument(Function function, const Value& argument) {
  if (!argument.is_sequence()) FailArgument(function, "a list or tuple", argument);
  return argument.Items();
}

Value Length(const Value& argument) {
  if (argument.kind() == Value::Kind::kString) {
    return Value::Int(static_cast<int64_t>(argument.AsString().size()));
  }
  if (argument.is_sequence()) return Value::Int(static_cast<int64_t>(argument.Items().size()));
  FailArgument(Function::kLen, "a string, list or tuple", argument);
}

Value Contains(const Value& haystack, const Value& needle) {
  if (haystack.kind() == Value::Kind::kString) {
    const std::string& part = StringArgument(Function::kContains, needle);
    return Value::Bool(haystack.AsString().find(part) != std::string::npos);
  }
  if (!haystack.is_sequence()) {
    FailArgument(Function::kContains, "a string, list or tuple", haystack);
  }
  for (const Value& item : haystack.Items()) {
    if (item == needle) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Value StartsOrEndsWith(Function function, const Value& text_value, const Value& affix_value) {
  const std::string& text = StringArgument(function, text_value);
  const std::string& affix = StringArgument(function, affix_value);
  if (affix.size() > text.size()) return Value::Bool(false);
  const size_t start = function == Function::kStartsWith ? 0 : text.size() - affix.size();
  return Value::Bool(text.compare(start, affix.size(), affix) == 0);
}

// Splits on every occurrence of the exact separator, keeping empty fields: split("a,,b", ",") is
// ["a", "", "b"].
Value Split(const Value& text_value, const Value& separator_value) {
  const std::string& text = StringArgument(Function::kSplit, text_value);
  const std::string& separator = StringArgument(Function::kSplit, separator_value);
  if (separator.empty()) Fail("split() needs a non-empty separator");
  Values fields;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    CheckSequenceLength(fields.size() + 1);
    fields.push_back(Value::String(text.substr(start, end - start)));
    if (end == std::string::npos) break;
    start = end + separator.size();
  }
  return Value::List(std::move(fields));
}

// ASCII-only case mapping: locale-independent, so every build agrees.
Value ChangeCase(Function function, const Value& argument) {
  std::string text = StringArgument(function, argument);
  for (char& c : text) {
    if (function == Function::kLower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (function == Function::kUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return Value::String(std::move(text));
}

// Java's String.trim: strips bytes up to and including ' ' from both ends.
Value Trim(const Value& argument) {
  const std::string& text = StringArgument(Function::kTrim, argument);
  auto is_blank = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && is_blank(text[begin])) ++begin;
  while (end > begin && is_blank(text[end - 1])) --end;
  return Value::String(text.substr(begin, end - begin));
}

int64_t ParseInt(const std::string& text) {
  std::string_view digits = text;
  if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-') digits.remove_prefix(1);
  int64_t result = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), result);
  if (error == std::errc::result_out_of_range) {
    Fail(fmt::format("to_int() of '{}' is out of range", text));
  }
  if (error != std::errc() || end != digits.data() + digits.size()) {
    Fail(fmt::format("to_int() cannot parse '{}'", text));
  }
  return result;
}

int64_t TruncateToInt(double d) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (std::isnan(d) || d >= kTwoTo63 || d < -kTwoTo63) {
    Fail(fmt::format("to_int() of {} is out of range", Value::Double(d).ToDisplayString()));
  }
  return static_cast<int64_t>(d);
}

Value ToInt(const Value& argument) {
  switch (argument.kind()) {
    case Value::Kind::kInt:
      return argument;
    case Value::Kind::kDouble:
      return Value::Int(TruncateToInt(argument.AsDouble()));
    case Value::Kind::kString:
      return Value::Int(ParseInt(argument.AsString()));
    default:
      FailArgument(Function::kToInt, "a string or a number", argument);
  }
}

double ParseDouble(const std::string& text) {
  double result = 0;
  const char* end_of_text = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), end_of_text, result);
  if (error != std::errc() || end != end_of_text) {
    Fail(fmt::format("to_double() cannot parse '{}'", text));
  }
  if (!std::isfinite(result)) Fail(fmt::format("to_double('{}') is not a finite number", text));
  return result;
}

Value ToDouble(const Value& argument) {
  if (argument.is_number()) return Value::Double(argument.AsDouble());
  if (argument.kind() == Value::Kind::kString) {
    return Value::Double(ParseDouble(argument.AsString()));
  }
  FailArgument(Function::kToDouble, "a string or a number", argument);
}

// Ints add as checked ints; once a double appears the sum continues in double.
Value Sum(const Value& argument) {
  Value total = Value::Int(0);
  for (const Value& item : SequenceArgument(Function::kSum, argument)) {
    if (!item.is_number()) FailArgument(Function::kSum, "numbers", item);
    total = Arithmetic(Op::kAdd, total, item);
  }
  return total;
}

Value Extreme(Function function, const Value& argument) {
  const Values& items = SequenceArgument(function, argument);
  if (items.empty()) return Value::Null();
  const Value* best = &items[0];
  for (const Value& item : items) {
    if (function == Function::kMin ? item < *best : item > *best) best = &item;
  }
  return *best;
}

Value Chars(const Value& argument) {
  const std::string& text = StringArgument(Function::kChars, argument);
  CheckSequenceLength(text.size());
  Values letters;
  letters.reserve(text.size());
  for (char c : text) letters.push_back(Value::String(std::string(1, c)));
  return Value::List(std::move(letters));
}

Value Range(const Value& start_value, const Value& end_value) {
  if (start_value.kind() != Value::Kind::kInt) FailArgument(Function::kRange, "ints", start_value);
  if (end_value.kind() != Value::Kind::kInt) FailArgument(Function::kRange, "ints", end_value);
  const int64_t start = start_value.AsInt();
  const int64_t end = end_value.AsInt();
  if (end <= start) return Value::List({});
  // end > start, so the difference is exact in uint64_t even when it overflows int64_t.
  const uint64_t length = static_cast<uint64_t>(end) - static_cast<uint64_t>(start);
  CheckSequenceLength(length);
  Values numbers;
  numbers.reserve(static_cast<size_t>(length));
  for (int64_t i = start; i < end; ++i) numbers.push_back(Value::Int(i));
  return Value::List(std::move(numbers));
}

Value Absolute(const Value& argument) {
  if (argument.kind() == Value::Kind::kInt && argument.AsInt() < 0) return Negate(argument);
  if (argument.kind() == Value::Kind::kInt) return argument;
  if (argument.kind() == Value::Kind::kDouble) return Value::Double(std::fabs(argument.AsDouble()));
  FailArgument(Function::kAbs, "a number", argument);
}

[[noreturn]] void FailWith(const Value& message) {
  if (message.kind() == Value::Kind::kString) Fail(message.AsString());
  Fail(message.ToDisplayString());
}

}  // namespace

// Applies an eager function to its evaluated arguments.
Value Apply(Function function, const std::array<const Value*, kCallArgumentsMax>& args,
            size_t count) {
  switch (function) {
    case Function::kLen:
      return Length(*args[0]);
    case Function::kContains:
      return Contains(*args[0], *args[1]);
    case Function::kStartsWith:
    case Function::kEndsWith:
      return StartsOrEndsWith(function, *args[0], *args[1]);
    case Function::kSplit:
      return Split(*args[0], *args[1]);
    case Function::kLower:
    case Function::kUpper:
      return ChangeCase(function, *args[0]);
    case Function::kTrim:
      return Trim(*args[0]);
    case Function::kToString:
      return Value::String(args[0]->ToDisplayString());
    case Function::kToInt:
      return ToInt(*args[0]);
    case Function::kToDouble:
      return ToDouble(*args[0]);
    case Function::kSum:
      return Sum(*args[0]);
    case Function::kCount:
      return Value::Int(static_cast<int64_t>(SequenceArgument(function, *args[0]).size()));
    case Function::kMin:
      return count == 2 ? (*args[1] < *args[0] ? *args[1] : *args[0]) : Extreme(function, *args[0]);
    case Function::kMax:
      return count == 2 ? (*args[1] > *args[0] ? *args[1] : *args[0]) : Extreme(function, *args[0]);
    case Function::kChars:
      return Chars(*args[0]);
    case Function::kRange:
      return Range(*args[0], *args[1]);
    case Function::kAbs:
      return Absolute(*args[0]);
    case Function::kFail:
      FailWith(*args[0]);
    case Function::kIf:
      break;  // lazy: handled by EvalCall
  }
  std::abort();
}

}  // namespace streamsim::records::expression_internal
