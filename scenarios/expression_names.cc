// Finding a forbidden name in an expression and pointing at it.
#include "scenarios/expression_names.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "scenarios/expression_reader.h"

namespace streamsim::scenarios {
namespace {

// Every name an expression can bind (records::Bindings), in its order.
constexpr std::array<std::string_view, 9> kBindableNames = {"x", "a", "b",  "values",    "state",
                                                            "k", "v", "xs", "timing_out"};

bool Allows(std::string_view allowed, std::string_view name) {
  for (std::string_view rest = allowed; !rest.empty();) {
    const size_t comma = rest.find(", ");
    if (rest.substr(0, comma) == name) return true;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  return false;
}

bool IsIdentifierCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Offset of the first use of identifier `name` in `text` outside string literals, or 0 when it
// is not found (the expression's start is then the best position).
size_t FindIdentifier(std::string_view text, std::string_view name) {
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (text.substr(i, name.size()) == name &&
               (i == 0 || !IsIdentifierCharacter(text[i - 1])) &&
               (i + name.size() == text.size() || !IsIdentifierCharacter(text[i + name.size()]))) {
      return i;
    }
  }
  return 0;
}

// The 1-based line and column of byte `offset` of `text`.
std::pair<int, int> LineAndColumn(std::string_view text, size_t offset) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

}  // namespace

void CheckExpressionNames(const YamlContext& context, const YAML::Node& scalar,
                          const ExpressionSpec& expression, std::string_view where,
                          std::string_view allowed) {
  const std::string& text = expression.expression.text();
  for (std::string_view name : kBindableNames) {
    if (!expression.expression.Uses(name) || Allows(allowed, name)) continue;
    const auto [line, column] = LineAndColumn(text, FindIdentifier(text, name));
    Fail(LocateInScalar(context, scalar, line, column),
         fmt::format("'{}' is not available in {}; it can use {}", name, where,
                     allowed.empty() ? "no names" : allowed));
  }
}

}  // namespace streamsim::scenarios
