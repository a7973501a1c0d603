// Flume and Kinesis sources from their scenario keys.
#include "harness/agent_sources.h"

#include <utility>

#include "engine/connectors/flume_polling_source.h"
#include "engine/connectors/flume_push_source.h"
#include "engine/connectors/kinesis_source.h"

namespace streamsim::harness {

std::unique_ptr<engine::ReceiverSource> MakeFlumeSource(const scenarios::SourceSpec& source,
                                                        records::GeneratorConfig generator,
                                                        sim::World* world) {
  externals::FlumeAgentConfig agent;
  agent.source_name = source.name;
  agent.rate_per_second = source.rate_per_second;
  agent.generator = std::move(generator);
  agent.channel_capacity = source.channel_capacity;
  if (source.mode == "push") {
    return std::make_unique<engine::FlumePushSource>(world, agent, externals::FlumeAvroSinkConfig{});
  }
  engine::FlumePollingConfig config;
  config.agent = agent;
  config.max_batch_size = source.max_batch_size;
  config.sink.transaction_timeout = source.transaction_timeout;
  return std::make_unique<engine::FlumePollingSource>(world, config);
}

std::unique_ptr<engine::ReceiverSource> MakeKinesisSource(const scenarios::SourceSpec& source,
                                                          records::GeneratorConfig generator,
                                                          sim::Duration batch_interval,
                                                          sim::World* world) {
  engine::KinesisSourceConfig config;
  config.stream.source_name = source.name;
  config.stream.shards = source.shards;
  config.stream.rate_per_second = source.rate_per_second;
  config.stream.generator = std::move(generator);
  config.application = source.name;
  config.initial_position_latest = source.initial_position == "latest";
  config.checkpoint_interval = source.kinesis_checkpoint_interval.value_or(batch_interval);
  return std::make_unique<engine::KinesisSource>(world, config);
}

}  // namespace streamsim::harness
