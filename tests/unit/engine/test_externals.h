// The simulated outside systems an engine test's streams read. In a run the harness makes and owns
// them (harness/source_factory.h); an engine test owns them here, makes them in the order the
// harness would, and reads their counters.
#pragma once

#include <memory>
#include <vector>

#include "engine/streaming/streaming_context.h"
#include "externals/file_producer.h"
#include "externals/kafka_broker.h"
#include "externals/socket_server.h"
#include "externals/zookeeper.h"

namespace streamsim::engine::testing {

class TestExternals {
 public:
  // ssc.socketTextStream over a new socket server.
  DStream* SocketTextStream(sim::World* world, StreamingContext& context,
                            externals::SocketServerConfig config) {
    socket_servers.push_back(std::make_unique<externals::SocketServer>(world, config));
    return context.SocketTextStream(config.name, socket_servers.back().get());
  }
  // A producer writing files into a watched directory.
  void AddFileProducer(sim::World* world, StreamingContext& context,
                       externals::FileProducerConfig config) {
    file_producers.push_back(std::make_unique<externals::FileProducer>(world, config));
    file_producers.back()->AttachLedger(context.FileLedgerFor(config.directory, config.name));
  }
  DStream* KafkaDirectStream(sim::World* world, StreamingContext& context,
                             const KafkaDirectConfig& config) {
    return context.KafkaDirectStream(config, KafkaBrokerFor(world, context, config.broker));
  }
  DStream* KafkaReceiverStream(sim::World* world, StreamingContext& context,
                               const KafkaReceiverConfig& config) {
    if (!zookeeper) zookeeper = std::make_unique<externals::ZooKeeper>(world);
    return context.KafkaReceiverStream(config, KafkaBrokerFor(world, context, config.broker),
                                       zookeeper.get());
  }

  std::vector<std::unique_ptr<externals::SocketServer>> socket_servers;
  std::vector<std::unique_ptr<externals::FileProducer>> file_producers;
  std::vector<std::unique_ptr<externals::KafkaBroker>> kafka_brokers;
  std::unique_ptr<externals::ZooKeeper> zookeeper;

 private:
  externals::KafkaBroker* KafkaBrokerFor(sim::World* world, StreamingContext& context,
                                         const externals::KafkaBrokerConfig& config) {
    for (const auto& broker : kafka_brokers) {
      if (broker->topic() == config.topic) return broker.get();
    }
    kafka_brokers.push_back(std::make_unique<externals::KafkaBroker>(world, config));
    kafka_brokers.back()->AttachLedger(context.run_ledger(),
                                       context.RegisterSource(config.source_name));
    return kafka_brokers.back().get();
  }
};

}  // namespace streamsim::engine::testing
