// Reading file outputs back from a run's store (harness/stored_outputs.h).
#include "harness/stored_outputs.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "scenarios/output_name.h"

namespace streamsim::harness {
namespace {

using BatchRecords = std::map<int64_t, records::Values>;

std::optional<int64_t> ParseMillis(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// The batch time of a part file "<prefix>-<ms>[.<suffix>]/part-NNNNN" of this output.
std::optional<int64_t> BatchOfPartFile(const scenarios::OutputSpec& spec, std::string_view path) {
  const std::string head = spec.prefix + "-";
  if (path.substr(0, head.size()) != head) return std::nullopt;
  path.remove_prefix(head.size());
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos || path.substr(slash + 1, 5) != "part-") return std::nullopt;
  if (path.ends_with(".tmp")) return std::nullopt;  // a write that never reached its rename
  std::string_view directory = path.substr(0, slash);
  const std::string tail = spec.suffix.empty() ? "" : "." + spec.suffix;
  if (directory.size() < tail.size() || directory.substr(directory.size() - tail.size()) != tail) {
    return std::nullopt;
  }
  directory.remove_suffix(tail.size());
  return ParseMillis(directory);
}

BatchRecords TextFiles(const scenarios::OutputSpec& spec, const sim::Storage& storage) {
  BatchRecords batches;
  const size_t slash = spec.prefix.rfind('/');
  const std::string parent = slash == std::string::npos ? "" : spec.prefix.substr(0, slash);
  for (const std::string& path : storage.List(parent)) {
    const std::optional<int64_t> batch = BatchOfPartFile(spec, path);
    if (!batch) continue;
    const Result<std::string> contents = storage.Read(path);
    if (!contents.ok()) continue;
    records::Values& records = batches[*batch];
    for (std::string_view line : Lines(contents.value())) {
      records.push_back(records::Value::String(std::string(line)));
    }
  }
  return batches;
}

// A file sink's lines are "<batch ms>\t<partition>\t<record as JSON>" (engine/streaming/output.cc).
BatchRecords FileSink(const scenarios::OutputSpec& spec, const sim::Storage& storage) {
  BatchRecords batches;
  const Result<std::string> contents = storage.Read(spec.sink_path);
  if (!contents.ok()) return batches;
  for (std::string_view line : Lines(contents.value())) {
    const size_t first = line.find('\t');
    const size_t second = first == std::string_view::npos ? first : line.find('\t', first + 1);
    if (second == std::string_view::npos) continue;  // a torn last line
    const std::optional<int64_t> batch = ParseMillis(line.substr(0, first));
    const std::string_view record = line.substr(second + 1);
    if (!batch || !nlohmann::json::accept(record)) continue;  // a torn last line
    batches[*batch].push_back(records::Value::String(std::string(record)));
  }
  return batches;
}

}  // namespace

std::map<std::string, BatchRecords> StoredOutputsOf(const scenarios::Scenario& scenario,
                                                    const sim::Storage& storage) {
  std::map<std::string, BatchRecords> outputs;
  for (const scenarios::OutputSpec& spec : scenario.outputs) {
    BatchRecords batches;
    if (spec.kind == scenarios::OutputKind::kSaveAsTextFiles) batches = TextFiles(spec, storage);
    if (spec.kind == scenarios::OutputKind::kForeachRdd) batches = FileSink(spec, storage);
    if (!batches.empty()) outputs[scenarios::OutputName(spec)] = std::move(batches);
  }
  return outputs;
}

}  // namespace streamsim::harness
