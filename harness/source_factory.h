// The harness's source factory: for each source of a scenario, the simulated outside system it
// reads (a socket server, a Kafka topic's broker and the ZooKeeper-like offset store, a file
// producer, a Flume agent, a Kinesis stream, a custom device) and the engine's input stream over
// it. The outside systems are the harness's, not the engine's: the engine reaches them only
// through its connectors, as it would reach real ones.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

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
#include "scenarios/scenario.h"
#include "simulator/world.h"

namespace streamsim::harness {

// The simulated outside systems of one run. Declared before the context that reads them, so
// that they outlive it.
struct SimulatedExternals {
  std::vector<std::unique_ptr<externals::SocketServer>> socket_servers;
  std::vector<std::unique_ptr<externals::FileProducer>> file_producers;
  std::vector<std::unique_ptr<externals::KafkaBroker>> kafka_brokers;  // one per topic
  std::unique_ptr<externals::ZooKeeper> zookeeper;  // with receiver-based Kafka streams only
  std::vector<std::unique_ptr<externals::FlumeAgent>> flume_agents;
  std::vector<std::unique_ptr<externals::FlumeAvroSink>> flume_avro_sinks;    // push mode
  std::vector<std::unique_ptr<externals::FlumeSparkSink>> flume_spark_sinks;  // pull mode
  std::vector<std::unique_ptr<externals::KinesisStream>> kinesis_streams;
  std::vector<std::unique_ptr<externals::CustomDevice>> custom_devices;
};

class SourceFactory {
 public:
  // REQUIRES: every pointer outlives the factory's streams.
  SourceFactory(const scenarios::Scenario& scenario, sim::World* world,
                engine::StreamingContext* context, SimulatedExternals* externals)
      : scenario_(scenario), world_(world), context_(context), externals_(externals) {}

  // The input stream of `source`, with the outside system it reads made on first need (a
  // topic's broker is shared by every source reading the topic). Systems are made in the order
  // of the scenario's sources, which fixes the world's node ids and so the run.
  engine::DStream* Make(const scenarios::SourceSpec& source);

 private:
  engine::DStream* MakeSocket(const scenarios::SourceSpec& source);
  engine::DStream* MakeFile(const scenarios::SourceSpec& source);
  engine::DStream* MakeKafka(const scenarios::SourceSpec& source);
  // FlumeUtils.createStream (mode push) or createPollingStream (mode pull) over a new agent
  // "flume/<name>" with its Avro sink or Spark sink.
  engine::DStream* MakeFlume(const scenarios::SourceSpec& source);
  // KinesisUtils.createStream over a new stream "kinesis/<name>"; the KCL checkpoint interval
  // defaults to the batch interval, as Spark's.
  engine::DStream* MakeKinesis(const scenarios::SourceSpec& source);
  // A custom receiver (reliable or not) over a new device "custom/<name>".
  engine::DStream* MakeCustom(const scenarios::SourceSpec& source);
  // The topic's broker, made on first use and registered in the run's ledger under the first
  // source reading it (every stream reading the topic uses its index: broker->ledger().source()).
  externals::KafkaBroker* KafkaBrokerFor(const externals::KafkaBrokerConfig& config);
  // Registers `name` in the run's ledger and attaches `system` there under the index it returns:
  // the system writes what it produces (and what it saw acknowledged) under it, and the engine's
  // stream over the system knows its records by it.
  template <typename System>
  int32_t RegisterSource(const std::string& name, System* system) {
    const int32_t source_index = context_->RegisterSource(name);
    system->AttachLedger(context_->run_ledger(), source_index);
    return source_index;
  }

  const scenarios::Scenario& scenario_;
  sim::World* world_;
  engine::StreamingContext* context_;
  SimulatedExternals* externals_;
};

// A scenario's generator as the records module's.
records::GeneratorConfig ToGenerator(const scenarios::GeneratorSpec& spec);

}  // namespace streamsim::harness
