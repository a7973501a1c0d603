// Typed scalar reading with the loader's messages.
#include "scenarios/yaml_scalars.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "scenarios/suggest.h"

namespace streamsim::scenarios {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Fails with "expected <what>, got <description>" unless the field is a plain scalar.
const std::string& PlainScalarText(const YamlField& field, std::string_view what) {
  if (!field.node.IsScalar() || !IsPlainScalar(field.node)) {
    Fail(field.position, fmt::format("expected {}, got {}", what, Describe(field.node)));
  }
  return field.node.Scalar();
}

std::optional<double> SpecialDecimal(std::string_view text) {
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf") {
    return std::numeric_limits<double>::infinity();
  }
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF") {
    return -std::numeric_limits<double>::infinity();
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::nullopt;
}

}  // namespace

// [-+]?(digits with at most one '.', at least one digit)([eE][-+]?digits)?
bool LooksLikeDecimal(std::string_view text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  size_t digits = 0;
  size_t dots = 0;
  for (; i < text.size() && (IsDigit(text[i]) || text[i] == '.'); ++i) {
    (text[i] == '.' ? dots : digits) += 1;
  }
  if (digits == 0 || dots > 1) return false;
  if (i == text.size()) return true;
  if (text[i] != 'e' && text[i] != 'E') return false;
  ++i;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return false;
  }
  return true;
}

bool IsPlainScalar(const YAML::Node& node) { return node.Tag() == "?" || node.Tag().empty(); }

bool IsNullSpelling(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<bool> BoolSpelling(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

bool LooksLikeInteger(std::string_view text) {
  const size_t sign = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (text.size() == sign) return false;
  for (size_t i = sign; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return false;
  }
  return true;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseDecimal(std::string_view text) {
  if (std::optional<double> special = SpecialDecimal(text)) return special;
  if (!LooksLikeDecimal(text)) return std::nullopt;
  if (text[0] == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string ToText(const YamlField& field) {
  if (!field.node.IsScalar()) {
    Fail(field.position, fmt::format("expected a string, got {}", Describe(field.node)));
  }
  return field.node.Scalar();
}

std::string ToName(const YamlField& field) {
  std::string text = ToText(field);
  if (text.empty()) Fail(field.position, fmt::format("'{}' must not be empty", field.name));
  return text;
}

int64_t ToInt(const YamlField& field, int64_t min, int64_t max) {
  const std::string& text = PlainScalarText(field, "an integer");
  if (!LooksLikeInteger(text)) {
    Fail(field.position, fmt::format("expected an integer, got {}", Describe(field.node)));
  }
  const std::optional<int64_t> value = ParseInteger(text);
  if (!value.has_value() || *value < min || *value > max) {
    Fail(field.position,
         max == std::numeric_limits<int64_t>::max()
             ? fmt::format("'{}' must be at least {}, got {}", field.name, min, text)
             : fmt::format("'{}' must be between {} and {}, got {}", field.name, min, max, text));
  }
  return *value;
}

uint64_t ToUnsigned(const YamlField& field) {
  const std::string& text = PlainScalarText(field, "a non-negative integer");
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!LooksLikeInteger(text) || text[0] == '+') {
    Fail(field.position,
         fmt::format("expected a non-negative integer, got {}", Describe(field.node)));
  }
  if (error != std::errc() || end != text.data() + text.size()) {
    Fail(field.position, fmt::format("'{}' must be between 0 and {}, got {}", field.name,
                                     std::numeric_limits<uint64_t>::max(), text));
  }
  return value;
}

double ToNumber(const YamlField& field, double min, double max) {
  const std::string& text = PlainScalarText(field, "a number");
  const std::optional<double> value = ParseDecimal(text);
  if (!value.has_value() || !std::isfinite(*value)) {
    Fail(field.position, fmt::format("expected a number, got {}", Describe(field.node)));
  }
  if (*value < min || *value > max) {
    Fail(field.position,
         fmt::format("'{}' must be between {} and {}, got {}", field.name, min, max, text));
  }
  return *value;
}

bool ToBool(const YamlField& field) {
  const std::string& text = PlainScalarText(field, "true or false");
  const std::optional<bool> value = BoolSpelling(text);
  if (!value.has_value()) {
    Fail(field.position, fmt::format("expected true or false, got {}", Describe(field.node)));
  }
  return *value;
}

std::string ToChoice(const YamlField& field, const std::vector<std::string_view>& choices,
                     std::string_view what) {
  std::string text = ToName(field);
  if (std::find(choices.begin(), choices.end(), text) == choices.end()) {
    Fail(field.position, fmt::format("unknown {} '{}'; expected one of {}{}", what, text,
                                     fmt::join(choices, ", "), DidYouMean(text, choices)));
  }
  return text;
}

sim::Duration ToDuration(const YamlField& field) {
  sim::Duration duration;
  if (!field.node.IsScalar() || !sim::ParseDuration(field.node.Scalar(), &duration)) {
    Fail(field.position,
         fmt::format("expected a duration like 1s or 200ms, got {}", Describe(field.node)));
  }
  return duration;
}

sim::Duration ToPositiveDuration(const YamlField& field) {
  const sim::Duration duration = ToDuration(field);
  if (duration.us <= 0) {
    Fail(field.position, fmt::format("'{}' must be greater than 0", field.name));
  }
  return duration;
}

}  // namespace streamsim::scenarios
