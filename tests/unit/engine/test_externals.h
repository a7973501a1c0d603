// The simulated outside systems an engine test's streams read. In a run the harness makes and owns
// them (harness/source_factory.h); an engine test owns them here, makes them in the order the
// harness would, and reads their counters.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/connectors/flume_polling_source.h"
#include "engine/connectors/flume_push_source.h"
#include "engine/connectors/kinesis_source.h"
#include "engine/streaming/streaming_context.h"
#include "externals/custom_device.h"
#include "externals/file_producer.h"
#include "externals/flume_agent.h"
#include "externals/flume_avro_sink.h"
#include "externals/flume_spark_sink.h"
#include "externals/kafka_broker.h"
#include "externals/kinesis_stream.h"
#include "externals/socket_server.h"
#include "externals/zookeeper.h"

namespace streamsim::engine::testing {

class TestExternals {
 public:
  // ssc.socketTextStream over a new socket server.
  DStream* SocketTextStream(sim::World* world, StreamingContext& context,
                            externals::SocketServerConfig config) {
    socket_servers.push_back(std::make_unique<externals::SocketServer>(world, config));
    externals::SocketServer* server = socket_servers.back().get();
    const int32_t source_index = RegisterSource(context, config.name, server);
    return context.SocketTextStream(config.name, server, source_index);
  }
  // A producer writing files into a watched directory.
  void AddFileProducer(sim::World* world, StreamingContext& context,
                       externals::FileProducerConfig config) {
    file_producers.push_back(std::make_unique<externals::FileProducer>(world, config));
    file_producers.back()->AttachLedger(context.FileLedgerFor(config.directory, config.name));
  }
  // KafkaUtils.createDirectStream over the broker of `topic` (made on first use).
  DStream* KafkaDirectStream(sim::World* world, StreamingContext& context,
                             const externals::KafkaBrokerConfig& topic,
                             const KafkaDirectConfig& config) {
    externals::KafkaBroker* broker = KafkaBrokerFor(world, context, topic);
    return context.KafkaDirectStream(config, broker, broker->ledger().source());
  }
  // KafkaUtils.createStream over the broker of `topic`, with ZooKeeper made first.
  DStream* KafkaReceiverStream(sim::World* world, StreamingContext& context,
                               const externals::KafkaBrokerConfig& topic,
                               const KafkaReceiverConfig& config) {
    if (!zookeeper) zookeeper = std::make_unique<externals::ZooKeeper>(world);
    externals::KafkaBroker* broker = KafkaBrokerFor(world, context, topic);
    return context.KafkaReceiverStream(config, broker, broker->ledger().source(), zookeeper.get());
  }

  // FlumeUtils.createStream over a new agent and its Avro sink.
  DStream* FlumePushStream(sim::World* world, StreamingContext& context,
                           externals::FlumeAgentConfig agent) {
    const std::string name = agent.source_name;
    flume_agents.push_back(std::make_unique<externals::FlumeAgent>(world, std::move(agent)));
    flume_avro_sinks.push_back(std::make_unique<externals::FlumeAvroSink>(
        world, flume_agents.back().get(), externals::FlumeAvroSinkConfig{}));
    const int32_t source_index = RegisterSource(context, name, flume_agents.back().get());
    return context.ReceiverStream(name, source_index,
                                  std::make_unique<FlumePushSource>(flume_avro_sinks.back().get()));
  }
  // FlumeUtils.createPollingStream over a new agent and its Spark sink.
  DStream* FlumePollingStream(sim::World* world, StreamingContext& context,
                              externals::FlumeAgentConfig agent, FlumePollingConfig config,
                              externals::FlumeSparkSinkConfig sink = {}) {
    const std::string name = agent.source_name;
    flume_agents.push_back(std::make_unique<externals::FlumeAgent>(world, std::move(agent)));
    flume_spark_sinks.push_back(
        std::make_unique<externals::FlumeSparkSink>(world, flume_agents.back().get(), sink));
    const int32_t source_index = RegisterSource(context, name, flume_agents.back().get());
    return context.ReceiverStream(
        name, source_index,
        std::make_unique<FlumePollingSource>(world, flume_spark_sinks.back().get(), config));
  }
  // KinesisUtils.createStream over a new stream.
  DStream* KinesisStream(sim::World* world, StreamingContext& context,
                         externals::KinesisStreamConfig stream, KinesisSourceConfig config) {
    const std::string name = stream.source_name;
    kinesis_streams.push_back(std::make_unique<externals::KinesisStream>(world, std::move(stream)));
    const int32_t source_index = RegisterSource(context, name, kinesis_streams.back().get());
    return context.ReceiverStream(
        name, source_index,
        std::make_unique<KinesisSource>(world, kinesis_streams.back().get(), config));
  }

  // A custom receiver, reliable or not, over a new device.
  DStream* CustomReceiverStream(sim::World* world, StreamingContext& context,
                                externals::CustomDeviceConfig device, bool reliable) {
    const std::string name = device.name;
    custom_devices.push_back(std::make_unique<externals::CustomDevice>(world, std::move(device)));
    externals::CustomDevice* made = custom_devices.back().get();
    const int32_t source_index = RegisterSource(context, name, made);
    return context.CustomReceiverStream(name, made, reliable, source_index);
  }

  std::vector<std::unique_ptr<externals::SocketServer>> socket_servers;
  std::vector<std::unique_ptr<externals::FileProducer>> file_producers;
  std::vector<std::unique_ptr<externals::KafkaBroker>> kafka_brokers;
  std::unique_ptr<externals::ZooKeeper> zookeeper;
  std::vector<std::unique_ptr<externals::FlumeAgent>> flume_agents;
  std::vector<std::unique_ptr<externals::FlumeAvroSink>> flume_avro_sinks;
  std::vector<std::unique_ptr<externals::FlumeSparkSink>> flume_spark_sinks;
  std::vector<std::unique_ptr<externals::KinesisStream>> kinesis_streams;
  std::vector<std::unique_ptr<externals::CustomDevice>> custom_devices;

 private:
  // As the harness does (harness/source_factory.h): registers `name` in the run's ledger and
  // attaches `system` there.
  template <typename System>
  static int32_t RegisterSource(StreamingContext& context, const std::string& name,
                                System* system) {
    const int32_t source_index = context.RegisterSource(name);
    system->AttachLedger(context.run_ledger(), source_index);
    return source_index;
  }
  externals::KafkaBroker* KafkaBrokerFor(sim::World* world, StreamingContext& context,
                                         const externals::KafkaBrokerConfig& config) {
    for (const auto& broker : kafka_brokers) {
      if (broker->topic() == config.topic) return broker.get();
    }
    kafka_brokers.push_back(std::make_unique<externals::KafkaBroker>(world, config));
    RegisterSource(context, config.source_name, kafka_brokers.back().get());
    return kafka_brokers.back().get();
  }
};

}  // namespace streamsim::engine::testing
