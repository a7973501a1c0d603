// Stop condition, streaming context settings (with checkpointing and retention), cluster shape,
// network and cost overrides.
#include "scenarios/settings_reader.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr int64_t kStopBatchesMax = 1000000;
constexpr int64_t kWorkersMax = 1000;
constexpr int64_t kCoresPerWorkerMax = 1000;
constexpr double kBandwidthBytesPerSecondMax = 1e12;  // 1 TB/s
constexpr double kCostFactorMax = 1e6;
constexpr size_t kCostEntriesMax = 100;

// Spark's StorageLevel names that make sense for received blocks.
const std::vector<std::string_view>& StorageLevels() {
  static const std::vector<std::string_view> levels = {"MEMORY_ONLY",
                                                       "MEMORY_ONLY_2",
                                                       "MEMORY_ONLY_SER",
                                                       "MEMORY_ONLY_SER_2",
                                                       "MEMORY_AND_DISK",
                                                       "MEMORY_AND_DISK_2",
                                                       "MEMORY_AND_DISK_SER",
                                                       "MEMORY_AND_DISK_SER_2",
                                                       "DISK_ONLY",
                                                       "DISK_ONLY_2",
                                                       "OFF_HEAP"};
  return levels;
}

// Bytes per second of one unit of a "<number><unit>/s" bandwidth, or nullopt.
std::optional<double> BandwidthUnitBytes(std::string_view unit) {
  if (unit == "B") return 1;
  if (unit == "KB" || unit == "kB") return 1e3;
  if (unit == "MB") return 1e6;
  if (unit == "GB") return 1e9;
  if (unit == "bit") return 1.0 / 8;
  if (unit == "Kbit" || unit == "kbit") return 1e3 / 8;
  if (unit == "Mbit") return 1e6 / 8;
  if (unit == "Gbit") return 1e9 / 8;
  return std::nullopt;
}

// Splits "125MB/s" into 125 and the unit's bytes; a plain number is bytes.
std::optional<double> ParseBandwidth(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& text = node.Scalar();
  if (IsPlainScalar(node) && LooksLikeInteger(text)) return ParseDecimal(text);
  if (text.size() < 2 || text.substr(text.size() - 2) != "/s") return std::nullopt;
  const std::string_view without_per_second = std::string_view(text).substr(0, text.size() - 2);
  size_t number_end = 0;
  while (number_end < without_per_second.size() &&
         (std::isdigit(static_cast<unsigned char>(without_per_second[number_end])) ||
          without_per_second[number_end] == '.')) {
    ++number_end;
  }
  const std::optional<double> count = ParseDecimal(without_per_second.substr(0, number_end));
  const std::optional<double> unit = BandwidthUnitBytes(without_per_second.substr(number_end));
  if (!count.has_value() || !unit.has_value()) return std::nullopt;
  return *count * *unit;
}

// latency: {min, mean, max}, or one duration for all three.
void ReadLatency(const YamlContext& context, const YamlField& field, NetworkSpec* network) {
  if (field.node.IsScalar()) {
    network->latency_min = network->latency_mean = network->latency_max = ToDuration(field);
    return;
  }
  const MappingReader mapping(context, field, "network latency", {"min", "mean", "max"});
  mapping.ReadDuration("min", &network->latency_min);
  mapping.ReadDuration("mean", &network->latency_mean);
  mapping.ReadDuration("max", &network->latency_max);
  if (network->latency_min > network->latency_mean ||
      network->latency_mean > network->latency_max) {
    Fail(field.position,
         fmt::format("latency needs min <= mean <= max, got min {}, mean {}, max {}",
                     sim::FormatDuration(network->latency_min),
                     sim::FormatDuration(network->latency_mean),
                     sim::FormatDuration(network->latency_max)));
  }
}

// One cost override: a duration goes to `durations`, a number to `factors`.
void ReadCostEntry(const YamlField& field, CostSpec* cost) {
  sim::Duration duration;
  if (field.node.IsScalar() && sim::ParseDuration(field.node.Scalar(), &duration)) {
    cost->durations[field.name] = duration;
    return;
  }
  const std::optional<double> factor = field.node.IsScalar() && IsPlainScalar(field.node)
                                           ? ParseDecimal(field.node.Scalar())
                                           : std::nullopt;
  if (!factor.has_value() || !std::isfinite(*factor)) {
    Fail(field.position,
         fmt::format("expected a duration like 2ms or a number, got {}", Describe(field.node)));
  }
  cost->factors[field.name] = ToNumber(field, 0, kCostFactorMax);
}

// The duration > 0 under `key`, when the key is present; its position goes to `*position` unless
// that is null.
std::optional<sim::Duration> OptionalPositiveDuration(const MappingReader& mapping,
                                                      std::string_view key, Position* position) {
  if (!mapping.Has(key)) return std::nullopt;
  const YamlField field = mapping.Field(key);
  if (position != nullptr) *position = field.position;
  return ToPositiveDuration(field);
}

void ReadIntervalsAndStorage(const MappingReader& mapping, StreamingSpec* streaming) {
  if (mapping.Has("batch_interval")) {
    streaming->batch_interval = ToPositiveDuration(mapping.Field("batch_interval"));
  }
  if (mapping.Has("block_interval")) {
    streaming->block_interval = ToPositiveDuration(mapping.Field("block_interval"));
  }
  if (mapping.Has("storage_level")) {
    streaming->storage_level =
        ToChoice(mapping.Field("storage_level"), StorageLevels(), "storage level");
  }
  if (mapping.Has("serializer")) {
    streaming->serializer = ToChoice(mapping.Field("serializer"), {"java", "kryo"}, "serializer");
  }
}

// checkpoint: a directory, or {dir, interval}.
void ReadCheckpoint(const YamlContext& context, const YamlField& field, StreamingSpec* streaming) {
  streaming->checkpoint_position = field.position;
  if (field.node.IsScalar()) {
    streaming->checkpoint_dir = ToName(field);
    return;
  }
  const MappingReader mapping(context, field, "checkpoint", {"dir", "interval"});
  streaming->checkpoint_dir = ToName(mapping.Required("dir"));
  streaming->checkpoint_interval =
      OptionalPositiveDuration(mapping, "interval", &streaming->checkpoint_interval_position);
}

}  // namespace

StopSpec ReadStop(const YamlContext& context, const YamlField& field) {
  const MappingReader mapping(context, field, "stop", {"batches", "after", "graceful"});
  StopSpec stop;
  stop.position = field.position;
  if (mapping.Has("batches")) stop.batches = ToInt(mapping.Field("batches"), 1, kStopBatchesMax);
  if (mapping.Has("after")) stop.after = ToPositiveDuration(mapping.Field("after"));
  mapping.ReadBool("graceful", &stop.graceful);
  if (!stop.batches.has_value() && !stop.after.has_value()) {
    Fail(field.position, "stop needs 'batches' or 'after'");
  }
  return stop;
}

StreamingSpec ReadStreaming(const YamlContext& context, const YamlField& field) {
  const MappingReader mapping(
      context, field, "streaming",
      {"batch_interval", "block_interval", "storage_level", "serializer", "checkpoint", "supervise",
       "cleaner_ttl", "unpersist", "remember", "write_ahead_log"});
  StreamingSpec streaming;
  streaming.position = field.position;
  ReadIntervalsAndStorage(mapping, &streaming);
  if (mapping.Has("checkpoint")) ReadCheckpoint(context, mapping.Field("checkpoint"), &streaming);
  mapping.ReadBool("supervise", &streaming.supervise);
  if (mapping.Has("write_ahead_log")) {
    streaming.write_ahead_log_position = mapping.Field("write_ahead_log").position;
    mapping.ReadBool("write_ahead_log", &streaming.write_ahead_log);
  }
  mapping.ReadBool("unpersist", &streaming.unpersist);
  streaming.cleaner_ttl =
      OptionalPositiveDuration(mapping, "cleaner_ttl", &streaming.cleaner_ttl_position);
  streaming.remember = OptionalPositiveDuration(mapping, "remember", nullptr);
  return streaming;
}

ClusterSpec ReadCluster(const YamlContext& context, const YamlField& field) {
  const MappingReader mapping(context, field, "cluster", {"workers", "cores"});
  ClusterSpec cluster;
  cluster.position = field.position;
  mapping.ReadInt("workers", 1, kWorkersMax, &cluster.workers);
  mapping.ReadInt("cores", 1, kCoresPerWorkerMax, &cluster.cores_per_worker);
  return cluster;
}

NetworkSpec ReadNetwork(const YamlContext& context, const YamlField& field) {
  const MappingReader mapping(context, field, "network", {"latency", "bandwidth", "loss"});
  NetworkSpec network;
  if (mapping.Has("latency")) ReadLatency(context, mapping.Field("latency"), &network);
  if (mapping.Has("bandwidth")) {
    network.bandwidth_bytes_per_second = ReadBandwidthBytesPerSecond(mapping.Field("bandwidth"));
  }
  mapping.ReadNumber("loss", 0, 1, &network.loss);
  return network;
}

CostSpec ReadCost(const YamlContext& context, const YamlField& field) {
  const MappingReader mapping(context, field, "cost", MappingReader::AnyKey{});
  if (mapping.Keys().size() > kCostEntriesMax) {
    Fail(field.position, fmt::format("at most {} cost overrides are allowed", kCostEntriesMax));
  }
  CostSpec cost;
  for (const std::string& name : mapping.Keys()) {
    ReadCostEntry(mapping.Field(name), &cost);
    cost.positions[name] = mapping.KeyPosition(name);
  }
  return cost;
}

int64_t ReadBandwidthBytesPerSecond(const YamlField& field) {
  const std::optional<double> bytes = ParseBandwidth(field.node);
  if (!bytes.has_value() || !std::isfinite(*bytes)) {
    Fail(field.position, fmt::format("expected a bandwidth like 1Gbit/s, 125MB/s or a number of "
                                     "bytes per second, got {}",
                                     Describe(field.node)));
  }
  if (*bytes < 1 || *bytes > kBandwidthBytesPerSecondMax) {
    Fail(field.position, fmt::format("'{}' must be between 1 B/s and 1000GB/s, got {}", field.name,
                                     field.node.Scalar()));
  }
  return static_cast<int64_t>(*bytes);
}

}  // namespace streamsim::scenarios
