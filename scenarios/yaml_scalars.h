// Typed reading of YAML scalars: text, names, integers, numbers, booleans, durations. Numbers and
// booleans must be plain (unquoted) scalars, as YAML's core schema says: `2` is an integer, `"2"`
// a string. Every function throws LoadFailure at the field's position with a message naming what
// was expected and what was found ("expected a duration like 1s or 200ms, got 'ten'"). Internal to
// the loader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/yaml_reader.h"
#include "simulator/time.h"

namespace streamsim::scenarios {

// YAML 1.2 core-schema spellings of plain scalars, shared by the typed readers below and by queue
// records (source_reader.cc).
bool IsPlainScalar(const YAML::Node& node);
bool IsNullSpelling(std::string_view text);                  // "", ~, null, Null, NULL
std::optional<bool> BoolSpelling(std::string_view text);     // true/True/TRUE, false/...
bool LooksLikeInteger(std::string_view text);                // [-+]?[0-9]+
std::optional<int64_t> ParseInteger(std::string_view text);  // nullopt when out of range
bool LooksLikeDecimal(std::string_view text);  // [-+]?(1.5 | -2. | .5)([eE][-+]?[0-9]+)?
std::optional<double> ParseDecimal(std::string_view text);  // 1.5, -2., .5, 1e3, .inf, .nan

// Any scalar, as written (quoted or not). Rejects sequences, mappings and empty values.
std::string ToText(const YamlField& field);
// ToText, and not empty: "'dir' must not be empty".
std::string ToName(const YamlField& field);
// A plain integer in [min, max]: "expected an integer, got ..."; "'workers' must be between 1 and
// 1000, got 0".
int64_t ToInt(const YamlField& field, int64_t min, int64_t max);
// A plain non-negative integer that fits 64 bits (seeds).
uint64_t ToUnsigned(const YamlField& field);
// A plain finite number (integer or decimal) in [min, max].
double ToNumber(const YamlField& field, double min, double max);
// true or false.
bool ToBool(const YamlField& field);
// One of `choices`: "unknown <what> 'kafka'; expected one of queue, socket, file" otherwise,
// with a suggestion when a choice is close.
std::string ToChoice(const YamlField& field, const std::vector<std::string_view>& choices,
                     std::string_view what);
// "10ms", "1.5s", "2m", "250us", "1h" (sim::ParseDuration).
sim::Duration ToDuration(const YamlField& field);
// ToDuration, and greater than zero: "'batch_interval' must be greater than 0".
sim::Duration ToPositiveDuration(const YamlField& field);

}  // namespace streamsim::scenarios
