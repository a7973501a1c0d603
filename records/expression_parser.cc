// The parser of the expression language (expression_parser.h). Every recursive path of the grammar
// passes through ParseUnary, which bounds recursion, and every node built records the depth of its
// subtree, which bounds the tree. Constant folding evaluates a subtree once its children are
// constants; a subtree that fails is kept, so that the error is raised at evaluation.
#include "records/expression_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "records/expression_evaluator.h"

namespace streamsim::records::expression_internal {
namespace {

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

ParsedTree ParseTokens(std::vector<Token> tokens) {
  Parser parser(std::move(tokens));
  ParsedTree parsed;
  parsed.root = parser.ParseWhole();
  parsed.names_used = parser.names_used();
  return parsed;
}

}  // namespace streamsim::records::expression_internal
