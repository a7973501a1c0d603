// Flume and Kinesis source keys.
#include "scenarios/agent_source_reader.h"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr int64_t kChannelCapacityMax = 100000000;  // events
constexpr int64_t kMaxBatchSizeMax = 1000000;       // events per polled batch
constexpr int64_t kShardsMax = 10000;

// A key of pull mode written in a push source.
void RejectPullKey(const MappingReader& mapping, const SourceSpec& source, std::string_view key) {
  if (source.mode == SourceMode::kPull || !mapping.Has(key)) return;
  Fail(mapping.Field(key).position,
       fmt::format("'{}' is for flume sources with mode: pull (SparkSink's setting); source '{}' "
                   "has mode: push",
                   key, source.name));
}

}  // namespace

void ReadFlumeFields(const MappingReader& mapping, SourceSpec* source) {
  source->mode =
      SourceModeFromName(ToChoice(mapping.Required("mode"), {"push", "pull"}, "flume mode"));
  mapping.ReadInt("channel_capacity", 1, kChannelCapacityMax, &source->channel_capacity);
  RejectPullKey(mapping, *source, "max_batch_size");
  RejectPullKey(mapping, *source, "transaction_timeout");
  mapping.ReadInt("max_batch_size", 1, kMaxBatchSizeMax, &source->max_batch_size);
  if (mapping.Has("transaction_timeout")) {
    source->transaction_timeout = ToPositiveDuration(mapping.Field("transaction_timeout"));
  }
}

void ReadKinesisFields(const MappingReader& mapping, SourceSpec* source) {
  mapping.ReadInt("shards", 1, kShardsMax, &source->shards);
  if (mapping.Has("checkpoint_interval")) {
    source->kinesis_checkpoint_interval = ToPositiveDuration(mapping.Field("checkpoint_interval"));
  }
  if (mapping.Has("initial_position")) {
    source->initial_position =
        ToChoice(mapping.Field("initial_position"), {"latest", "trim_horizon"}, "initial position");
  }
}

}  // namespace streamsim::scenarios
