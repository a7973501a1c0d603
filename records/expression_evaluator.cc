// The evaluator of the expression language (expression_evaluator.h). Every result sequence and
// string has a maximum size, checked before it is built, so evaluation stays bounded in memory;
// the parser's depth limit bounds its stack. Results are returned by reference where they already
// exist (constants, bindings) and built in a caller's scratch value otherwise.
#include "records/expression_evaluator.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <compare>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "records/expression_builtins.h"

namespace streamsim::records::expression_internal {

[[noreturn]] void Fail(std::string message) { throw EvalError(std::move(message)); }

void CheckSequenceLength(uint64_t length) {
  if (length > kSequenceLengthMax) {
    Fail(fmt::format("result would have more than {} elements", kSequenceLengthMax));
  }
}

namespace {

[[noreturn]] void FailOperands(std::string_view op, const Value& left, const Value& right) {
  Fail(fmt::format("'{}' cannot combine {} and {}", op, KindName(left.kind()),
                   KindName(right.kind())));
}

void CheckStringBytes(size_t bytes) {
  if (bytes > kStringBytesMax) {
    Fail(fmt::format("result would be a string longer than {} bytes", kStringBytesMax));
  }
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

}  // namespace

// Evaluates into an owned value, moving out of the scratch when the result landed there.
Value EvalToValue(const Node& node, const Bindings& bindings) {
  Value scratch;
  const Value& result = Eval(node, bindings, scratch);
  if (&result == &scratch) return scratch;  // implicitly moved
  return result;
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

Value Arithmetic(Op op, const Value& left, const Value& right) {
  if (left.kind() == Value::Kind::kInt && right.kind() == Value::Kind::kInt) {
    return Value::Int(IntArithmetic(op, left.AsInt(), right.AsInt()));
  }
  if (left.is_number() && right.is_number()) {
    const double result = DoubleArithmetic(op, left.AsDouble(), right.AsDouble());
    // Records hold finite doubles only (JSON, the sinks and the collect files have no NaN or
    // infinity): a result that overflows fails, as an overflowing int does.
    if (!std::isfinite(result)) {
      Fail(fmt::format("{} {} {} is not a finite number", left.ToDisplayString(), OperatorText(op),
                       right.ToDisplayString()));
    }
    return Value::Double(result);
  }
  if (op == Op::kAdd && left.kind() == right.kind() && !left.is_number()) return Join(left, right);
  if (op == Op::kAdd &&
      (left.kind() == Value::Kind::kString || right.kind() == Value::Kind::kString)) {
    Fail(fmt::format("'+' cannot combine {} and {} (convert with to_string)", KindName(left.kind()),
                     KindName(right.kind())));
  }
  FailOperands(OperatorText(op), left, right);
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

}  // namespace streamsim::records::expression_internal
