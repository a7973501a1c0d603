// Positions, failures and mapping sections over yaml-cpp nodes.
#include "scenarios/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

#include "scenarios/suggest.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr size_t kDescribedTextMax = 40;  // longer scalars are cut in messages

std::string Shortened(const std::string& text) {
  if (text.size() <= kDescribedTextMax) return text;
  return text.substr(0, kDescribedTextMax) + "...";
}

}  // namespace

LoadFailure::LoadFailure(Position position, std::string message)
    : error_{std::move(position), std::move(message)} {}

void Fail(const Position& position, std::string message) {
  throw LoadFailure(position, std::move(message));
}

YamlContext::YamlContext(std::string file, std::string_view text)
    : file_(std::move(file)), text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

Position YamlContext::PositionOf(const YAML::Node& node, const Position& fallback) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return fallback;
  return Position{file_, mark.line + 1, mark.column + 1};
}

size_t YamlContext::OffsetOf(const YAML::Mark& mark) const {
  const size_t line =
      std::min(static_cast<size_t>(std::max(mark.line, 0)), line_starts_.size() - 1);
  return std::min(line_starts_[line] + static_cast<size_t>(std::max(mark.column, 0)), text_.size());
}

Position YamlContext::PositionAtOffset(size_t offset) const {
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line = static_cast<size_t>(after - line_starts_.begin()) - 1;
  return Position{file_, static_cast<int>(line + 1),
                  static_cast<int>(offset - line_starts_[line] + 1)};
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      if (IsPlainScalar(node)) return fmt::format("'{}'", Shortened(node.Scalar()));
      return fmt::format("\"{}\"", Shortened(node.Scalar()));
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

std::vector<YamlField> SequenceItems(const YamlContext& context, const YamlField& field,
                                     size_t items_max) {
  if (!field.node.IsSequence()) {
    Fail(field.position, fmt::format("expected a sequence, got {}", Describe(field.node)));
  }
  if (field.node.size() > items_max) {
    Fail(field.position, fmt::format("'{}' has {} items; at most {} are allowed", field.name,
                                     field.node.size(), items_max));
  }
  std::vector<YamlField> items;
  for (const YAML::Node& item : field.node) {
    items.push_back(YamlField{item, context.PositionOf(item, field.position),
                              fmt::format("{}[{}]", field.name, items.size())});
  }
  return items;
}

MappingReader::MappingReader(const YamlContext& context, const YamlField& field,
                             std::string section, const std::vector<std::string_view>& keys)
    : MappingReader(context, field, std::move(section), &keys) {}

MappingReader::MappingReader(const YamlContext& context, const YamlField& field,
                             std::string section, AnyKey)
    : MappingReader(context, field, std::move(section), nullptr) {}

MappingReader::MappingReader(const YamlContext& context, const YamlField& field,
                             std::string section, const std::vector<std::string_view>* keys)
    : context_(&context), position_(field.position), section_(std::move(section)) {
  if (!field.node.IsMap()) {
    Fail(position_,
         fmt::format("expected a mapping for {}, got {}", section_, Describe(field.node)));
  }
  AddEntries(field.node, keys);
}

void MappingReader::AddEntries(const YAML::Node& mapping,
                               const std::vector<std::string_view>* keys) {
  for (auto it = mapping.begin(); it != mapping.end(); ++it) AddEntry(it->first, it->second, keys);
}

void MappingReader::AddEntry(const YAML::Node& key, const YAML::Node& value,
                             const std::vector<std::string_view>* keys) {
  const Position key_position = context_->PositionOf(key, position_);
  if (!key.IsScalar()) {
    Fail(key_position,
         fmt::format("expected a name as key in {}, got {}", section_, Describe(key)));
  }
  const std::string& name = key.Scalar();
  if (Find(name) != nullptr) {
    Fail(key_position, fmt::format("duplicate key '{}' in {}", name, section_));
  }
  if (keys != nullptr && std::find(keys->begin(), keys->end(), name) == keys->end()) {
    Fail(key_position,
         fmt::format("unknown key '{}' in {}{}", name, section_, DidYouMean(name, *keys)));
  }
  entries_.push_back(Entry{name, key_position, value});
}

const MappingReader::Entry* MappingReader::Find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

bool MappingReader::Has(std::string_view key) const { return Find(key) != nullptr; }

const MappingReader::Entry& MappingReader::Get(std::string_view key) const {
  const Entry* entry = Find(key);
  if (entry == nullptr) {
    std::fprintf(stderr, "streamsim: MappingReader: no key '%.*s' in %s\n",
                 static_cast<int>(key.size()), key.data(), section_.c_str());
    std::abort();
  }
  return *entry;
}

YamlField MappingReader::Field(std::string_view key) const {
  const Entry& entry = Get(key);
  const Position position = entry.value.IsNull()
                                ? entry.key_position
                                : context_->PositionOf(entry.value, entry.key_position);
  return YamlField{entry.value, position, entry.key};
}

Position MappingReader::KeyPosition(std::string_view key) const { return Get(key).key_position; }

YamlField MappingReader::Required(std::string_view key) const {
  if (!Has(key)) Fail(position_, fmt::format("missing key '{}' in {}", key, section_));
  return Field(key);
}

std::vector<std::string> MappingReader::Keys() const {
  std::vector<std::string> keys;
  for (const Entry& entry : entries_) keys.push_back(entry.key);
  return keys;
}

void MappingReader::ReadText(std::string_view key, std::string* out) const {
  if (Has(key)) *out = ToText(Field(key));
}

void MappingReader::ReadName(std::string_view key, std::string* out) const {
  if (Has(key)) *out = ToName(Field(key));
}

void MappingReader::ReadBool(std::string_view key, bool* out) const {
  if (Has(key)) *out = ToBool(Field(key));
}

void MappingReader::ReadNumber(std::string_view key, double min, double max, double* out) const {
  if (Has(key)) *out = ToNumber(Field(key), min, max);
}

void MappingReader::ReadDuration(std::string_view key, sim::Duration* out) const {
  if (Has(key)) *out = ToDuration(Field(key));
}

void MappingReader::ReadInt(std::string_view key, int64_t min, int64_t max, int64_t* out) const {
  if (Has(key)) *out = ToInt(Field(key), min, max);
}

void MappingReader::ReadInt(std::string_view key, int64_t min, int64_t max, int* out) const {
  // The bounds are the caller's constants; outside int they would be a programmer error.
  if (min < std::numeric_limits<int>::min() || max > std::numeric_limits<int>::max()) {
    std::fprintf(stderr, "streamsim: MappingReader::ReadInt bounds exceed int\n");
    std::abort();
  }
  if (Has(key)) *out = static_cast<int>(ToInt(Field(key), min, max));
}

}  // namespace streamsim::scenarios
