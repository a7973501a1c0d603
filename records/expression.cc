// Expressions: a lexer, a recursive-descent parser that builds a tree with names already resolved
// to binding slots and function names to ids (so evaluation does no string lookups), constant
// folding of parts that use no names, and a tree-walking evaluator. Every result sequence and
// string has a maximum size, and tree depth is capped, so evaluation stays bounded in memory and
// stack. Inside the parser an internal ParseFailure exception carries the first error up to
// Parse(), which turns it into an ExpressionError; it never escapes this file.
#include "records/expression.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace streamsim::records {
namespace {

constexpr size_t kSequenceLengthMax = 1'000'000;      // elements in any list or tuple produced
constexpr size_t kStringBytesMax = 16 * 1024 * 1024;  // bytes in any string produced
constexpr int kTreeDepthMax = 256;                    // nesting of the parsed tree
constexpr size_t kCallArgumentsMax = 3;

// The bindable names, in Bindings field order: the index is the slot and the bit in names_used_.
struct NameSlot {
  std::string_view name;
  const Value* Bindings::*member;
};
constexpr std::array<NameSlot, 9> kNameSlots = {{
    {"x", &Bindings::x},
    {"a", &Bindings::a},
    {"b", &Bindings::b},
    {"values", &Bindings::values},
    {"state", &Bindings::state},
    {"k", &Bindings::k},
    {"v", &Bindings::v},
    {"xs", &Bindings::xs},
    {"timing_out", &Bindings::timing_out},
}};

int FindNameSlot(std::string_view name) {
  for (size_t slot = 0; slot < kNameSlots.size(); ++slot) {
    if (kNameSlots[slot].name == name) return static_cast<int>(slot);
  }
  return -1;
}

enum class Function {
  kIf,
  kLen,
  kContains,
  kStartsWith,
  kEndsWith,
  kSplit,
  kLower,
  kUpper,
  kTrim,
  kToString,
  kToInt,
  kToDouble,
  kSum,
  kCount,
  kMin,
  kMax,
  kChars,
  kRange,
  kAbs,
  kFail,
};

struct FunctionInfo {
  std::string_view name;
  Function function;
  size_t arguments_min;
  size_t arguments_max;
};
constexpr std::array<FunctionInfo, 20> kFunctions = {{
    {"if", Function::kIf, 3, 3},
    {"len", Function::kLen, 1, 1},
    {"contains", Function::kContains, 2, 2},
    {"starts_with", Function::kStartsWith, 2, 2},
    {"ends_with", Function::kEndsWith, 2, 2},
    {"split", Function::kSplit, 2, 2},
    {"lower", Function::kLower, 1, 1},
    {"upper", Function::kUpper, 1, 1},
    {"trim", Function::kTrim, 1, 1},
    {"to_string", Function::kToString, 1, 1},
    {"to_int", Function::kToInt, 1, 1},
    {"to_double", Function::kToDouble, 1, 1},
    {"sum", Function::kSum, 1, 1},
    {"count", Function::kCount, 1, 1},
    {"min", Function::kMin, 1, 2},
    {"max", Function::kMax, 1, 2},
    {"chars", Function::kChars, 1, 1},
    {"range", Function::kRange, 2, 2},
    {"abs", Function::kAbs, 1, 1},
    {"fail", Function::kFail, 1, 1},
}};

// InfoOf indexes the table by the enum, so the two must list functions in the same order.
constexpr bool FunctionTableFollowsEnum() {
  for (size_t i = 0; i < kFunctions.size(); ++i) {
    if (static_cast<size_t>(kFunctions[i].function) != i) return false;
  }
  return true;
}
static_assert(FunctionTableFollowsEnum());

const FunctionInfo* FindFunction(std::string_view name) {
  for (const FunctionInfo& info : kFunctions) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

const FunctionInfo& InfoOf(Function function) { return kFunctions[static_cast<size_t>(function)]; }

enum class Op {
  kConstant,
  kName,
  kTuple,
  kList,
  kIndex,
  kNegate,
  kNot,
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAnd,
  kOr,
  kCall,
};

}  // namespace

struct Expression::Node {
  Op op = Op::kConstant;
  Value constant;                     // kConstant
  int slot = -1;                      // kName
  Function function = Function::kIf;  // kCall
  int depth = 1;                      // of the subtree, bounded by kTreeDepthMax
  std::vector<Node> children;
};

namespace {

using Node = Expression::Node;

// ---------------------------------------------------------------------------------------------
// Evaluation.

[[noreturn]] void Fail(std::string message) { throw EvalError(std::move(message)); }

[[noreturn]] void FailArgument(Function function, std::string_view expected, const Value& got) {
  Fail(fmt::format("{}() needs {}, got {}", InfoOf(function).name, expected, KindName(got.kind())));
}

[[noreturn]] void FailOperands(std::string_view op, const Value& left, const Value& right) {
  Fail(fmt::format("'{}' cannot combine {} and {}", op, KindName(left.kind()),
                   KindName(right.kind())));
}

void CheckSequenceLength(uint64_t length) {
  if (length > kSequenceLengthMax) {
    Fail(fmt::format("result would have more than {} elements", kSequenceLengthMax));
  }
}

void CheckStringBytes(size_t bytes) {
  if (bytes > kStringBytesMax) {
    Fail(fmt::format("result would be a string longer than {} bytes", kStringBytesMax));
  }
}

const Value& Eval(const Node& node, const Bindings& bindings, Value& scratch);

// Evaluates into an owned value, moving out of the scratch when the result landed there.
Value EvalToValue(const Node& node, const Bindings& bindings) {
  Value scratch;
  const Value& result = Eval(node, bindings, scratch);
  if (&result == &scratch) return scratch;  // implicitly moved
  return result;
}

bool EvalBool(const Node& node, const Bindings& bindings, std::string_view context) {
  Value scratch;
  const Value& result = Eval(node, bindings, scratch);
  if (result.kind() != Value::Kind::kBool) {
    Fail(fmt::format("{} needs a bool, got {}", context, KindName(result.kind())));
  }
  return result.AsBool();
}

const Value& LookUpName(int slot, const Bindings& bindings) {
  const Value* bound = bindings.*kNameSlots[slot].member;
  if (bound == nullptr) Fail(fmt::format("name '{}' is not bound here", kNameSlots[slot].name));
  return *bound;
}

Values EvalElements(const Node& node, const Bindings& bindings) {
  Values items;
  items.reserve(node.children.size());
  for (const Node& child : node.children) items.push_back(EvalToValue(child, bindings));
  return items;
}

// Resolves a possibly negative index against a length, failing when out of range.
size_t ResolveIndex(const Value& index, size_t length, const Value& container) {
  if (index.kind() != Value::Kind::kInt) {
    Fail(fmt::format("index must be an int, got {}", KindName(index.kind())));
  }
  const int64_t raw = index.AsInt();
  const auto signed_length = static_cast<int64_t>(length);
  const int64_t resolved = raw < 0 ? raw + signed_length : raw;
  if (resolved < 0 || resolved >= signed_length) {
    Fail(fmt::format("index {} out of range for {} of length {}", raw, KindName(container.kind()),
                     length));
  }
  return static_cast<size_t>(resolved);
}

Value Index(const Value& container, const Value& index) {
  if (container.kind() == Value::Kind::kString) {
    const std::string& text = container.AsString();
    return Value::String(std::string(1, text[ResolveIndex(index, text.size(), container)]));
  }
  if (container.is_sequence()) {
    const Values& items = container.Items();
    return items[ResolveIndex(index, items.size(), container)];
  }
  Fail(fmt::format("only tuples, lists and strings can be indexed, not {}",
                   KindName(container.kind())));
}

Value Negate(const Value& operand) {
  if (operand.kind() == Value::Kind::kInt) {
    int64_t result;
    if (__builtin_sub_overflow(int64_t{0}, operand.AsInt(), &result)) Fail("integer overflow");
    return Value::Int(result);
  }
  if (operand.kind() == Value::Kind::kDouble) return Value::Double(-operand.AsDouble());
  Fail(fmt::format("'-' needs a number, got {}", KindName(operand.kind())));
}

int64_t IntArithmetic(Op op, int64_t left, int64_t right) {
  int64_t result = 0;
  bool overflow = false;
  switch (op) {
    case Op::kAdd:
      overflow = __builtin_add_overflow(left, right, &result);
      break;
    case Op::kSubtract:
      overflow = __builtin_sub_overflow(left, right, &result);
      break;
    case Op::kMultiply:
      overflow = __builtin_mul_overflow(left, right, &result);
      break;
    case Op::kDivide:
    case Op::kModulo:
      if (right == 0) Fail("division by zero");
      if (right == -1) {  // INT64_MIN / -1 overflows, and INT64_MIN % -1 is undefined in C++
        if (op == Op::kModulo) return 0;
        overflow = __builtin_sub_overflow(int64_t{0}, left, &result);
        break;
      }
      result = op == Op::kDivide ? left / right : left % right;
      break;
    default:
      std::abort();
  }
  if (overflow) Fail("integer overflow");
  return result;
}

double DoubleArithmetic(Op op, double left, double right) {
  switch (op) {
    case Op::kAdd:
      return left + right;
    case Op::kSubtract:
      return left - right;
    case Op::kMultiply:
      return left * right;
    case Op::kDivide:
    case Op::kModulo:
      if (right == 0) Fail("division by zero");
      return op == Op::kDivide ? left / right : std::fmod(left, right);
    default:
      std::abort();
  }
}

std::string_view OperatorText(Op op) {
  switch (op) {
    case Op::kAdd:
      return "+";
    case Op::kSubtract:
      return "-";
    case Op::kMultiply:
      return "*";
    case Op::kDivide:
      return "/";
    case Op::kModulo:
      return "%";
    default:
      return "?";
  }
}

Values Concatenate(const Values& left, const Values& right) {
  CheckSequenceLength(left.size() + right.size());
  Values items;
  items.reserve(left.size() + right.size());
  items.insert(items.end(), left.begin(), left.end());
  items.insert(items.end(), right.begin(), right.end());
  return items;
}

// '+' on two strings, two lists or two tuples; any other pair of one kind fails.
Value Join(const Value& left, const Value& right) {
  switch (left.kind()) {
    case Value::Kind::kString: {
      CheckStringBytes(left.AsString().size() + right.AsString().size());
      return Value::String(left.AsString() + right.AsString());
    }
    case Value::Kind::kList:
      return Value::List(Concatenate(left.Items(), right.Items()));
    case Value::Kind::kTuple:
      return Value::Tuple(Concatenate(left.Items(), right.Items()));
    default:
      FailOperands("+", left, right);
  }
}

Value Arithmetic(Op op, const Value& left, const Value& right) {
  if (left.kind() == Value::Kind::kInt && right.kind() == Value::Kind::kInt) {
    return Value::Int(IntArithmetic(op, left.AsInt(), right.AsInt()));
  }
  if (left.is_number() && right.is_number()) {
    return Value::Double(DoubleArithmetic(op, left.AsDouble(), right.AsDouble()));
  }
  if (op == Op::kAdd && left.kind() == right.kind() && !left.is_number()) return Join(left, right);
  if (op == Op::kAdd &&
      (left.kind() == Value::Kind::kString || right.kind() == Value::Kind::kString)) {
    Fail(fmt::format("'+' cannot combine {} and {} (convert with to_string)", KindName(left.kind()),
                     KindName(right.kind())));
  }
  FailOperands(OperatorText(op), left, right);
}

// An int and a double that denote the same number (1 and 1.0). The total order of Value keeps them
// apart (they are different keys, as in Spark); comparisons in expressions treat them as equal, as
// Scala's == does for numbers.
bool SameNumber(const Value& left, const Value& right) {
  if (!left.is_number() || !right.is_number() || left.kind() == right.kind()) return false;
  const int64_t i = left.kind() == Value::Kind::kInt ? left.AsInt() : right.AsInt();
  const double d = left.kind() == Value::Kind::kDouble ? left.AsDouble() : right.AsDouble();
  return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && static_cast<int64_t>(d) == i &&
         static_cast<double>(i) == d;
}

bool Compare(Op op, const Value& left, const Value& right) {
  const std::strong_ordering order =
      SameNumber(left, right) ? std::strong_ordering::equal : left <=> right;
  switch (op) {
    case Op::kEqual:
      return order == 0;
    case Op::kNotEqual:
      return order != 0;
    case Op::kLess:
      return order < 0;
    case Op::kLessEqual:
      return order <= 0;
    case Op::kGreater:
      return order > 0;
    case Op::kGreaterEqual:
      return order >= 0;
    default:
      std::abort();
  }
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

const Value& EvalCall(const Node& node, const Bindings& bindings, Value& scratch) {
  if (node.function == Function::kIf) {
    const bool condition = EvalBool(node.children[0], bindings, "if()");
    return Eval(node.children[condition ? 1 : 2], bindings, scratch);
  }
  std::array<Value, kCallArgumentsMax> argument_scratch;
  std::array<const Value*, kCallArgumentsMax> args{};
  const size_t count = node.children.size();
  for (size_t i = 0; i < count; ++i) {
    args[i] = &Eval(node.children[i], bindings, argument_scratch[i]);
  }
  scratch = Apply(node.function, args, count);
  return scratch;
}

const Value& EvalBinary(const Node& node, const Bindings& bindings, Value& scratch) {
  Value left_scratch;
  Value right_scratch;
  const Value& left = Eval(node.children[0], bindings, left_scratch);
  const Value& right = Eval(node.children[1], bindings, right_scratch);
  switch (node.op) {
    case Op::kIndex:
      scratch = Index(left, right);
      break;
    case Op::kAdd:
    case Op::kSubtract:
    case Op::kMultiply:
    case Op::kDivide:
    case Op::kModulo:
      scratch = Arithmetic(node.op, left, right);
      break;
    default:
      scratch = Value::Bool(Compare(node.op, left, right));
      break;
  }
  return scratch;
}

// Evaluates `node`. The result refers into the bindings or the tree when that avoids a copy, and
// otherwise is stored in `scratch`.
const Value& Eval(const Node& node, const Bindings& bindings, Value& scratch) {
  switch (node.op) {
    case Op::kConstant:
      return node.constant;
    case Op::kName:
      return LookUpName(node.slot, bindings);
    case Op::kTuple:
      scratch = Value::Tuple(EvalElements(node, bindings));
      return scratch;
    case Op::kList:
      scratch = Value::List(EvalElements(node, bindings));
      return scratch;
    case Op::kNegate:
      scratch = Negate(Eval(node.children[0], bindings, scratch));
      return scratch;
    case Op::kNot:
      scratch = Value::Bool(!EvalBool(node.children[0], bindings, "'!'"));
      return scratch;
    case Op::kAnd:
      scratch = Value::Bool(EvalBool(node.children[0], bindings, "'&&'") &&
                            EvalBool(node.children[1], bindings, "'&&'"));
      return scratch;
    case Op::kOr:
      scratch = Value::Bool(EvalBool(node.children[0], bindings, "'||'") ||
                            EvalBool(node.children[1], bindings, "'||'"));
      return scratch;
    case Op::kCall:
      return EvalCall(node, bindings, scratch);
    default:
      return EvalBinary(node, bindings, scratch);
  }
}

// ---------------------------------------------------------------------------------------------
// Lexing.

enum class TokenKind { kEnd, kInteger, kDecimal, kString, kIdentifier, kPunctuation };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  // as written in the source
  int line = 1;
  int column = 1;
  uint64_t integer = 0;  // kInteger: the magnitude (up to 2^63, for -9223372036854775808)
  double decimal = 0;    // kDecimal
  std::string string;    // kString: with escapes resolved
};

struct ParseFailure {
  ExpressionError error;
};

[[noreturn]] void FailAt(int line, int column, std::string message) {
  throw ParseFailure{ExpressionError{std::move(message), line, column}};
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || IsDigit(c); }

constexpr std::array<std::string_view, 19> kPunctuation = {
    "||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-",
    "*",  "/",  "%",  "!",  "(",  ")",  "[", "]", ",",
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> Tokenize() {
    std::vector<Token> tokens;
    while (true) {
      SkipWhitespace();
      tokens.push_back(NextToken());
      if (tokens.back().kind == TokenKind::kEnd) return tokens;
    }
  }

 private:
  bool AtEnd() const { return position_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return position_ + ahead < text_.size() ? text_[position_ + ahead] : '\0';
  }

  void Advance() {
    if (text_[position_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++position_;
  }

  void SkipWhitespace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\r' || Peek() == '\n')) {
      Advance();
    }
  }

  Token Start(TokenKind kind) const {
    Token token;
    token.kind = kind;
    token.line = line_;
    token.column = column_;
    return token;
  }

  void Finish(Token& token, size_t start) const {
    token.text = text_.substr(start, position_ - start);
  }

  Token NextToken() {
    if (AtEnd()) return Start(TokenKind::kEnd);
    const char c = Peek();
    if (IsDigit(c)) return Number();
    if (c == '"' || c == '\'') return String();
    if (IsIdentifierStart(c)) return Identifier();
    return Punctuation();
  }

  Token Identifier() {
    Token token = Start(TokenKind::kIdentifier);
    const size_t start = position_;
    while (!AtEnd() && IsIdentifierPart(Peek())) Advance();
    Finish(token, start);
    return token;
  }

  void ConsumeDigits(const char* what) {
    if (!IsDigit(Peek())) {
      FailAt(line_, column_,
             fmt::format("expected a digit {} in '{}'", what,
                         text_.substr(token_start_, position_ - token_start_)));
    }
    while (IsDigit(Peek())) Advance();
  }

  Token Number() {
    Token token = Start(TokenKind::kInteger);
    token_start_ = position_;
    while (IsDigit(Peek())) Advance();
    if (Peek() == '.') {
      token.kind = TokenKind::kDecimal;
      Advance();
      ConsumeDigits("after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      token.kind = TokenKind::kDecimal;
      Advance();
      if (Peek() == '+' || Peek() == '-') Advance();
      ConsumeDigits("in the exponent");
    }
    Finish(token, token_start_);
    ConvertNumber(token);
    return token;
  }

  static void ConvertNumber(Token& token) {
    const char* begin = token.text.data();
    const char* end = begin + token.text.size();
    std::errc error;
    if (token.kind == TokenKind::kInteger) {
      error = std::from_chars(begin, end, token.integer).ec;
      if (error == std::errc() && token.integer > (uint64_t{1} << 63)) {
        error = std::errc::result_out_of_range;
      }
    } else {
      error = std::from_chars(begin, end, token.decimal).ec;
    }
    if (error != std::errc()) {
      FailAt(token.line, token.column, fmt::format("number '{}' is out of range", token.text));
    }
  }

  Token String() {
    Token token = Start(TokenKind::kString);
    const size_t start = position_;
    const char quote = Peek();
    Advance();
    while (true) {
      if (AtEnd()) FailAt(token.line, token.column, "unterminated string");
      const char c = Peek();
      if (c == quote) break;
      if (c == '\\') {
        token.string += Escape(token);
      } else {
        token.string += c;
        Advance();
      }
    }
    Advance();
    Finish(token, start);
    return token;
  }

  char Escape(const Token& string_token) {
    const int line = line_;
    const int column = column_;
    Advance();
    if (AtEnd()) FailAt(string_token.line, string_token.column, "unterminated string");
    const char c = Peek();
    Advance();
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
      case '"':
      case '\'':
        return c;
      default:
        FailAt(line, column, fmt::format("unknown escape '\\{}'", c));
    }
  }

  Token Punctuation() {
    Token token = Start(TokenKind::kPunctuation);
    const size_t start = position_;
    for (std::string_view punctuation : kPunctuation) {
      if (text_.substr(position_, punctuation.size()) == punctuation) {
        for (size_t i = 0; i < punctuation.size(); ++i) Advance();
        Finish(token, start);
        return token;
      }
    }
    FailAt(line_, column_, DescribeUnexpected(Peek()));
  }

  static std::string DescribeUnexpected(char c) {
    if (c == '=') return "unexpected '='; compare with '=='";
    if (c == '&') return "unexpected '&'; use '&&'";
    if (c == '|') return "unexpected '|'; use '||'";
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x21 && byte < 0x7f) return fmt::format("unexpected character '{}'", c);
    return fmt::format("unexpected byte 0x{:02x}", byte);
  }

  std::string_view text_;
  size_t position_ = 0;
  size_t token_start_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// ---------------------------------------------------------------------------------------------
// Parsing.

Node ConstantNode(Value value) {
  Node node;
  node.op = Op::kConstant;
  node.constant = std::move(value);
  return node;
}

bool IsFoldable(const Node& node) {
  if (node.op == Op::kConstant || node.op == Op::kName) return false;
  if (node.op == Op::kCall && node.function == Function::kFail) return false;
  for (const Node& child : node.children) {
    if (child.op != Op::kConstant) return false;
  }
  return true;
}

// Replaces a subtree that mentions no names by its value. A subtree that fails keeps failing at
// evaluation time instead, where the error belongs.
void FoldConstants(Node& node) {
  if (!IsFoldable(node)) return;
  try {
    Value value = EvalToValue(node, Bindings{});
    node = ConstantNode(std::move(value));
  } catch (const EvalError&) {
  }
}

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of expression";
    case TokenKind::kString:
      return "a string";
    default:
      return fmt::format("'{}'", token.text);
  }
}

std::string DescribeArity(const FunctionInfo& info) {
  if (info.arguments_min == info.arguments_max) {
    return fmt::format("{} argument{}", info.arguments_min, info.arguments_min == 1 ? "" : "s");
  }
  return fmt::format("{} or {} arguments", info.arguments_min, info.arguments_max);
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Node ParseWhole() {
    Node root = ParseOr();
    if (Current().kind != TokenKind::kEnd) FailExpected("end of expression");
    return root;
  }

  uint32_t names_used() const { return names_used_; }

 private:
  const Token& Current() const { return tokens_[index_]; }
  const Token& Take() { return tokens_[index_++]; }  // the last token (kEnd) is never passed

  bool IsPunctuation(std::string_view text) const {
    return Current().kind == TokenKind::kPunctuation && Current().text == text;
  }

  bool TakeIf(std::string_view text) {
    if (!IsPunctuation(text)) return false;
    ++index_;
    return true;
  }

  [[noreturn]] void FailExpected(std::string_view expected) const {
    FailAt(Current().line, Current().column,
           fmt::format("expected {} but found {}", expected, DescribeToken(Current())));
  }

  void Expect(std::string_view text) {
    if (!TakeIf(text)) FailExpected(fmt::format("'{}'", text));
  }

  Node Make(Op op, std::vector<Node> children, const Token& at) const {
    Node node;
    node.op = op;
    node.children = std::move(children);
    for (const Node& child : node.children) node.depth = std::max(node.depth, child.depth + 1);
    if (node.depth > kTreeDepthMax) {
      FailAt(at.line, at.column,
             fmt::format("expression nested too deeply (more than {} levels)", kTreeDepthMax));
    }
    return node;
  }

  Node MakeFolded(Op op, std::vector<Node> children, const Token& at) const {
    Node node = Make(op, std::move(children), at);
    FoldConstants(node);
    return node;
  }

  Node MakeBinary(Op op, Node left, Node right, const Token& at) const {
    std::vector<Node> children;
    children.push_back(std::move(left));
    children.push_back(std::move(right));
    return MakeFolded(op, std::move(children), at);
  }

  Node ParseOr() {
    Node left = ParseAnd();
    while (IsPunctuation("||")) {
      const Token& at = Take();
      left = MakeBinary(Op::kOr, std::move(left), ParseAnd(), at);
    }
    return left;
  }

  Node ParseAnd() {
    Node left = ParseComparison();
    while (IsPunctuation("&&")) {
      const Token& at = Take();
      left = MakeBinary(Op::kAnd, std::move(left), ParseComparison(), at);
    }
    return left;
  }

  std::optional<Op> CurrentComparison() const {
    static constexpr std::array<std::pair<std::string_view, Op>, 6> kComparisons = {{
        {"==", Op::kEqual},
        {"!=", Op::kNotEqual},
        {"<", Op::kLess},
        {"<=", Op::kLessEqual},
        {">", Op::kGreater},
        {">=", Op::kGreaterEqual},
    }};
    for (const auto& [text, op] : kComparisons) {
      if (IsPunctuation(text)) return op;
    }
    return std::nullopt;
  }

  // Comparisons do not chain: "a < b < c" would compare a bool with c, which is never meant.
  Node ParseComparison() {
    Node left = ParseAdditive();
    const std::optional<Op> op = CurrentComparison();
    if (!op) return left;
    const Token& at = Take();
    Node result = MakeBinary(*op, std::move(left), ParseAdditive(), at);
    if (CurrentComparison()) {
      FailAt(Current().line, Current().column,
             "comparisons cannot be chained; combine them with '&&'");
    }
    return result;
  }

  Node ParseAdditive() {
    Node left = ParseMultiplicative();
    while (IsPunctuation("+") || IsPunctuation("-")) {
      const Token& at = Take();
      const Op op = at.text == "+" ? Op::kAdd : Op::kSubtract;
      left = MakeBinary(op, std::move(left), ParseMultiplicative(), at);
    }
    return left;
  }

  Node ParseMultiplicative() {
    Node left = ParseUnary();
    while (IsPunctuation("*") || IsPunctuation("/") || IsPunctuation("%")) {
      const Token& at = Take();
      const Op op = at.text == "*" ? Op::kMultiply : at.text == "/" ? Op::kDivide : Op::kModulo;
      left = MakeBinary(op, std::move(left), ParseUnary(), at);
    }
    return left;
  }

  // Every recursive path of the grammar passes through here, so this bounds parser recursion.
  Node ParseUnary() {
    if (++nesting_ > kTreeDepthMax) {
      FailAt(Current().line, Current().column,
             fmt::format("expression nested too deeply (more than {} levels)", kTreeDepthMax));
    }
    Node result = ParseUnaryUnbounded();
    --nesting_;
    return result;
  }

  Node ParseUnaryUnbounded() {
    if (!IsPunctuation("!") && !IsPunctuation("-")) return ParsePostfix();
    const Token& at = Take();
    if (at.text == "-" && IsMinimumIntLiteral()) {
      Take();
      return ConstantNode(Value::Int(std::numeric_limits<int64_t>::min()));
    }
    std::vector<Node> operand;
    operand.push_back(ParseUnary());
    return MakeFolded(at.text == "!" ? Op::kNot : Op::kNegate, std::move(operand), at);
  }

  // "-9223372036854775808" is the one integer literal whose magnitude only fits when negated.
  bool IsMinimumIntLiteral() const {
    const Token& next = tokens_[index_ + 1 < tokens_.size() ? index_ + 1 : index_];
    return Current().kind == TokenKind::kInteger && Current().integer == (uint64_t{1} << 63) &&
           !(next.kind == TokenKind::kPunctuation && next.text == "[");
  }

  Node ParsePostfix() {
    Node result = ParsePrimary();
    while (IsPunctuation("[")) {
      const Token& at = Take();
      Node index = ParseOr();
      Expect("]");
      result = MakeBinary(Op::kIndex, std::move(result), std::move(index), at);
    }
    return result;
  }

  Node ParsePrimary() {
    const Token& token = Current();
    switch (token.kind) {
      case TokenKind::kInteger:
        return ParseIntLiteral();
      case TokenKind::kDecimal:
        Take();
        return ConstantNode(Value::Double(token.decimal));
      case TokenKind::kString:
        Take();
        return ConstantNode(Value::String(token.string));
      case TokenKind::kIdentifier:
        return ParseIdentifier();
      default:
        break;
    }
    if (IsPunctuation("(")) return ParseParenthesized();
    if (IsPunctuation("[")) return ParseListLiteral();
    FailExpected("an expression");
  }

  Node ParseIntLiteral() {
    const Token& token = Take();
    if (token.integer > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      FailAt(token.line, token.column, fmt::format("number '{}' is out of range", token.text));
    }
    return ConstantNode(Value::Int(static_cast<int64_t>(token.integer)));
  }

  // Comma-separated expressions up to `close`, which is consumed; empty when `close` comes first.
  std::vector<Node> ParseSeparated(std::string_view close) {
    std::vector<Node> items;
    if (TakeIf(close)) return items;
    while (true) {
      items.push_back(ParseOr());
      if (TakeIf(close)) return items;
      if (!TakeIf(",")) FailExpected(fmt::format("',' or '{}'", close));
    }
  }

  Node ParseParenthesized() {
    const Token& open = Take();
    Node first = ParseOr();
    if (TakeIf(")")) return first;
    if (!IsPunctuation(",")) FailExpected("',' or ')'");
    Take();
    std::vector<Node> items = ParseSeparated(")");
    if (items.empty()) FailAt(open.line, open.column, "a tuple cannot end with ','");
    items.insert(items.begin(), std::move(first));
    return MakeFolded(Op::kTuple, std::move(items), open);
  }

  Node ParseListLiteral() {
    const Token& open = Take();
    return MakeFolded(Op::kList, ParseSeparated("]"), open);
  }

  Node ParseIdentifier() {
    const Token& token = Take();
    if (token.text == "true") return ConstantNode(Value::Bool(true));
    if (token.text == "false") return ConstantNode(Value::Bool(false));
    if (token.text == "null") return ConstantNode(Value::Null());
    if (IsPunctuation("(")) return ParseCall(token);
    const int slot = FindNameSlot(token.text);
    if (slot < 0 && FindFunction(token.text) != nullptr) {
      FailAt(token.line, token.column,
             fmt::format("'{}' is a function; call it as {}(...)", token.text, token.text));
    }
    if (slot < 0) FailAt(token.line, token.column, fmt::format("unknown name '{}'", token.text));
    names_used_ |= uint32_t{1} << slot;
    Node node;
    node.op = Op::kName;
    node.slot = slot;
    return node;
  }

  Node ParseCall(const Token& name) {
    const FunctionInfo* info = FindFunction(name.text);
    if (info == nullptr) {
      FailAt(name.line, name.column, fmt::format("unknown function '{}'", name.text));
    }
    Take();  // "("
    std::vector<Node> arguments = ParseSeparated(")");
    if (arguments.size() < info->arguments_min || arguments.size() > info->arguments_max) {
      FailAt(
          name.line, name.column,
          fmt::format("'{}' takes {}, got {}", name.text, DescribeArity(*info), arguments.size()));
    }
    Node node = Make(Op::kCall, std::move(arguments), name);
    node.function = info->function;
    FoldConstants(node);
    return node;
  }

  std::vector<Token> tokens_;
  size_t index_ = 0;
  int nesting_ = 0;
  uint32_t names_used_ = 0;
};

}  // namespace

base::Expected<Expression, ExpressionError> Expression::Parse(std::string_view text) {
  try {
    Parser parser(Lexer(text).Tokenize());
    Node root = parser.ParseWhole();
    Expression expression;
    expression.text_ = std::string(text);
    expression.root_ = std::make_shared<const Node>(std::move(root));
    expression.names_used_ = parser.names_used();
    return expression;
  } catch (const ParseFailure& failure) {  // the parser's own unwinding, caught at its boundary
    return failure.error;
  }
}

Value Expression::Evaluate(const Bindings& bindings) const {
  if (root_ == nullptr) {
    std::fprintf(stderr, "streamsim: Expression::Evaluate called before a successful Parse\n");
    std::abort();
  }
  return EvalToValue(*root_, bindings);
}

bool Expression::Uses(std::string_view name) const {
  const int slot = FindNameSlot(name);
  return slot >= 0 && (names_used_ & (uint32_t{1} << slot)) != 0;
}

}  // namespace streamsim::records
