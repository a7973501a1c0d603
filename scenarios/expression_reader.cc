// Expression scalars: parsing, and mapping a character of a scalar's value back to the file.
//
// The mapping walks the value and the source side by side. Non-blank characters must match one
// for one (a double-quoted escape or a doubled single quote counts as one character); a run of
// blanks in the value (spaces, tabs, newlines) matches a run of blanks in the source, which may
// include line breaks, indentation and escaped line breaks that YAML folded away. When a
// character does not match, the walk gives up and the caller gets the scalar's own position.
#include "scenarios/expression_reader.h"

#include <fmt/format.h>

#include <optional>
#include <string_view>

namespace streamsim::scenarios {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Offset into `value` of 1-based (line, column), clamped to the value's end.
size_t ValueOffset(std::string_view value, int line, int column) {
  size_t offset = 0;
  for (int current = 1; current < line && offset < value.size(); ++offset) {
    if (value[offset] == '\n') ++current;
  }
  return std::min(value.size(), offset + static_cast<size_t>(std::max(column - 1, 0)));
}

// Source bytes a double-quoted escape starting at `source[i] == '\\'` occupies.
size_t EscapeLength(std::string_view source, size_t i) {
  const char kind = i + 1 < source.size() ? source[i + 1] : '\0';
  if (kind == 'x') return 4;
  if (kind == 'u') return 6;
  if (kind == 'U') return 10;
  return 2;
}

class ScalarWalk {
 public:
  ScalarWalk(std::string_view source, size_t start, char style)
      : source_(source), cursor_(start), style_(style) {}

  // Advances over the value's characters [0, target); nullopt when source and value disagree.
  std::optional<size_t> SourceOffsetOf(std::string_view value, size_t target) {
    size_t i = 0;
    SkipSourceBlanks();  // block scalars start on the next line, after the indentation
    while (i < target) {
      if (IsBlank(value[i])) {
        while (i < target && IsBlank(value[i])) ++i;
        SkipSourceBlanks();
        continue;
      }
      if (!MatchCharacter(value[i])) return std::nullopt;
      ++i;
    }
    return cursor_;
  }

 private:
  void SkipSourceBlanks() {
    while (cursor_ < source_.size()) {
      if (IsBlank(source_[cursor_])) {
        ++cursor_;
      } else if (style_ == '"' && source_[cursor_] == '\\' && cursor_ + 1 < source_.size() &&
                 (source_[cursor_ + 1] == '\n' || source_[cursor_ + 1] == '\r')) {
        cursor_ += 2;  // an escaped line break: folded away with the indentation after it
      } else {
        return;
      }
    }
  }

  bool MatchCharacter(char expected) {
    if (cursor_ >= source_.size()) return false;
    if (style_ == '"' && source_[cursor_] == '\\') {
      cursor_ += EscapeLength(source_, cursor_);
      return true;
    }
    if (style_ == '\'' && source_.substr(cursor_, 2) == "''") {
      cursor_ += 2;
      return expected == '\'';
    }
    return source_[cursor_++] == expected;
  }

  std::string_view source_;
  size_t cursor_;
  char style_;  // '"', '\'', '|', '>' or 0 for plain
};

// Where the scalar's value starts in the source, given its style.
size_t ValueStart(std::string_view source, size_t mark_offset, char style) {
  if (style == '"' || style == '\'') return mark_offset + 1;
  if (style == '|' || style == '>') {
    const size_t end_of_header = source.find('\n', mark_offset);
    return end_of_header == std::string_view::npos ? source.size() : end_of_header + 1;
  }
  return mark_offset;
}

}  // namespace

Position LocateInScalar(const YamlContext& context, const YAML::Node& node, int line, int column) {
  const std::string_view source = context.text();
  const size_t mark_offset = context.OffsetOf(node.Mark());
  const char first = mark_offset < source.size() ? source[mark_offset] : '\0';
  const char style = (first == '"' || first == '\'' || first == '|' || first == '>') ? first : 0;
  const std::string& value = node.Scalar();
  const size_t target = ValueOffset(value, line, column);
  ScalarWalk walk(source, ValueStart(source, mark_offset, style), style);
  if (std::optional<size_t> offset = walk.SourceOffsetOf(value, target)) {
    return context.PositionAtOffset(*offset);
  }
  Position fallback = context.PositionOf(node, context.StartOfFile());
  fallback.column += (style == '"' || style == '\'') ? 1 : 0;
  fallback.column += line == 1 ? column - 1 : 0;
  return fallback;
}

ExpressionSpec ReadExpression(const YamlContext& context, const YamlField& field) {
  if (!field.node.IsScalar()) {
    Fail(field.position,
         fmt::format("expected an expression string, got {}", Describe(field.node)));
  }
  ExpressionSpec spec;
  spec.position = LocateInScalar(context, field.node, 1, 1);
  auto parsed = records::Expression::Parse(field.node.Scalar());
  if (!parsed.ok()) {
    const records::ExpressionError& error = parsed.error();
    Fail(LocateInScalar(context, field.node, error.line, error.column),
         "in expression: " + error.message);
  }
  spec.expression = std::move(parsed.value());
  return spec;
}

}  // namespace streamsim::scenarios
