// The loader's adapter over yaml-cpp: positions of nodes in the file, the internal failure that
// carries the first error up to the API boundary, and MappingReader, which reads one section of
// a scenario and rejects unknown and duplicate keys. Internal to the loader (loader.cc and the
// *_reader.cc files); nothing outside scenarios/ includes it.
//
// Why an exception inside the loader: a scenario has dozens of fields and every read can fail;
// threading a status through each one would bury the format under plumbing. LoadFailure is thrown
// only by the readers and caught, with every yaml-cpp exception, in LoadScenarioText — it never
// leaves the loader (the same arrangement expression.cc uses for its parser).
#pragma once

#include <yaml-cpp/yaml.h>

#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/load_error.h"
#include "scenarios/scenario.h"

namespace streamsim::scenarios {

// The first error found while reading. See the file comment.
class LoadFailure : public std::exception {
 public:
  LoadFailure(Position position, std::string message);
  const LoadError& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  LoadError error_;
};

[[noreturn]] void Fail(const Position& position, std::string message);

// The file being read: its name, for positions, and its text, for locating characters inside
// scalars (expression errors). REQUIRES: `text` outlives the context.
class YamlContext {
 public:
  YamlContext(std::string file, std::string_view text);

  const std::string& file() const { return file_; }
  std::string_view text() const { return text_; }
  // The 1-based position of `node`, or `fallback` when yaml-cpp has no mark for it.
  Position PositionOf(const YAML::Node& node, const Position& fallback) const;
  // Byte offset into text() of a yaml-cpp mark (0-based line and column).
  size_t OffsetOf(const YAML::Mark& mark) const;
  // The 1-based position of a byte offset into text().
  Position PositionAtOffset(size_t offset) const;
  Position StartOfFile() const { return Position{file_, 1, 1}; }

 private:
  std::string file_;
  std::string_view text_;
  std::vector<size_t> line_starts_;  // byte offset of each line's first character
};

// A value found in the document, with what is needed to complain about it.
struct YamlField {
  YAML::Node node;
  Position position;  // of the value; of its key when the value is empty (yaml-cpp marks an
                      // empty value at the start of the next line, which would mislead)
  std::string name;   // the key it was found under ("workers"), or a description ("batch 2")
};

// "'ten'" for a plain scalar, "\"ten\"" for a quoted one, "a sequence", "a mapping", "nothing".
std::string Describe(const YAML::Node& node);

// The items of a sequence field, each with its position ("name[i]" as its name). Throws
// LoadFailure unless the field is a sequence ("expected a sequence, got ...") of at most
// `items_max` items.
std::vector<YamlField> SequenceItems(const YamlContext& context, const YamlField& field,
                                     size_t items_max);

// One mapping of the document (a section such as `cluster:`, a source, an operator's argument).
class MappingReader {
 public:
  // Throws LoadFailure when the field is not a mapping ("expected a mapping for cluster, got
  // '3'"), when a key is not a scalar, repeats ("duplicate key 'cores' in cluster"), or is not in
  // `keys` ("unknown key 'foo' in cluster", with a suggestion when one is close). `section` names
  // the mapping in messages.
  MappingReader(const YamlContext& context, const YamlField& field, std::string section,
                const std::vector<std::string_view>& keys);
  // A mapping whose keys are names chosen by the author (sources, streams, cost entries): any
  // scalar key is accepted; duplicates are still rejected.
  struct AnyKey {};
  MappingReader(const YamlContext& context, const YamlField& field, std::string section, AnyKey);

  bool Has(std::string_view key) const;
  // REQUIRES: Has(key).
  YamlField Field(std::string_view key) const;
  // REQUIRES: Has(key).
  Position KeyPosition(std::string_view key) const;
  // Field(key), or LoadFailure "missing key 'kind' in source 'numbers'" at the mapping.
  YamlField Required(std::string_view key) const;
  // The keys present, in document order.
  std::vector<std::string> Keys() const;
  const Position& position() const { return position_; }
  const std::string& section() const { return section_; }
  const YamlContext& context() const { return *context_; }

  // Conveniences that convert the key's value (see yaml_scalars.h) and assign it to `*out` when
  // the key is present, leaving the model's default otherwise.
  void ReadText(std::string_view key, std::string* out) const;
  void ReadName(std::string_view key, std::string* out) const;
  void ReadBool(std::string_view key, bool* out) const;
  void ReadNumber(std::string_view key, double min, double max, double* out) const;
  void ReadDuration(std::string_view key, sim::Duration* out) const;
  void ReadInt(std::string_view key, int64_t min, int64_t max, int64_t* out) const;
  void ReadInt(std::string_view key, int64_t min, int64_t max, int* out) const;

 private:
  struct Entry {
    std::string key;
    Position key_position;
    YAML::Node value;
  };
  // `keys` lists the allowed keys, or is null when any key is allowed.
  MappingReader(const YamlContext& context, const YamlField& field, std::string section,
                const std::vector<std::string_view>* keys);
  const Entry* Find(std::string_view key) const;
  const Entry& Get(std::string_view key) const;
  void AddEntries(const YAML::Node& mapping, const std::vector<std::string_view>* keys);
  void AddEntry(const YAML::Node& key, const YAML::Node& value,
                const std::vector<std::string_view>* keys);

  const YamlContext* context_;
  Position position_;
  std::string section_;
  std::vector<Entry> entries_;  // document order
};

}  // namespace streamsim::scenarios
