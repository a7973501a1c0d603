// Sources, generators and queue records.
#include "scenarios/source_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "scenarios/agent_source_reader.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr size_t kSourcesMax = 1000;
constexpr size_t kQueueBatchesMax = 100000;
constexpr size_t kQueueRecordsMax = 1000000;  // in all batches of one source together
constexpr int kRecordDepthMax = 32;           // tuples inside tuples
constexpr double kRatePerSecondMax = 1e6;
constexpr int64_t kPortMax = 65535;
constexpr int64_t kPartitionsMax = 10000;
constexpr int64_t kLinesPerFileMax = 1000000;
constexpr int64_t kIpCountMax = 1000000;
constexpr int64_t kWordsPerLineMax = 10000;
constexpr size_t kGeneratorListMax = 100000;  // words in a vocabulary, lines in a lines generator
constexpr int64_t kRetentionRecordsMax = 100000000;  // per Kafka partition
constexpr size_t kTopicLengthMax = 249;              // Kafka's own limit on topic names

// A mapping whose `kind` decides which other keys it may have.
struct KindSchema {
  std::string_view name;
  std::vector<std::string_view> keys;
};

const std::vector<KindSchema>& SourceKinds() {
  static const std::vector<KindSchema> kinds = {
      {"queue", {"kind", "batches", "partitions", "one_at_a_time"}},
      {"socket", {"kind", "host", "port", "rate", "generator"}},
      {"file", {"kind", "dir", "rate", "lines_per_file", "generator"}},
      {"kafka",
       {"kind", "mode", "topic", "partitions", "rate", "max_rate_per_partition", "generator",
        "retention", "start", "group", "auto_commit_interval"}},
      {"custom", {"kind", "reliable", "rate", "generator"}},
      {"flume",
       {"kind", "mode", "rate", "generator", "channel_capacity", "max_batch_size",
        "transaction_timeout"}},
      {"kinesis",
       {"kind", "shards", "rate", "generator", "checkpoint_interval", "initial_position"}},
  };
  return kinds;
}

const std::vector<KindSchema>& GeneratorKinds() {
  static const std::vector<KindSchema> kinds = {
      {"log_lines", {"kind", "error_share"}},
      {"access_log", {"kind", "ips"}},
      {"words", {"kind", "vocabulary", "words_per_line"}},
      {"integers", {"kind", "min", "max"}},
      {"lines", {"kind", "lines"}},
  };
  return kinds;
}

// Reads the field as a mapping of the kind its `kind` key names, checking its keys against that
// kind. `what` names the kind in messages ("source kind").
const KindSchema& ReadKind(const YamlContext& context, const YamlField& field,
                           const std::string& section, const std::vector<KindSchema>& kinds,
                           std::string_view what) {
  std::vector<std::string_view> all_keys;
  std::vector<std::string_view> names;
  for (const KindSchema& kind : kinds) {
    all_keys.insert(all_keys.end(), kind.keys.begin(), kind.keys.end());
    names.push_back(kind.name);
  }
  const MappingReader any_kind(context, field, section, all_keys);
  const std::string name = ToChoice(any_kind.Required("kind"), names, what);
  for (const KindSchema& kind : kinds) {
    if (kind.name == name) return kind;
  }
  std::abort();  // ToChoice accepted a name that is not in `kinds`
}

std::vector<std::string> ReadTextList(const YamlContext& context, const YamlField& field) {
  std::vector<std::string> texts;
  for (const YamlField& item : SequenceItems(context, field, kGeneratorListMax)) {
    texts.push_back(ToText(item));
  }
  if (texts.empty()) Fail(field.position, fmt::format("'{}' must not be empty", field.name));
  return texts;
}

void ReadGeneratorParameters(const MappingReader& mapping, GeneratorSpec* generator) {
  mapping.ReadNumber("error_share", 0, 1, &generator->error_share);
  mapping.ReadInt("ips", 1, kIpCountMax, &generator->ip_count);
  if (mapping.Has("vocabulary")) {
    generator->vocabulary = ReadTextList(mapping.context(), mapping.Field("vocabulary"));
  }
  mapping.ReadInt("words_per_line", 1, kWordsPerLineMax, &generator->words_per_line);
  constexpr int64_t kLowest = std::numeric_limits<int64_t>::min();
  constexpr int64_t kHighest = std::numeric_limits<int64_t>::max();
  mapping.ReadInt("min", kLowest, kHighest, &generator->min);
  mapping.ReadInt("max", kLowest, kHighest, &generator->max);
  if (generator->min > generator->max) {
    // Either may be the default; point at the one written (max when both are).
    const Position at = mapping.Field(mapping.Has("max") ? "max" : "min").position;
    Fail(at, fmt::format("'max' ({}) must not be less than 'min' ({})", generator->max,
                         generator->min));
  }
  if (generator->kind == "lines") {
    generator->lines = ReadTextList(mapping.context(), mapping.Required("lines"));
  }
}

GeneratorSpec ReadGenerator(const YamlContext& context, const YamlField& field,
                            const std::string& source_name) {
  const std::string section = fmt::format("generator of source '{}'", source_name);
  const KindSchema& kind = ReadKind(context, field, section, GeneratorKinds(), "generator kind");
  const MappingReader mapping(context, field, section, kind.keys);
  GeneratorSpec generator;
  generator.kind = std::string(kind.name);
  generator.position = field.position;
  ReadGeneratorParameters(mapping, &generator);
  return generator;
}

records::Value ReadScalarRecord(const YamlField& field) {
  const std::string& text = field.node.Scalar();
  if (!IsPlainScalar(field.node)) return records::Value::String(text);
  if (IsNullSpelling(text)) return records::Value::Null();
  if (std::optional<bool> flag = BoolSpelling(text)) return records::Value::Bool(*flag);
  if (LooksLikeInteger(text)) {
    const std::optional<int64_t> number = ParseInteger(text);
    if (!number.has_value()) {
      Fail(field.position, fmt::format("integer {} is out of range; quote it for a string or "
                                       "write {}.0 for a double",
                                       text, text));
    }
    return records::Value::Int(*number);
  }
  if (std::optional<double> number = ParseDecimal(text)) {
    // Records hold finite numbers only: JSON, the sinks and the collect files have no NaN or
    // infinity, and a record must reach them as it was written.
    if (!std::isfinite(*number)) {
      Fail(field.position, fmt::format("record value {} is not a finite number; records hold "
                                       "finite numbers only (quote it for a string)",
                                       text));
    }
    return records::Value::Double(*number);
  }
  if (LooksLikeDecimal(text)) {
    Fail(field.position, fmt::format("number {} is out of range; quote it for a string", text));
  }
  return records::Value::String(text);
}

records::Value ReadRecordAtDepth(const YamlContext& context, const YamlField& field, int depth) {
  if (field.node.IsNull()) return records::Value::Null();
  if (field.node.IsScalar()) return ReadScalarRecord(field);
  if (!field.node.IsSequence()) {
    Fail(field.position, fmt::format("expected a record (a scalar, or a sequence for a tuple), "
                                     "got {}",
                                     Describe(field.node)));
  }
  if (depth >= kRecordDepthMax) {
    Fail(field.position, fmt::format("records nest more than {} deep", kRecordDepthMax));
  }
  records::Values items;
  for (const YamlField& item : SequenceItems(context, field, kQueueRecordsMax)) {
    items.push_back(ReadRecordAtDepth(context, item, depth + 1));
  }
  return records::Value::Tuple(std::move(items));
}

void ReadQueueBatches(const YamlContext& context, const YamlField& field, SourceSpec* source) {
  size_t records = 0;
  for (const YamlField& batch : SequenceItems(context, field, kQueueBatchesMax)) {
    std::vector<records::Value>& values = source->batches.emplace_back();
    for (const YamlField& record : SequenceItems(context, batch, kQueueRecordsMax)) {
      if (++records > kQueueRecordsMax) {
        Fail(record.position,
             fmt::format("a queue source holds at most {} records in all", kQueueRecordsMax));
      }
      values.push_back(ReadRecord(context, record));
    }
  }
}

// Kafka's legal topic names: ASCII letters, digits, '.', '_' and '-', at most 249 characters.
bool IsKafkaTopicName(const std::string& topic) {
  if (topic.empty() || topic.size() > kTopicLengthMax || topic == "." || topic == "..") {
    return false;
  }
  return std::all_of(topic.begin(), topic.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

// A key that only one kafka mode has, written in a source of the other mode.
void RejectKeyOfOtherMode(const MappingReader& mapping, const SourceSpec& source,
                          std::string_view key, SourceMode mode, std::string_view why) {
  if (source.mode == mode || !mapping.Has(key)) return;
  Fail(mapping.Field(key).position,
       fmt::format("'{}' is for kafka sources with mode: {} ({}); source '{}' has mode: {}", key,
                   SourceModeName(mode), why, source.name, SourceModeName(source.mode)));
}

// The receiver-based stream's own keys (KafkaUtils.createStream's consumer settings).
void ReadKafkaReceiverFields(const MappingReader& mapping, SourceSpec* source) {
  RejectKeyOfOtherMode(mapping, *source, "max_rate_per_partition", SourceMode::kDirect,
                       "a receiver's rate limit is spark.streaming.receiver.maxRate");
  RejectKeyOfOtherMode(mapping, *source, "group", SourceMode::kReceiver,
                       "the direct stream has no group");
  RejectKeyOfOtherMode(mapping, *source, "auto_commit_interval", SourceMode::kReceiver,
                       "the direct stream commits nothing");
  if (source->mode != SourceMode::kReceiver) return;
  mapping.ReadName("group", &source->group);
  if (mapping.Has("auto_commit_interval")) {
    source->auto_commit_interval = ToPositiveDuration(mapping.Field("auto_commit_interval"));
  }
}

// The keys of a kafka source other than its rate and generator.
void ReadKafkaFields(const MappingReader& mapping, SourceSpec* source) {
  if (mapping.Has("mode")) {
    source->mode =
        SourceModeFromName(ToChoice(mapping.Field("mode"), {"direct", "receiver"}, "kafka mode"));
  }
  ReadKafkaReceiverFields(mapping, source);
  const YamlField topic = mapping.Required("topic");
  source->topic = ToName(topic);
  source->topic_position = topic.position;
  if (!IsKafkaTopicName(source->topic)) {
    Fail(topic.position, fmt::format("'topic' must be a Kafka topic name (letters, digits, '.', "
                                     "'_' and '-', at most {} characters), got '{}'",
                                     kTopicLengthMax, source->topic));
  }
  mapping.ReadInt("partitions", 1, kPartitionsMax, &source->kafka_partitions);
  if (mapping.Has("max_rate_per_partition")) {
    source->max_rate_per_partition = ReadRatePerSecond(mapping.Field("max_rate_per_partition"));
  }
  mapping.ReadInt("retention", 1, kRetentionRecordsMax, &source->retention);
  if (mapping.Has("start")) {
    source->start = ToChoice(mapping.Field("start"), {"latest", "earliest"}, "starting offset");
  }
}

bool SameGenerator(const GeneratorSpec& a, const GeneratorSpec& b) {
  return a.kind == b.kind && a.error_share == b.error_share && a.ip_count == b.ip_count &&
         a.vocabulary == b.vocabulary && a.words_per_line == b.words_per_line && a.min == b.min &&
         a.max == b.max && a.lines == b.lines;
}

// Sources of one topic share its broker, so they must describe the same producer.
void CheckSharedTopics(const std::vector<SourceSpec>& sources) {
  std::map<std::string, const SourceSpec*> first_of_topic;
  for (const SourceSpec& source : sources) {
    if (source.kind != SourceKind::kKafka) continue;
    const auto [first, inserted] = first_of_topic.emplace(source.topic, &source);
    const SourceSpec& other = *first->second;
    if (inserted ||
        (other.kafka_partitions == source.kafka_partitions &&
         other.rate_per_second == source.rate_per_second && other.retention == source.retention &&
         SameGenerator(other.generator, source.generator))) {
      continue;
    }
    Fail(source.topic_position,
         fmt::format("source '{}' reads topic '{}' as source '{}' does, but describes another "
                     "producer: sources of one topic must agree on partitions, rate, retention "
                     "and generator",
                     source.name, source.topic, other.name));
  }
}

void ReadSourceFields(const MappingReader& mapping, SourceSpec* source) {
  if (source->kind == SourceKind::kQueue) {
    if (mapping.Has("batches"))
      ReadQueueBatches(mapping.context(), mapping.Field("batches"), source);
    mapping.ReadInt("partitions", 1, kPartitionsMax, &source->partitions);
    mapping.ReadBool("one_at_a_time", &source->one_at_a_time);
    return;
  }
  if (source->kind == SourceKind::kSocket) {
    mapping.ReadName("host", &source->host);
    source->port = static_cast<int>(ToInt(mapping.Required("port"), 1, kPortMax));
  } else if (source->kind == SourceKind::kKafka) {
    ReadKafkaFields(mapping, source);
  } else if (source->kind == SourceKind::kCustom) {
    mapping.ReadBool("reliable", &source->reliable);
  } else if (source->kind == SourceKind::kFlume) {
    ReadFlumeFields(mapping, source);
  } else if (source->kind == SourceKind::kKinesis) {
    ReadKinesisFields(mapping, source);
  } else {
    source->directory = ToName(mapping.Required("dir"));
    mapping.ReadInt("lines_per_file", 1, kLinesPerFileMax, &source->lines_per_file);
  }
  source->rate_per_second = ReadRatePerSecond(mapping.Required("rate"));
  source->generator.position = source->position;
  if (mapping.Has("generator")) {
    source->generator = ReadGenerator(mapping.context(), mapping.Field("generator"), source->name);
  }
}

SourceSpec ReadSource(const YamlContext& context, const YamlField& field,
                      const Position& name_position) {
  SourceSpec source;
  source.name = field.name;
  source.position = name_position;
  const std::string section = fmt::format("source '{}'", source.name);
  const KindSchema& kind = ReadKind(context, field, section, SourceKinds(), "source kind");
  source.kind = SourceKindFromName(kind.name);
  ReadSourceFields(MappingReader(context, field, section, kind.keys), &source);
  return source;
}

// The unit of a rate's "/unit" suffix in seconds, or nullopt.
std::optional<double> RateUnitSeconds(std::string_view unit) {
  if (unit == "s") return 1;
  if (unit == "m" || unit == "min") return 60;
  if (unit == "h") return 3600;
  return std::nullopt;
}

}  // namespace

std::vector<SourceSpec> ReadSources(const YamlContext& context, const YamlField& sources) {
  const MappingReader by_name(context, sources, "sources", MappingReader::AnyKey{});
  if (by_name.Keys().size() > kSourcesMax) {
    Fail(sources.position, fmt::format("at most {} sources are allowed", kSourcesMax));
  }
  std::vector<SourceSpec> specs;
  for (const std::string& name : by_name.Keys()) {
    specs.push_back(ReadSource(context, by_name.Field(name), by_name.KeyPosition(name)));
  }
  CheckSharedTopics(specs);
  return specs;
}

records::Value ReadRecord(const YamlContext& context, const YamlField& field) {
  return ReadRecordAtDepth(context, field, 0);
}

double ReadRatePerSecond(const YamlField& field) {
  const std::string text = field.node.IsScalar() ? field.node.Scalar() : "";
  const size_t slash = text.find('/');
  const std::optional<double> count = ParseDecimal(text.substr(0, slash));
  const std::optional<double> unit_seconds =
      slash == std::string::npos ? 1.0 : RateUnitSeconds(std::string_view(text).substr(slash + 1));
  if (!field.node.IsScalar() || !count.has_value() || !unit_seconds.has_value() ||
      !std::isfinite(*count) || (slash == std::string::npos && !IsPlainScalar(field.node))) {
    Fail(field.position,
         fmt::format("expected a rate like 200/s or 0.5/s, got {}", Describe(field.node)));
  }
  const double per_second = *count / *unit_seconds;
  if (per_second <= 0 || per_second > kRatePerSecondMax) {
    Fail(field.position, fmt::format("'{}' must be greater than 0 and at most {}/s, got {}",
                                     field.name, kRatePerSecondMax, text));
  }
  return per_second;
}

}  // namespace streamsim::scenarios
