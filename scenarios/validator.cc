// Name resolution, cycle detection, the place of stateSnapshots and output checks over the
// scenario model; slides and checkpoints have files of their own.
#include "scenarios/validator.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/checkpoint_validator.h"
#include "scenarios/fault_targets.h"
#include "scenarios/slide_validator.h"
#include "scenarios/suggest.h"

namespace streamsim::scenarios {
namespace {

// A name used somewhere, with where.
struct Reference {
  std::string name;
  Position position;
};

// The other streams an operator chain names (union, joins, cogroup, transformWith, and inside
// transforms), in the order written.
void AddOtherReferences(const std::vector<OperatorSpec>& ops, std::vector<Reference>* references) {
  for (const OperatorSpec& op : ops) {
    if (!op.other.empty()) references->push_back(Reference{op.other, op.other_position});
    AddOtherReferences(op.ops, references);
  }
}

// Everything a stream reads from: its `from`, then the streams its operators name.
std::vector<Reference> ReferencesOf(const StreamSpec& stream) {
  std::vector<Reference> references = {Reference{stream.from, stream.from_position}};
  AddOtherReferences(stream.ops, &references);
  return references;
}

// Depth-first search over stream -> stream edges in file order. The first cycle found is reported
// starting from its member that comes first in the file, at that stream's position.
class CycleFinder {
 public:
  explicit CycleFinder(const std::vector<StreamSpec>& streams) : streams_(streams) {
    for (size_t i = 0; i < streams.size(); ++i) index_of_[streams[i].name] = i;
  }

  std::optional<LoadError> Find() {
    state_.assign(streams_.size(), State::kUnvisited);
    for (size_t i = 0; i < streams_.size(); ++i) {
      if (state_[i] != State::kUnvisited) continue;
      if (std::optional<std::vector<size_t>> cycle = Visit(i)) return Describe(*cycle);
    }
    return std::nullopt;
  }

 private:
  enum class State { kUnvisited, kOnPath, kDone };

  // Returns the cycle (stream indexes, first repeated at the end) if one is reachable.
  std::optional<std::vector<size_t>> Visit(size_t stream) {
    state_[stream] = State::kOnPath;
    path_.push_back(stream);
    for (const Reference& reference : ReferencesOf(streams_[stream])) {
      const auto next = index_of_.find(reference.name);
      if (next == index_of_.end()) continue;  // a source
      if (state_[next->second] == State::kOnPath) return CycleEndingAt(next->second);
      if (state_[next->second] == State::kUnvisited) {
        if (auto cycle = Visit(next->second)) return cycle;
      }
    }
    path_.pop_back();
    state_[stream] = State::kDone;
    return std::nullopt;
  }

  // The part of the path from `start` on, rotated to begin at its earliest stream, closed.
  std::vector<size_t> CycleEndingAt(size_t start) const {
    std::vector<size_t> cycle(std::find(path_.begin(), path_.end(), start), path_.end());
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    cycle.push_back(cycle.front());
    return cycle;
  }

  LoadError Describe(const std::vector<size_t>& cycle) const {
    std::string text;
    for (size_t stream : cycle) text += (text.empty() ? "" : " -> ") + streams_[stream].name;
    return LoadError{streams_[cycle.front()].position, "cycle in streams: " + text};
  }

  const std::vector<StreamSpec>& streams_;
  std::map<std::string, size_t> index_of_;
  std::vector<State> state_;
  std::vector<size_t> path_;
};

class Validator {
 public:
  explicit Validator(const Scenario& scenario) : scenario_(scenario) {}

  std::optional<LoadError> FirstError() {
    if (auto error = CheckUniqueNames()) return error;
    if (auto error = CheckReferences()) return error;
    if (auto error = CheckCycles()) return error;
    if (auto error = CheckStateSnapshots()) return error;
    std::vector<CheckpointedOperator> checkpointed;
    if (auto error = CheckSlides(scenario_, &checkpointed)) return error;
    if (auto error = CheckOutputs()) return error;
    return CheckCheckpoints(scenario_.streaming, checkpointed);
  }

 private:
  std::optional<LoadError> CheckUniqueNames() {
    for (const SourceSpec& source : scenario_.sources) {
      if (auto error = Declare(source.name, "source", source.position)) return error;
    }
    for (const StreamSpec& stream : scenario_.streams) {
      if (auto error = Declare(stream.name, "stream", stream.position)) return error;
    }
    return std::nullopt;
  }

  std::optional<LoadError> Declare(const std::string& name, const char* what,
                                   const Position& position) {
    const auto [existing, inserted] = kind_of_name_.emplace(name, what);
    if (inserted) {
      names_.push_back(existing->first);
      return std::nullopt;
    }
    return LoadError{position, fmt::format("duplicate name '{}': a {} is already called '{}'", name,
                                           existing->second, name)};
  }

  std::optional<LoadError> CheckReference(const Reference& reference) const {
    if (kind_of_name_.contains(reference.name)) return std::nullopt;
    return LoadError{
        reference.position,
        fmt::format("stream '{}' names nothing: no source or stream called '{}'{}", reference.name,
                    reference.name, DidYouMean(reference.name, names_))};
  }

  std::optional<LoadError> CheckReferences() const {
    for (const StreamSpec& stream : scenario_.streams) {
      for (const Reference& reference : ReferencesOf(stream)) {
        if (auto error = CheckReference(reference)) return error;
      }
    }
    return std::nullopt;
  }

  std::optional<LoadError> CheckCycles() const { return CycleFinder(scenario_.streams).Find(); }

  // stateSnapshots reads the state of the mapWithState right before it: the previous operator of
  // its chain or, first in a chain, the last operator of the stream it reads from (through
  // streams without operators, which are their `from`).
  std::optional<LoadError> CheckStateSnapshots() const {
    for (const StreamSpec& stream : scenario_.streams) {
      for (size_t i = 0; i < stream.ops.size(); ++i) {
        if (stream.ops[i].name != "stateSnapshots") continue;
        const OperatorSpec* before = i > 0 ? &stream.ops[i - 1] : LastOperatorOf(stream.from);
        if (before == nullptr || before->name != "mapWithState") {
          return LoadError{stream.ops[i].position, "stateSnapshots must follow mapWithState"};
        }
      }
    }
    return std::nullopt;
  }

  // The last operator that makes the stream called `name`, or null for a source. REQUIRES: no
  // cycles; the loop is bounded by the number of streams all the same.
  const OperatorSpec* LastOperatorOf(std::string name) const {
    for (size_t step = 0; step < scenario_.streams.size(); ++step) {
      const auto stream = std::find_if(scenario_.streams.begin(), scenario_.streams.end(),
                                       [&](const StreamSpec& each) { return each.name == name; });
      if (stream == scenario_.streams.end()) return nullptr;
      if (!stream->ops.empty()) return &stream->ops.back();
      name = stream->from;
    }
    return nullptr;
  }

  std::optional<LoadError> CheckOutputs() const {
    if (scenario_.outputs.empty()) {
      return LoadError{Position{scenario_.file, 1, 1},
                       "No output operations registered, so nothing to execute"};
    }
    std::set<std::string> collect_names;
    for (const OutputSpec& output : scenario_.outputs) {
      if (auto error = CheckReference(Reference{output.stream, output.stream_position})) {
        return error;
      }
      if (output.kind == OutputKind::kCollect &&
          !collect_names.insert(output.collect_name).second) {
        return LoadError{output.position,
                         fmt::format("duplicate collect name '{}'", output.collect_name)};
      }
    }
    return CheckSinkTables();
  }

  // A sink table has one kind (the sink database refuses a write of another kind) and one writer:
  // a `sink:` output is named after its table ("sink:counts"), and the table's rows, transactional
  // commit markers and write ledger are keyed by that name, so two outputs writing one table
  // would read as one (and the second's transactional writes would be skipped as already
  // committed). Table names ignore case, as in SQLite.
  std::optional<LoadError> CheckSinkTables() const {
    std::map<std::string, size_t> writer_of_table;  // lower-case table name -> output index
    for (size_t i = 0; i < scenario_.outputs.size(); ++i) {
      const OutputSpec& output = scenario_.outputs[i];
      if (output.kind != OutputKind::kSink) continue;
      const auto [first, inserted] = writer_of_table.emplace(LowerCase(output.sink_table), i);
      if (inserted) continue;
      const OutputSpec& writer = scenario_.outputs[first->second];
      const std::string spelled =
          writer.sink_table == output.sink_table
              ? ""
              : fmt::format(" as '{}' (table names ignore case)", writer.sink_table);
      if (writer.sink_kind != output.sink_kind) {
        return LoadError{
            output.sink_kind_position,
            fmt::format("sink table '{}' is {} for output {} (line {}){}; a table "
                        "has one kind, so it cannot also be {}",
                        output.sink_table, SinkKindName(writer.sink_kind), first->second + 1,
                        writer.position.line, spelled, SinkKindName(output.sink_kind))};
      }
      return LoadError{
          output.sink_table_position,
          fmt::format("sink table '{}' is already written by output {} (line {}){}; "
                      "a table has one output",
                      output.sink_table, first->second + 1, writer.position.line, spelled)};
    }
    return std::nullopt;
  }

  static std::string LowerCase(std::string text) {
    for (char& c : text) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
  }

  const Scenario& scenario_;
  std::map<std::string, const char*> kind_of_name_;  // "source" or "stream"
  std::vector<std::string_view> names_;              // declared names, sources first, file order
};

}  // namespace

bool ValidateScenario(const Scenario& scenario, LoadError* error) {
  std::optional<LoadError> first = Validator(scenario).FirstError();
  if (!first.has_value()) first = CheckFaultTargets(scenario);
  if (!first.has_value() && scenario.streaming.write_ahead_log &&
      !scenario.streaming.checkpoint_dir) {
    first = LoadError{scenario.streaming.write_ahead_log_position,
                      "Cannot enable receiver write-ahead log without checkpoint directory set. "
                      "Please use streamingContext.checkpoint() to set the checkpoint directory."};
  }
  if (!first.has_value()) return true;
  *error = std::move(*first);
  return false;
}

}  // namespace streamsim::scenarios
