// Streams and outputs.
#include "scenarios/stream_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>
#include <string>
#include <string_view>

#include "scenarios/operator_reader.h"
#include "scenarios/sink_reader.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr size_t kStreamsMax = 1000;
constexpr size_t kOutputsMax = 1000;
constexpr int64_t kPrintCountMax = 1000000;
constexpr int kPrintCountDefault = 10;  // Spark's print()

// The keys of an output that say what it does; an output has exactly one. `sink:` (a table of the
// run's sink database) is an action of its own rather than a kind under foreachRDD, since it takes
// a table where the file sink takes a path; each spelling points to the other when given the
// other's kinds (sink_reader.h).
const std::vector<std::string_view>& OutputActions() {
  static const std::vector<std::string_view> actions = {"print", "collect", "saveAsTextFiles",
                                                        "foreachRDD", "sink"};
  return actions;
}

std::vector<std::string_view> OutputKeys() {
  std::vector<std::string_view> keys = {"stream"};
  keys.insert(keys.end(), OutputActions().begin(), OutputActions().end());
  return keys;
}

StreamSpec ReadStream(const YamlContext& context, const YamlField& field,
                      const Position& name_position) {
  const MappingReader mapping(context, field, fmt::format("stream '{}'", field.name),
                              {"from", "ops"});
  StreamSpec stream;
  stream.name = field.name;
  stream.position = name_position;
  const YamlField from = mapping.Required("from");
  stream.from = ToName(from);
  stream.from_position = from.position;
  if (mapping.Has("ops")) stream.ops = ReadOperators(context, mapping.Field("ops"));
  return stream;
}

// The one action key present, or LoadFailure when there is none or more than one.
std::string OutputAction(const MappingReader& mapping) {
  std::optional<std::string> action;
  for (const std::string& key : mapping.Keys()) {
    if (key == "stream") continue;
    if (action.has_value()) {
      Fail(mapping.KeyPosition(key),
           fmt::format("an output does one thing; this one has both '{}' and '{}'", *action, key));
    }
    action = key;
  }
  if (!action.has_value()) {
    Fail(mapping.position(),
         fmt::format("{} needs one of {}", mapping.section(), fmt::join(OutputActions(), ", ")));
  }
  return *action;
}

// print: N, or print: true for Spark's default of 10.
int ReadPrintCount(const YamlField& field) {
  const bool plain = field.node.IsScalar() && IsPlainScalar(field.node);
  if (plain && BoolSpelling(field.node.Scalar()) == true) return kPrintCountDefault;
  if (plain && LooksLikeInteger(field.node.Scalar())) {
    return static_cast<int>(ToInt(field, 1, kPrintCountMax));
  }
  Fail(field.position,
       fmt::format("expected a number of records or true, got {}", Describe(field.node)));
}

void ReadTextFilesAction(const YamlContext& context, const YamlField& field, OutputSpec* output) {
  if (field.node.IsScalar()) {
    output->prefix = ToName(field);
    return;
  }
  const MappingReader mapping(context, field, "saveAsTextFiles", {"prefix", "suffix"});
  output->prefix = ToName(mapping.Required("prefix"));
  mapping.ReadText("suffix", &output->suffix);
}

void ReadForeachAction(const YamlContext& context, const YamlField& field, OutputSpec* output) {
  const MappingReader mapping(context, field, "foreachRDD", {"sink"});
  const MappingReader sink(context, mapping.Required("sink"), "sink", {"kind", "path"});
  output->sink_kind = SinkKindFromName(ReadForeachSinkKind(sink.Required("kind")));
  output->sink_path = ToName(sink.Required("path"));
}

void ReadOutputAction(const YamlContext& context, const MappingReader& mapping,
                      OutputSpec* output) {
  output->kind = OutputKindFromName(OutputAction(mapping));
  const YamlField field = mapping.Field(std::string(OutputKindName(output->kind)));
  if (output->kind == OutputKind::kPrint) {
    output->print_count = ReadPrintCount(field);
  } else if (output->kind == OutputKind::kCollect) {
    output->collect_name = ToName(field);
  } else if (output->kind == OutputKind::kSaveAsTextFiles) {
    ReadTextFilesAction(context, field, output);
  } else if (output->kind == OutputKind::kSink) {
    ReadSinkAction(context, field, output);
  } else {
    ReadForeachAction(context, field, output);
  }
}

OutputSpec ReadOutput(const YamlContext& context, const YamlField& field, size_t index) {
  const MappingReader mapping(context, field, fmt::format("output {}", index + 1), OutputKeys());
  OutputSpec output;
  output.position = field.position;
  const YamlField stream = mapping.Required("stream");
  output.stream = ToName(stream);
  output.stream_position = stream.position;
  ReadOutputAction(context, mapping, &output);
  return output;
}

}  // namespace

std::vector<StreamSpec> ReadStreams(const YamlContext& context, const YamlField& streams) {
  const MappingReader by_name(context, streams, "streams", MappingReader::AnyKey{});
  if (by_name.Keys().size() > kStreamsMax) {
    Fail(streams.position, fmt::format("at most {} streams are allowed", kStreamsMax));
  }
  std::vector<StreamSpec> specs;
  for (const std::string& name : by_name.Keys()) {
    specs.push_back(ReadStream(context, by_name.Field(name), by_name.KeyPosition(name)));
  }
  return specs;
}

std::vector<OutputSpec> ReadOutputs(const YamlContext& context, const YamlField& outputs) {
  std::vector<OutputSpec> specs;
  for (const YamlField& item : SequenceItems(context, outputs, kOutputsMax)) {
    specs.push_back(ReadOutput(context, item, specs.size()));
  }
  return specs;
}

}  // namespace streamsim::scenarios
