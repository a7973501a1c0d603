// Recognising the shapes a caller may compute natively, and computing them as the evaluator does
// (records/expression_shape.h).
#include "records/expression_shape.h"

#include <string>

#include "records/expression_tree.h"

namespace streamsim::records {
namespace {

using expression_internal::FindNameSlot;
using expression_internal::Function;
using expression_internal::kSequenceLengthMax;
using expression_internal::Node;
using expression_internal::Op;

bool IsName(const Node& node, std::string_view name) {
  return node.op == Op::kName && node.slot == FindNameSlot(name);
}

bool IsStringConstant(const Node& node) {
  return node.op == Op::kConstant && node.constant.kind() == Value::Kind::kString;
}

bool IsCallOnXAndString(const Node& node, Function function) {
  return node.op == Op::kCall && node.function == function && node.children.size() == 2 &&
         IsName(node.children[0], "x") && IsStringConstant(node.children[1]);
}

ExpressionShape ShapeOfNode(const Node& node) {
  using Kind = ExpressionShape::Kind;
  if (node.op == Op::kAdd && node.children.size() == 2 && IsName(node.children[0], "a") &&
      IsName(node.children[1], "b")) {
    return {Kind::kSumOfAAndB, Value()};
  }
  if (IsCallOnXAndString(node, Function::kContains)) {
    return {Kind::kXContainsLiteral, node.children[1].constant};
  }
  if (IsCallOnXAndString(node, Function::kSplit) && !node.children[1].constant.AsString().empty()) {
    return {Kind::kSplitXOnLiteral, node.children[1].constant};
  }
  if (node.op == Op::kTuple && node.children.size() == 2 && IsName(node.children[0], "x") &&
      node.children[1].op == Op::kConstant) {
    return {Kind::kPairOfXAndLiteral, node.children[1].constant};
  }
  return {};
}

}  // namespace

ExpressionShape Expression::Shape() const {
  if (root_ == nullptr) return {};
  return ShapeOfNode(*root_);
}

bool SumInts(const Value& a, const Value& b, Value* sum) {
  if (a.kind() != Value::Kind::kInt || b.kind() != Value::Kind::kInt) return false;
  int64_t result = 0;
  if (__builtin_add_overflow(a.AsInt(), b.AsInt(), &result)) return false;
  *sum = Value::Int(result);
  return true;
}

bool SplitViews(std::string_view text, std::string_view separator,
                std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    if (fields->size() == kSequenceLengthMax) {
      fields->clear();
      return false;
    }
    fields->push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return true;
    start = end + separator.size();
  }
}

bool AppendSplit(const std::string& text, const std::string& separator, Values* fields) {
  std::vector<std::string_view> views;
  if (!SplitViews(text, separator, &views)) return false;
  fields->reserve(fields->size() + views.size());
  for (std::string_view view : views) fields->push_back(Value::String(std::string(view)));
  return true;
}

}  // namespace streamsim::records
