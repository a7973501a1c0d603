// The source factory: outside systems and input streams (harness/source_factory.h).
#include "harness/source_factory.h"

#include <utility>

#include "engine/connectors/flume_polling_source.h"
#include "engine/connectors/flume_push_source.h"
#include "engine/connectors/kinesis_source.h"

namespace streamsim::harness {
namespace {

// The topic and its producer; a topic's broker is shared by every source reading the topic.
externals::KafkaBrokerConfig ToKafkaBrokerConfig(const scenarios::SourceSpec& source) {
  externals::KafkaBrokerConfig config;
  config.topic = source.topic;
  config.source_name = source.name;
  config.partitions = source.kafka_partitions;
  config.rate_per_second = source.rate_per_second;
  config.generator = ToGenerator(source.generator);
  config.retention_records = source.retention;
  return config;
}

engine::KafkaDirectConfig ToKafkaConfig(const scenarios::SourceSpec& source) {
  engine::KafkaDirectConfig config;
  config.name = source.name;
  config.max_rate_per_partition = source.max_rate_per_partition;
  config.start = source.start == "earliest" ? engine::KafkaStartingOffsets::kEarliest
                                            : engine::KafkaStartingOffsets::kLatest;
  return config;
}

// KafkaUtils.createStream; reliable (ReliableKafkaReceiver) follows the receiver WAL setting.
engine::KafkaReceiverConfig ToKafkaReceiverConfig(const scenarios::SourceSpec& source) {
  const engine::KafkaDirectConfig direct = ToKafkaConfig(source);
  engine::KafkaReceiverConfig config;
  config.name = source.name;
  config.group = source.group;
  config.auto_commit_interval = source.auto_commit_interval;
  config.start = direct.start;
  return config;
}

}  // namespace

records::GeneratorConfig ToGenerator(const scenarios::GeneratorSpec& spec) {
  records::GeneratorConfig config;
  config.kind = spec.kind;
  config.error_share = spec.error_share;
  config.ip_count = spec.ip_count;
  config.vocabulary = spec.vocabulary;
  config.words_per_line = spec.words_per_line;
  config.min = spec.min;
  config.max = spec.max;
  config.lines = spec.lines;
  return config;
}

engine::DStream* SourceFactory::Make(const scenarios::SourceSpec& source) {
  if (source.kind == scenarios::SourceKind::kQueue) {
    return context_->QueueStream(source.name, source.batches, source.partitions,
                                 source.one_at_a_time);
  }
  if (source.kind == scenarios::SourceKind::kSocket) return MakeSocket(source);
  if (source.kind == scenarios::SourceKind::kKafka) return MakeKafka(source);
  if (source.kind == scenarios::SourceKind::kCustom) return MakeCustom(source);
  if (source.kind == scenarios::SourceKind::kFlume) return MakeFlume(source);
  if (source.kind == scenarios::SourceKind::kKinesis) return MakeKinesis(source);
  return MakeFile(source);
}

engine::DStream* SourceFactory::MakeSocket(const scenarios::SourceSpec& source) {
  externals::SocketServerConfig config;
  config.name = source.name;
  config.host = source.host;
  config.port = source.port;
  config.rate_per_second = source.rate_per_second;
  config.generator = ToGenerator(source.generator);
  externals_->socket_servers.push_back(
      std::make_unique<externals::SocketServer>(world_, std::move(config)));
  externals::SocketServer* server = externals_->socket_servers.back().get();
  const int32_t source_index = RegisterSource(source.name, server);
  return context_->SocketTextStream(source.name, server, source_index);
}

// A producer writes into the watched directory when the source has a rate; without one the
// directory is filled by the scenario's own files (or stays empty).
engine::DStream* SourceFactory::MakeFile(const scenarios::SourceSpec& source) {
  if (source.rate_per_second > 0) {
    externals::FileProducerConfig config{source.name, source.directory, source.rate_per_second,
                                         source.lines_per_file, ToGenerator(source.generator)};
    externals_->file_producers.push_back(
        std::make_unique<externals::FileProducer>(world_, std::move(config)));
    externals_->file_producers.back()->AttachLedger(
        context_->FileLedgerFor(source.directory, source.name));
  }
  return context_->TextFileStream(source.name, source.directory);
}

engine::DStream* SourceFactory::MakeKafka(const scenarios::SourceSpec& source) {
  if (source.mode != scenarios::SourceMode::kReceiver) {
    externals::KafkaBroker* broker = KafkaBrokerFor(ToKafkaBrokerConfig(source));
    return context_->KafkaDirectStream(ToKafkaConfig(source), broker, broker->ledger().source());
  }
  // The offset store first, then the topic's broker: the order the world's nodes are made in.
  if (!externals_->zookeeper) {
    externals_->zookeeper = std::make_unique<externals::ZooKeeper>(world_);
  }
  externals::KafkaBroker* broker = KafkaBrokerFor(ToKafkaBrokerConfig(source));
  return context_->KafkaReceiverStream(ToKafkaReceiverConfig(source), broker,
                                       broker->ledger().source(), externals_->zookeeper.get());
}

engine::DStream* SourceFactory::MakeFlume(const scenarios::SourceSpec& source) {
  externals::FlumeAgentConfig agent_config;
  agent_config.source_name = source.name;
  agent_config.rate_per_second = source.rate_per_second;
  agent_config.generator = ToGenerator(source.generator);
  agent_config.channel_capacity = source.channel_capacity;
  externals_->flume_agents.push_back(
      std::make_unique<externals::FlumeAgent>(world_, std::move(agent_config)));
  externals::FlumeAgent* agent = externals_->flume_agents.back().get();
  const int32_t source_index = RegisterSource(source.name, agent);
  if (source.mode == scenarios::SourceMode::kPush) {
    externals_->flume_avro_sinks.push_back(std::make_unique<externals::FlumeAvroSink>(
        world_, agent, externals::FlumeAvroSinkConfig{}));
    return context_->ReceiverStream(
        source.name, source_index,
        std::make_unique<engine::FlumePushSource>(externals_->flume_avro_sinks.back().get()));
  }
  externals::FlumeSparkSinkConfig sink_config;
  sink_config.transaction_timeout = source.transaction_timeout;
  externals_->flume_spark_sinks.push_back(
      std::make_unique<externals::FlumeSparkSink>(world_, agent, sink_config));
  engine::FlumePollingConfig config;
  config.max_batch_size = source.max_batch_size;
  return context_->ReceiverStream(source.name, source_index,
                                  std::make_unique<engine::FlumePollingSource>(
                                      world_, externals_->flume_spark_sinks.back().get(), config));
}

engine::DStream* SourceFactory::MakeKinesis(const scenarios::SourceSpec& source) {
  externals::KinesisStreamConfig stream_config;
  stream_config.source_name = source.name;
  stream_config.shards = source.shards;
  stream_config.rate_per_second = source.rate_per_second;
  stream_config.generator = ToGenerator(source.generator);
  externals_->kinesis_streams.push_back(
      std::make_unique<externals::KinesisStream>(world_, std::move(stream_config)));
  externals::KinesisStream* stream = externals_->kinesis_streams.back().get();
  engine::KinesisSourceConfig config;
  config.application = source.name;
  config.initial_position_latest = source.initial_position == "latest";
  config.checkpoint_interval =
      source.kinesis_checkpoint_interval.value_or(scenario_.streaming.batch_interval);
  const int32_t source_index = RegisterSource(source.name, stream);
  return context_->ReceiverStream(source.name, source_index,
                                  std::make_unique<engine::KinesisSource>(world_, stream, config));
}

engine::DStream* SourceFactory::MakeCustom(const scenarios::SourceSpec& source) {
  externals::CustomDeviceConfig config;
  config.name = source.name;
  config.rate_per_second = source.rate_per_second;
  config.generator = ToGenerator(source.generator);
  externals_->custom_devices.push_back(
      std::make_unique<externals::CustomDevice>(world_, std::move(config)));
  externals::CustomDevice* device = externals_->custom_devices.back().get();
  const int32_t source_index = RegisterSource(source.name, device);
  return context_->CustomReceiverStream(source.name, device, source.reliable, source_index);
}

externals::KafkaBroker* SourceFactory::KafkaBrokerFor(const externals::KafkaBrokerConfig& config) {
  for (const auto& existing : externals_->kafka_brokers) {
    if (existing->topic() == config.topic) return existing.get();
  }
  externals_->kafka_brokers.push_back(std::make_unique<externals::KafkaBroker>(world_, config));
  // In the ledger the topic's records are one source, named after the first source reading it.
  externals::KafkaBroker* broker = externals_->kafka_brokers.back().get();
  RegisterSource(config.source_name, broker);
  return broker;
}

}  // namespace streamsim::harness
